"""Report views: the list, a plan's progress report and its PDF, a perimeter's dossier."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.audit import PURPOSES
from mmm.errors import InvalidPeriod, NotFound
from mmm.plans import visible_plans
from mmm.present.pdf import PdfError
from mmm.present.report import PlanProgress, plan_progress
from webmap.extensions import current_scope, get_store
from webmap.jobs.job import Done
from webmap.jobs.web import start as start_job
from webmap.jobs.web import wants_job
from webmap.reports import making
from webmap.reports.making import as_job
from webmap.reports.render import progress_page, words
from webmap.vocabulary import purpose_names

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _allow(action: str) -> None:
    if not access.can(current_user.user, action):
        abort(403)


def _purpose() -> str:
    """The purpose of a download: from the POST body, which carries the CSRF token."""
    purpose = request.form.get("purpose")
    if purpose not in PURPOSES:
        abort(400, _("Choose why you download this report (the purpose is logged)."))
    return str(purpose)


def _progress(plan_id: int) -> PlanProgress:
    try:
        return plan_progress(
            get_store(), plan_id, current_scope(), today=date.today(), language=str(get_locale())
        )
    except NotFound:
        abort(404)


@bp.get("/")
def index() -> str:
    _allow("view_reports")
    scope = current_scope()
    dossiers = None
    if access.can(current_user.user, "download_dossier"):
        dossiers = access.visible_perimeters(get_store().perimeters(), scope)
    return render_template(
        "reports/index.html",
        plans=visible_plans(get_store(), scope),
        perimeters=dossiers,
        purposes=purpose_names(),
        words=words(),
    )


@bp.get("/plans/<int:plan_id>")
def progress(plan_id: int) -> str:
    _allow("view_reports")
    return progress_page(_progress(plan_id))


def _send(done: Done) -> Response:
    return send_file(
        io.BytesIO(done.data),
        mimetype=done.mimetype,
        as_attachment=True,
        download_name=done.filename,
    )


@bp.post("/plans/<int:plan_id>.pdf")
def progress_pdf(plan_id: int) -> Response | tuple[Response, int]:
    """The report as a PDF: a job for the page's script (it shows the steps), else at once."""
    _allow("view_reports")
    purpose = _purpose()
    if wants_job():
        return start_job(
            "pdf", as_job(lambda progress: making.progress_pdf(plan_id, purpose, progress))
        )
    try:
        return _send(making.progress_pdf(plan_id, purpose))
    except NotFound:
        abort(404)
    except PdfError as exc:
        flash(_("The PDF could not be made: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("reports.progress", plan_id=plan_id))


@bp.post("/perimeters/<int:perimeter_id>/dossier.html")
def dossier(perimeter_id: int) -> Response | tuple[Response, int]:
    """The dossier file: a job for the page's script (it shows the steps), else at once."""
    _allow("download_dossier")
    purpose = _purpose()
    months = (request.form.get("from") or None, request.form.get("to") or None)
    if wants_job():
        return start_job(
            "dossier",
            as_job(lambda progress: making.dossier(perimeter_id, purpose, months, progress)),
        )
    try:
        return _send(making.dossier(perimeter_id, purpose, months))
    except NotFound:
        abort(404)
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
