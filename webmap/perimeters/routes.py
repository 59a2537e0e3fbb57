"""Perimeter views: the list, a page per perimeter (map, counts, history), the editor, upload."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.utils import secure_filename

from mmm import access
from mmm.access.audit import PURPOSES, record_read
from mmm.access.partners import who_does_what
from mmm.errors import ImportRejected, InvalidPeriod, NotFound
from mmm.io.imports import ImportReport, import_perimeters
from mmm.perimeters.edit import latest
from mmm.perimeters.geometry import to_geojson
from mmm.present import charts, maps
from mmm.present.overview import perimeter_overview
from mmm.store.perimeter_rows import PerimeterVersion
from webmap.answers import kept_for_all, kept_parts
from webmap.extensions import current_scope, get_store
from webmap.flashing import actor, form_errors
from webmap.folium_page import assets, backdrop, rendered
from webmap.partners.forms import RESPONSIBILITY_NAMES
from webmap.perimeters.editor import editor_data, may_edit, statuses
from webmap.perimeters.forms import UploadForm
from webmap.perimeters.history import history_rows
from webmap.time_patterns import near_repeat_parts, rate_parts, time_parts
from webmap.vocabulary import import_fact, import_reason, import_refusal, purpose_names

bp = Blueprint("perimeters", __name__, url_prefix="/perimeters")

#: What a kept perimeter version weighs (:mod:`webmap.answers`): its fields and outline.
HISTORY_SIZE = 4_000
#: Rejected rows shown on the upload report page (all of them are counted).
SHOWN_REJECTS = 200


@bp.get("/")
def index() -> str:
    if not access.can(current_user.user, "view_perimeter"):
        abort(403)
    shown = access.visible_perimeters(get_store().perimeters(), current_scope())
    return render_template("perimeters/index.html", perimeters=shown)


@bp.route("/<int:perimeter_id>", methods=["GET", "POST"])
def show(perimeter_id: int) -> str | tuple[str, int]:
    """The perimeter page; the incident points only on a POST stating a purpose (CSRF-checked),
    never for a ``purpose`` in the query string (another site could put it in a link)."""
    user = current_user.user
    if not access.can(user, "view_perimeter"):
        abort(403)
    may_see_points = access.can(user, "view_incidents")
    purpose = request.form.get("purpose")
    show_points = may_see_points and purpose in PURPOSES  # points only with a stated purpose
    first, last = request.args.get("from"), request.args.get("to")
    try:
        if show_points:  # read with a purpose: made for this request alone, and audited
            found = _page_parts(perimeter_id, first, last, with_incidents=True)
        else:
            found = page_parts(perimeter_id, first, last)
    except NotFound:
        abort(404)
    except InvalidPeriod:
        abort(400, _("Choose the months as YYYY-MM, the first not after the last."))
    view = found["view"]
    if view.incidents is not None and purpose is not None:
        detail = {"from": view.period.first, "to": view.period.last, "rows": len(view.incidents)}
        record_read(
            get_store(), f"web:{user.name}", "incidents", str(perimeter_id), purpose, detail
        )
    team = who_does_what(get_store(), current_scope().pairs, perimeter_id=perimeter_id)
    versions = kept_for_all(  # its versions change only with the perimeters' version
        ("perimeter history", perimeter_id),
        lambda: get_store().perimeter_history(perimeter_id),
        lambda found: HISTORY_SIZE * (1 + len(found)),
    )
    history, earlier = _history(versions)
    return render_template(
        "perimeters/show.html",
        **(found | {"map": found["map"].nonced()}),
        team=team,
        responsibilities=RESPONSIBILITY_NAMES,
        may_see_points=may_see_points,
        purposes=purpose_names(),
        history=history,
        earlier=earlier,
        may_edit=bool(versions) and may_edit(user, versions[-1]),
    )


def page_parts(perimeter_id: int, first: str | None, last: str | None) -> dict[str, Any]:
    """:func:`_page_parts` without the incidents, kept per state of the data
    (:mod:`webmap.answers`): the same for every reader with the same rights, scope and
    language."""
    return kept_parts(
        ("perimeter", perimeter_id, first, last),
        lambda: _page_parts(perimeter_id, first, last, with_incidents=False),
        lambda made: made["map"].size + len(made["time_html"]),
    )


def _page_parts(
    perimeter_id: int, first: str | None, last: str | None, *, with_incidents: bool
) -> dict[str, Any]:
    """What a perimeter page shows of the data for the logged-in reader: its figures, the
    rendered map, the chart, the rates, the time sections (rendered: hundreds of formatted
    cells) and the busiest segments. Without the incidents the same for every reader with the
    same role, scope and language while the data stays as it is (:mod:`webmap.answers`)."""
    view = perimeter_overview(
        get_store(),
        perimeter_id,
        first=first,
        last=last,
        with_incidents=with_incidents,
        language=str(get_locale()),
        scope=current_scope(),
    )
    urls = assets()
    fmap = maps.perimeter_map(
        perimeter=(view.name, view.geometry),
        zone=view.zone,
        incidents=view.incidents,
        phenomena=view.phenomena,
        assets=urls,
        backdrop=backdrop(),
        translate=_,
    )
    hidden = view.by_month_text if view.suppressed else None
    chart = charts.timeseries_spec(view.by_month, view.phenomena, shown=hidden, translate=_)
    time = time_parts(
        view.name,
        view.geometry,
        list(view.phenomena),
        start=view.period.start,
        end=view.period.end,
        suppressed=view.suppressed,
    ) | near_repeat_parts(fmap, view.phenomena, near=view.geometry, suppressed=view.suppressed)
    may_see_segments = access.can(current_user.user, "view_segments")
    return {
        "view": view,
        "map": rendered(fmap),
        "map_name": fmap.get_name(),
        "chart": chart,
        "chart_js": urls.chart_js,
        "time_html": Markup(render_template("temporal/_perimeter.html", view=view, **time)),
        # the tables' rows as plain dicts and lists: kept, a page draws them without pandas
        "comparison": [(code, dict(row)) for code, row in view.comparison.iterrows()],
        "by_month": [(code, list(row)) for code, row in view.by_month_text.iterrows()],
        **rate_parts(view),
        "segments": maps.perimeter_segments(get_store(), view.geometry, view.period, view.phenomena)
        if may_see_segments
        else None,
    }


def _history(
    versions: list[PerimeterVersion],
) -> tuple[list[dict[str, object]] | None, dict[str, object] | None]:
    """History rows (``None`` for roles that may not see them), and ``?version=N`` to draw."""
    if not access.can(current_user.user, "view_perimeter_history"):
        return None, None
    chosen = request.args.get("version", type=int)
    earlier = next((v for v in versions[:-1] if v.version == chosen), None)
    shown = None
    if earlier is not None:
        shown = {"version": earlier.version, "geometry": to_geojson(earlier.geometry)}
    return history_rows(versions), shown


@bp.get("/new")
def new() -> str:
    """The editor for a new perimeter."""
    user = current_user.user
    if not access.can(user, "propose_perimeter"):
        abort(403)
    return render_template(
        "perimeters/edit.html",
        data=editor_data(get_store(), user, None, None),
        current=None,
        statuses=statuses(user, None),
        backdrop=maps.page_assets(),
    )


@bp.get("/<int:perimeter_id>/edit")
def edit(perimeter_id: int) -> str:
    """The editor for an existing perimeter (``?version=N`` draws that version beside it)."""
    user = current_user.user
    try:
        current = latest(get_store(), perimeter_id)
    except NotFound:
        abort(404)
    if not may_edit(user, current):
        abort(403)
    try:
        data = editor_data(get_store(), user, current, request.args.get("version", type=int))
    except NotFound:
        abort(404)
    return render_template(
        "perimeters/edit.html",
        data=data,
        current=current,
        statuses=statuses(user, current),
        backdrop=maps.page_assets(),
    )


@bp.route("/upload", methods=["GET", "POST"])
def upload() -> str | tuple[str, int]:
    """Import a file of perimeters with the rules of ``mmm import perimeters``; the report."""
    if not access.can(current_user.user, "import_perimeters"):
        abort(403)
    form = UploadForm()
    report: ImportReport | None = None
    status = 200
    if form.validate_on_submit():
        try:
            report = _import(form)
        except ImportRejected as exc:
            flash(import_refusal(exc, _upload_name(form)), "error")
            status = 400
    elif form.is_submitted():
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
        status = 400
    page = render_template(
        "perimeters/upload.html",
        form=form,
        report=report,
        rejects=None if report is None else report.rejected.head(SHOWN_REJECTS),
        purposes=purpose_names(),
        reason=import_reason,
        fact=import_fact,
    )
    return page, status


def _upload_name(form: UploadForm) -> str:
    """The uploaded file's name as its sender named it (never a server path)."""
    return secure_filename(form.file.data.filename or "") or _("the file")


def _import(form: UploadForm) -> ImportReport:
    """Run the import on a temporary copy of the upload (its name keeps the format's suffix)."""
    upload = form.file.data
    name = secure_filename(upload.filename or "") or "perimeters.geojson"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        upload.save(path)
        return import_perimeters(get_store(), path, dry_run=bool(form.dry_run.data), actor=actor())
