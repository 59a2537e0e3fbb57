"""Render a plan's progress report, a perimeter's dossier and their maps; make PDFs.

Shared by the report pages, meeting mode and ``mmm dossier``: the same map (:func:`mmm.present.maps
.perimeter_map`, no incident points — reports carry aggregates only), the same words as the
plan pages (:mod:`webmap.plans.words`), and one way to make a page self-contained
(:func:`mmm.present.inline.inline_assets` on the app's static folder) for a dossier or for Chromium.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from mmm.present import maps
from mmm.present.dossier import Dossier
from mmm.present.inline import inline_assets
from mmm.present.pdf import PrintQueue, html_to_pdf
from mmm.present.report import PlanProgress
from webmap.folium_page import MapParts, assets, backdrop, carried_backdrop, parts, tiles_url
from webmap.partners.forms import RESPONSIBILITY_NAMES
from webmap.plans import words as plan_words
from webmap.tiles import basemap
from webmap.time_patterns import plan_time_parts
from webmap.vocabulary import purpose_names

_queue_lock = threading.Lock()
_ASSET_TAG = re.compile(r"""<script\b[^>]*\bsrc=[^>]*>\s*</script>|<link\b[^>]*>""", re.I)


def words() -> dict[str, Any]:
    """The translated names of the plans' codes, for the report templates."""
    return {
        "sections": plan_words.SECTION_NAMES,
        "plan_statuses": plan_words.PLAN_STATUS_NAMES,
        "approaches": plan_words.APPROACH_NAMES,
        "action_statuses": plan_words.ACTION_STATUS_NAMES,
        "steps": plan_words.STEP_NAMES,
        "trends": plan_words.TREND_NAMES,
        "hotspots": plan_words.HOTSPOT_NAMES,
        "indicator_statuses": plan_words.INDICATOR_STATUS_NAMES,
        "comparisons": plan_words.COMPARISON_NAMES,
        "units": plan_words.UNIT_NAMES,
        "wdq_readings": plan_words.WDQ_READINGS,
        "survey_label": plan_words.survey_label,
        "responsibilities": RESPONSIBILITY_NAMES,
        "verdicts": {
            "not_shown": _("not shown (small numbers)"),
            "insufficient_data": _("insufficient data"),
            "significant_decrease": _("significant decrease"),
            "significant_increase": _("significant increase"),
            "no_significant_change": _("no significant change"),
        },
    }


def area_map(
    name: str, geometry: BaseGeometry, zone: BaseGeometry, *, carried: bool = False
) -> MapParts:
    """The perimeter on the zone, as on its page but without incident points.

    ``carried``: for a page that opens without the app (the dossier, the copy Chromium
    prints), which carries its streets and basemap tiles around the perimeter itself.
    """
    fmap = maps.perimeter_map(
        perimeter=(name, geometry),
        zone=zone,
        incidents=None,
        phenomena={},
        assets=assets(),
        backdrop=carried_backdrop(geometry) if carried else backdrop(),
        translate=_,
    )
    return parts(fmap)


def progress_page(progress: PlanProgress, *, printing: bool = False) -> str:
    """The progress report of a plan (``printing``: the copy Chromium prints, no forms)."""
    plan = progress.plan
    return render_template(
        "reports/progress.html",
        p=progress,
        map=area_map(plan.perimeter, progress.geometry, progress.zone, carried=printing),
        words=words(),
        printing=printing,
        purposes=purpose_names(),
        labels=progress.phenomena,
        **plan_time_parts(progress.overview),
    )


def dossier_page(dossier: Dossier) -> str:
    """A perimeter's meeting dossier as one self-contained HTML document."""
    view = dossier.perimeter
    html = render_template(
        "reports/dossier.html",
        d=dossier,
        map=area_map(view.name, view.geometry, view.zone, carried=True),
        words=words(),
    )
    return self_contained(html)


def self_contained(html: str) -> str:
    """``html`` with the app's own scripts and stylesheets inlined (opens with no server)."""
    prefix = url_for("static", filename="").rstrip("/")
    folder = current_app.static_folder
    assert folder is not None  # the app serves static files (create_app)
    return inline_assets(html, prefix, folder)


def to_pdf(html: str, progress: Callable[[str, int, int], None] | None = None) -> bytes:
    """Print one of our pages to PDF with the configured Chromium (``MMM_CHROMIUM``), through
    the app's one print queue (``MMM_PDF_QUEUE`` requests may wait); ``progress`` hears the
    printer's steps (:func:`mmm.present.pdf.html_to_pdf`).

    Raises
    ------
    mmm.present.pdf.PdfError
        When Chromium is missing or the page does not finish drawing.
    mmm.present.pdf.PrinterBusy
        When the queue is full (the app answers 503, see :mod:`webmap.limits`).
    """
    tiles = None if basemap() is not None else tiles_url()  # the app's own tiles are carried
    return html_to_pdf(
        self_contained(html),
        chromium=current_app.config["MMM_CHROMIUM"],
        allow_origins=[tiles] if tiles else [],
        queue=print_queue(),
        progress=progress,
    )


def print_queue() -> PrintQueue:
    """The app's print queue, made on first use from ``MMM_PDF_QUEUE``."""
    with _queue_lock:
        queue = current_app.extensions.get("mmm_print_queue")
        if queue is None:
            queue = PrintQueue(int(current_app.config["MMM_PDF_QUEUE"]))
            current_app.extensions["mmm_print_queue"] = queue
    return queue


def merged_header(headers: list[Markup]) -> Markup:
    """The heads of several maps on one page, each library loaded once (maps' styles all kept)."""
    seen: set[str] = set()

    def once(match: re.Match[str]) -> str:
        tag = match.group(0)
        if tag in seen:
            return ""
        seen.add(tag)
        return tag

    return Markup("".join(_ASSET_TAG.sub(once, str(h)) for h in headers))


def file_name(text: str) -> str:
    """A safe file name part from a perimeter or plan name."""
    return re.sub(r"[^\w-]+", "-", text).strip("-").lower() or "report"
