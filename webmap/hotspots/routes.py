"""Hotspot views: the map page, and downloads of its cells and candidate perimeters."""

from __future__ import annotations

import io
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_number, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.access.audit import PURPOSES
from mmm.access.labels import label_columns, phenomenon_labels, phenomenon_words
from mmm.counting.months import available_months
from mmm.errors import AccessDenied
from mmm.hotspots import HotspotOptions, HotspotResult, run_hotspots
from mmm.io.writers import WRITERS
from mmm.perimeters import edit as perimeter_edit
from mmm.perimeters.edit import CandidateOverlaps
from mmm.perimeters.geometry import GeometryRefused
from mmm.present.maps import colocation_matrix, hotspot_map, hotspot_rows, warning_messages
from mmm.store import Store
from webmap.api.routes import limits as api_limits
from webmap.extensions import get_store
from webmap.flashing import actor, refusal
from webmap.folium_page import assets, backdrop, parts
from webmap.hotspots.forms import (
    CELL_CHOICES,
    HotspotForm,
    InvalidParameter,
    month_choices,
    parse_form,
    parse_weights,
)
from webmap.hotspots.steps import hotspot_steps
from webmap.jobs.job import GoTo, JobFailed, Progress
from webmap.jobs.web import start as start_job
from webmap.time_patterns import hotspot_time_parts
from webmap.vocabulary import geometry_refusal, purpose_names

bp = Blueprint("hotspots", __name__)

#: Hotspot runs kept per app, the least recently used dropped first.
CACHE_SIZE = 8
DOWNLOADS = ("cells", "candidates")
MIMETYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}
_lock = threading.Lock()


def cached_result(
    store: Store, options: HotspotOptions, progress: Callable[[str, int, int], None] | None = None
) -> HotspotResult:
    """:func:`run_hotspots`, remembered per (data version, options) in a small per-app LRU.

    A page reloaded in a meeting, or a download of what the page shows, costs no new run; a new
    import changes the data version and so the key. So the page's script runs the analysis as
    a job (:func:`compute`, reporting its steps to ``progress``) and then opens the page, which
    finds the run here.
    """
    cache: OrderedDict[Any, HotspotResult] = current_app.extensions.setdefault(
        "mmm_hotspots", OrderedDict()
    )
    key = (store.data_version(), options)
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    result = run_hotspots(store, options, progress)
    with _lock:
        cache[key] = result
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return result


def _parse(store: Store, labels: dict[str, str]) -> tuple[HotspotForm, list[str]]:
    """The query's parameters and the months to choose from; :class:`InvalidParameter` if bad."""
    months = available_months(store.incidents())
    weights = store.phenomenon_weights()
    zone = store.zone()
    bounds = None if zone is None else zone.geometry.bounds
    form = parse_form(
        request.args, codes=list(labels), months=months, weights=weights, bounds=bounds
    )
    return form, months


def _run(store: Store, labels: dict[str, str]) -> tuple[HotspotForm, HotspotResult, list[str]]:
    """Parse the query and run (or recall) the analysis; :class:`InvalidParameter` on bad input."""
    form, months = _parse(store, labels)
    try:
        return form, cached_result(store, form.options()), months
    except ValueError as error:  # the core's own check (rare: the form checks first)
        raise InvalidParameter(str(error)) from None


@bp.get("/hotspots")
def index() -> str | tuple[str, int]:
    user = current_user.user
    # Not partners nor the DPO: hot cells show where incidents are, outside any perimeter.
    if not access.can(user, "view_hotspots"):
        abort(403)
    store = get_store()
    zone = store.zone()
    if zone is None:
        return render_template("maps/empty.html"), 404
    labels = phenomenon_labels(store, str(get_locale()))
    try:
        form, result, months = _run(store, labels)
    except InvalidParameter as error:
        return render_template("hotspots/invalid.html", message=str(error)), 400
    fmap = hotspot_map(
        result=result,
        zone=zone.geometry,
        perimeters=store.perimeters(),
        phenomena=labels,
        assets=assets(),
        backdrop=backdrop(),
        translate=_,
        presentation=form.presentation,
        adoptable=access.can(user, "propose_perimeter"),
    )
    extra = hotspot_time_parts(fmap, result, labels)
    return render_template(
        "hotspots/index.html",
        form=form,
        result=result,
        map=parts(fmap),
        labels=labels,
        months=month_choices(months, form.period),
        cell_choices=CELL_CHOICES,
        warnings=warning_messages(result, labels, _),
        rows=hotspot_rows(result, labels, _),
        colocation=colocation_matrix(result, labels),
        may_export=access.can(user, "export"),
        purposes=purpose_names(),
        zone_weights=store.phenomenon_weights() if access.can(user, "set_weights") else None,
        may_adopt=access.can(user, "propose_perimeter"),
        **extra,
    )


