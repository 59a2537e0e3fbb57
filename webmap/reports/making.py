"""Make a plan's PDF or a perimeter's dossier, step by step, for a request or for a job.

Why one function per file for both paths: a plain form POST waits for the file (the page works
without its script), while the page's script gets a job (:mod:`webmap.jobs`) and shows the steps
as they pass; both make and audit the same file. The steps are said in the person's language
(the job runs in a request context like the one that started it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from mmm.errors import InvalidPeriod, NotFound, PeriodOutOfRange
from mmm.present.dossier import perimeter_dossier, record_download
from mmm.present.pdf import PdfError, PrinterBusy
from mmm.present.report import plan_progress
from webmap.extensions import current_scope, get_store
from webmap.flashing import actor
from webmap.jobs.job import Done, JobFailed, Progress, no_progress
from webmap.limits import period_message
from webmap.reports.render import dossier_page, file_name, progress_page, to_pdf

#: The steps of a PDF the web layer adds before the printer's two (queue, print).
PDF_STEPS = 2
#: The steps of a dossier the web layer adds after the core's (drawing it into one file).
DOSSIER_STEPS = 1


def progress_pdf(plan_id: int, purpose: str, progress: Progress = no_progress) -> Done:
    """The progress report of plan ``plan_id`` as a PDF, audited with ``purpose``.

    Raises
    ------
    NotFound
        For a plan the reader may not see.
    PdfError, PrinterBusy
        From :func:`webmap.reports.render.to_pdf`.
    """
    total = PDF_STEPS + 2
    progress(_("Collecting the figures of the plan…"), 0, total)
    report = plan_progress(
        get_store(), plan_id, current_scope(), today=date.today(), language=str(get_locale())
    )
    progress(_("Drawing the report and its map…"), 1, total)
    html = progress_page(report, printing=True)
    printer = {"queue": _("Waiting for the printer…"), "print": _("Printing the PDF…")}

    def printing(step: str, done: int, _total: int) -> None:
        progress(printer.get(step, step), PDF_STEPS + done, total)

    data = to_pdf(html, progress=printing)
    detail = {"format": "pdf", "suppressed": report.suppressed}
    record_download(get_store(), actor(), "progress_report", str(plan_id), purpose, detail)
    name = f"{file_name(report.plan.perimeter)}-{report.today.isoformat()}.pdf"
    return Done(data, name, "application/pdf")


def dossier(
    perimeter_id: int,
    purpose: str,
    months: tuple[str | None, str | None],
    progress: Progress = no_progress,
) -> Done:
    """Perimeter ``perimeter_id``'s meeting dossier (one HTML file), audited with ``purpose``.

    Raises
    ------
    NotFound
        For a perimeter the reader may not see.
    InvalidPeriod, PeriodOutOfRange
        For ``months`` (first, last) that cannot be shown.
    """
    words = {
        "counts": _("Counting the perimeter's incidents per month…"),
        "team": _("Collecting who does what…"),
        "plan": _("Collecting the progress of the action plans…"),
    }
    total = DOSSIER_STEPS + 2

    def gathering(step: str, done: int, core_total: int) -> None:
        nonlocal total
        total = core_total + DOSSIER_STEPS
        progress(words.get(step, step), done, total)

    found = perimeter_dossier(
        get_store(),
        perimeter_id,
        current_scope(),
        today=date.today(),
        first=months[0],
        last=months[1],
        language=str(get_locale()),
        progress=gathering,
    )
    progress(_("Drawing the dossier and its map…"), total - DOSSIER_STEPS, total)
    html = dossier_page(found).encode("utf-8")
    period = found.perimeter.period
    detail = {"format": "html", "from": period.first, "to": period.last}
    record_download(get_store(), actor(), "dossier", str(perimeter_id), purpose, detail)
    name = f"dossier-{file_name(found.perimeter.name)}-{found.made_on.isoformat()}.html"
    return Done(html, name, "text/html")


def as_job(make: Callable[[Progress], Done]) -> Callable[[Progress], Done]:
    """``make`` with the refusals it may meet turned into messages the person can act on."""

    def work(progress: Progress) -> Done:
        try:
            return make(progress)
        except NotFound:
            raise JobFailed(_("This is not (any more) among what you may see.")) from None
        except InvalidPeriod:
            raise JobFailed(
                _("Choose the months as YYYY-MM, the first not after the last.")
            ) from None
        except PeriodOutOfRange as error:
            raise JobFailed(period_message(error)) from None
        except PrinterBusy:
            raise JobFailed(
                _("The PDF printer is busy with other reports. Try again in a moment.")
            ) from None
        except PdfError as error:
            raise JobFailed(_("The PDF could not be made: %(reason)s", reason=str(error))) from None

    return work
