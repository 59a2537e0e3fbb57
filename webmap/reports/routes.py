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
from mmm.present.dossier import perimeter_dossier, record_download
from mmm.present.pdf import PdfError
from mmm.present.report import PlanProgress, plan_progress
from webmap.extensions import current_scope, get_store
from webmap.flashing import actor
from webmap.reports.render import dossier_page, file_name, progress_page, to_pdf, words
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


@bp.post("/plans/<int:plan_id>.pdf")
def progress_pdf(plan_id: int) -> Response:
    _allow("view_reports")
    purpose = _purpose()
    report = _progress(plan_id)
    try:
        data = to_pdf(progress_page(report, printing=True))
    except PdfError as exc:
        flash(_("The PDF could not be made: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("reports.progress", plan_id=plan_id))
    detail = {"format": "pdf", "suppressed": report.suppressed}
    record_download(get_store(), actor(), "progress_report", str(plan_id), purpose, detail)
    name = f"{file_name(report.plan.perimeter)}-{report.today.isoformat()}.pdf"
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name
    )


@bp.post("/perimeters/<int:perimeter_id>/dossier.html")
def dossier(perimeter_id: int) -> Response:
    _allow("download_dossier")
    purpose = _purpose()
    try:
        found = perimeter_dossier(
            get_store(),
            perimeter_id,
            current_scope(),
            today=date.today(),
            first=request.form.get("from") or None,
            last=request.form.get("to") or None,
            language=str(get_locale()),
        )
    except NotFound:
        abort(404)
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    html = dossier_page(found).encode("utf-8")
    period = found.perimeter.period
    detail = {"format": "html", "from": period.first, "to": period.last}
    record_download(get_store(), actor(), "dossier", str(perimeter_id), purpose, detail)
    name = f"dossier-{file_name(found.perimeter.name)}-{found.made_on.isoformat()}.html"
    return send_file(io.BytesIO(html), mimetype="text/html", as_attachment=True, download_name=name)