@bp.post("/hotspots/compute")
def compute() -> tuple[Response, int]:
    """The analysis of the query's parameters as a job; its status says the steps, then the page.

    The page's script sends its form here (with the CSRF token) instead of loading the page
    while the map stays grey: the run reports its steps (:mod:`webmap.hotspots.steps`), and
    the page it then opens finds the run in :func:`cached_result`. Without the script the form
    loads the page directly, as before.
    """
    if not access.can(current_user.user, "view_hotspots"):
        abort(403)
    store = get_store()
    if store.zone() is None:
        return jsonify(
            error="no_zone",
            reason=_(
                "The store holds no data yet: import a zone outline, perimeters and incidents first "
                "(mmm import)."
            ),
        ), 404
    labels = phenomenon_labels(store, str(get_locale()))
    try:
        form, _months = _parse(store, labels)
    except InvalidParameter as error:
        return jsonify(error="invalid", reason=str(error)), 400
    options = form.options()
    page = f"{url_for('hotspots.index')}?{request.query_string.decode()}"

    def work(progress: Progress) -> GoTo:
        try:
            cached_result(get_store(), options, hotspot_steps(labels, progress))
        except ValueError as error:  # the core's own check (rare: the form checks first)
            raise JobFailed(str(error)) from None
        return GoTo(page)

    return start_job("hotspots", work)


@bp.post("/hotspots/adopt")
def adopt() -> Response | tuple[str, int]:
    """One candidate of the run the page shows becomes a proposed perimeter; then the editor.

    The page's own query (the run's parameters) comes along, so the candidate is the one the
    person saw; its geometry is taken from the run on the server, never from the browser. A
    candidate that overlaps perimeters answers 409 with a page that names and links them; the
    person may then adopt it anyway (``despite=1``), unless it is the same place as one of
    them (adopted before): then that one is to be adjusted, no copy is made.
    """
    user = current_user.user
    if not (access.can(user, "view_hotspots") and access.can(user, "propose_perimeter")):
        abort(403)
    store = get_store()
    language = str(get_locale())
    labels = phenomenon_labels(store, language)
    try:
        _form, result, _months = _run(store, labels)
    except InvalidParameter as error:
        abort(400, str(error))
    chosen = result.candidates[result.candidates["name"] == request.form.get("candidate")]
    if chosen.empty:
        abort(404, _("This candidate is not in the analysis any more: reload the hotspot page."))
    row = chosen.iloc[0]
    query = request.query_string.decode()
    try:
        saved = perimeter_edit.adopt(
            store,
            user,
            (str(row["name"]), candidate_description(row, labels, result), row.geometry),
            limits=api_limits(),
            language=language,
            despite_overlaps=request.form.get("despite") == "1",
        )
    except CandidateOverlaps as overlap:
        return render_template("hotspots/overlap.html", overlap=overlap, query=query), 409
    except GeometryRefused as error:
        flash(geometry_refusal(error), "error")
        return redirect(f"{url_for('hotspots.index')}?{query}")
    except AccessDenied as error:
        flash(refusal(error), "error")
        return redirect(f"{url_for('hotspots.index')}?{query}")
    name = saved.saved.fields.name
    flash(_("%(name)s is now a proposed perimeter: adjust it and save.", name=name), "info")
    return redirect(url_for("perimeters.edit", perimeter_id=saved.saved.perimeter_id))


def candidate_description(row: Any, labels: dict[str, str], result: HotspotResult) -> str:
    """The adopted perimeter's description, in the words of the person who adopts it."""
    codes = [c for c in str(row["phenomena"]).split(", ") if c]
    return ngettext(
        "Multi-phenomenon hotspot (%(phenomena)s): %(num)d cell of %(size)s m",
        "Multi-phenomenon hotspot (%(phenomena)s): %(num)d cells of %(size)s m",
        int(row["cells"]),
        phenomena=", ".join(labels.get(c, c) for c in codes),
        size=format_number(result.options.cell_m),
    )


@bp.post("/hotspots/weights")
def save_weights() -> Response:
    """Store the zone's per-phenomenon weights (its ZVP priorities): the page's new defaults."""
    if not access.can(current_user.user, "set_weights"):
        abort(403)
    store = get_store()
    try:
        weights = parse_weights(request.form, store.phenomenon_weights(), {})
    except InvalidParameter as error:
        flash(str(error), "error")
    else:
        store.set_phenomenon_weights(weights, actor=actor())
        flash(_("The zone's weights are saved; new analyses use them."), "info")
    return redirect(url_for("hotspots.index"))


@bp.post("/hotspots/<what>.<fmt>")
def download(what: str, fmt: str) -> Response:
    """The run of the query's parameters as a file; the purpose comes in the POST body."""
    user = current_user.user
    if not (access.can(user, "view_hotspots") and access.can(user, "export")):
        abort(403)
    if what not in DOWNLOADS or fmt not in MIMETYPES:
        abort(404)
    purpose = request.form.get("purpose")
    if purpose not in PURPOSES:
        abort(400, _("Choose why you download this data (the purpose is logged)."))
    store = get_store()
    try:
        form, result, _months = _run(store, phenomenon_labels(store, str(get_locale())))
    except InvalidParameter as error:
        abort(400, str(error))
    table = result.cells() if what == "cells" else result.candidates
    if what == "cells":  # a label column per language after the phenomenon codes
        table = label_columns(table, {"phenomenon": phenomenon_words(store)})
    name = f"hotspot_{what}.{fmt}"
    with tempfile.TemporaryDirectory() as tmp:
        data = WRITERS[fmt](table, Path(tmp) / name, f"hotspot_{what}").read_bytes()
    detail = {"purpose": purpose, "file": name, "rows": len(table)}
    detail |= {"from": form.period.first, "to": form.period.last, "cell_m": form.cell_m}
    store.record(f"web:{user.name}", "export", f"hotspot_{what}", "", detail)
    return send_file(
        io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name
    )
