"""``/api/perimeters`` and ``/api/counts``: only what the user's scope shows; perimeter writes.

Writes (``POST /api/perimeters`` → 201, ``PUT /api/perimeters/<id>`` → 200) take one RFC 7946
Feature and go through :mod:`mmm.perimeters.edit`; ``POST /api/perimeters/<id>/split`` moves one
part of a multipolygon into a new perimeter (201). Refusals answer JSON with a ``reason``:
403 (the role may not), 404 (no such perimeter), 409 (the edit was based on an old version:
"changed by X at T — reload"), 422 (a property or the geometry is refused; ``point`` is
``[lon, lat]`` of the problem when there is one; a geometry refusal also has its ``code``,
:data:`mmm.perimeters.geometry.REFUSALS`, and its ``reason`` and the ``notes`` of a save are in
the user's language). Writes need the CSRF token in the
``X-CSRFToken`` header (every page has it in ``<meta name="csrf-token">``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm import access
from mmm.counting.count import PERIODS
from mmm.errors import AccessDenied, NotFound
from mmm.io.geojson import feature_collection, perimeter_features
from mmm.perimeters import edit as perimeter_edit
from mmm.perimeters.geometry import AreaLimits, GeometryRefused, to_geojson, web_point
from mmm.present.count_table import count_table
from mmm.store.perimeter_rows import (
    DuplicateName,
    PerimeterChanged,
    PerimeterVersion,
    display_actor,
)
from webmap.answers import kept_json
from webmap.extensions import current_scope, get_store
from webmap.vocabulary import geometry_note, geometry_refusal

bp = Blueprint("api", __name__, url_prefix="/api")

#: What a write can be refused with; :func:`refused` turns each into its status code.
REFUSALS = (
    perimeter_edit.FieldRefused,
    GeometryRefused,
    DuplicateName,
    AccessDenied,
    NotFound,
    PerimeterChanged,
)


@bp.get("/perimeters")
def perimeters() -> Response:
    scope = current_scope()

    def collection() -> dict[str, Any]:
        shown = access.visible_perimeters(get_store().perimeters(), scope)
        return feature_collection(perimeter_features(shown))

    return kept_json(("perimeters",), scope, collection)


@bp.get("/perimeters/<int:perimeter_id>")
def perimeter(perimeter_id: int) -> Response:
    shown = access.visible_perimeters(get_store().perimeters(), current_scope())
    match = shown[shown["id"] == perimeter_id]
    if match.empty:
        abort(404)  # the same answer for "does not exist" and "not yours"
    return jsonify(perimeter_features(match)[0])


@bp.post("/perimeters")
def create_perimeter() -> tuple[Response, int, dict[str, str]] | tuple[Response, int]:
    """Store a drawn perimeter (version 1): 201 with the saved Feature and what to report."""
    try:
        draft = perimeter_edit.parse_feature(request.get_json(silent=True), edit=False)
        result = perimeter_edit.create(
            get_store(), current_user.user, draft, limits=limits(), language=str(get_locale())
        )
    except REFUSALS as error:
        return refused(error)
    url = url_for("api.perimeter", perimeter_id=result.saved.perimeter_id)
    return jsonify(saved_feature(result)), 201, {"Location": url}


@bp.put("/perimeters/<int:perimeter_id>")
def update_perimeter(perimeter_id: int) -> tuple[Response, int]:
    """Save a new version from the ``version`` the Feature was based on: 200, or 409 if stale."""
    try:
        draft = perimeter_edit.parse_feature(request.get_json(silent=True), edit=True)
        result = perimeter_edit.edit(
            get_store(),
            current_user.user,
            perimeter_id,
            draft,
            limits=limits(),
            language=str(get_locale()),
        )
    except REFUSALS as error:
        return refused(error)
    return jsonify(saved_feature(result)), 200


@bp.post("/perimeters/<int:perimeter_id>/split")
def split_perimeter(
    perimeter_id: int,
) -> tuple[Response, int, dict[str, str]] | tuple[Response, int]:
    """Move one part into a new perimeter: 201 with ``kept`` and ``new`` (both saved Features)."""
    try:
        kept, new = perimeter_edit.split(
            get_store(),
            current_user.user,
            perimeter_id,
            request.get_json(silent=True),
            limits=limits(),
            language=str(get_locale()),
        )
    except REFUSALS as error:
        return refused(error)
    url = url_for("api.perimeter", perimeter_id=new.saved.perimeter_id)
    return jsonify({"kept": saved_feature(kept), "new": saved_feature(new)}), 201, {"Location": url}


@bp.get("/perimeters/<int:perimeter_id>/versions")
def versions(perimeter_id: int) -> Response:
    """Every saved version (oldest first) as a FeatureCollection; staff only (it names them)."""
    if not access.can(current_user.user, "view_perimeter_history"):
        abort(403)
    history = get_store().perimeter_history(perimeter_id)
    if not history:
        abort(404)
    return jsonify(feature_collection([version_feature(v) for v in history]))


@bp.get("/counts")
def counts() -> Response:
    """Counts per perimeter × phenomenon × period; a partner's from its released month cells."""
    period = request.args.get("period", "month")
    if period not in PERIODS:
        abort(400, f"period must be one of {', '.join(PERIODS)}")
    scope = current_scope()

    def table() -> list[dict[str, Any]]:
        return count_table(get_store(), scope, period)  # type: ignore[arg-type]

    return kept_json(("counts", period), scope, table)  # the same bytes while nothing changed


def limits() -> AreaLimits:
    """The app's area bounds for a perimeter (``MMM_PERIMETER_MIN_AREA`` / ``…_MAX_AREA``)."""
    config = current_app.config
    return AreaLimits(
        float(config["MMM_PERIMETER_MIN_AREA"]), float(config["MMM_PERIMETER_MAX_AREA"])
    )


def refused(error: Exception) -> tuple[Response, int]:
    """The JSON answer to a refused write (one of :data:`REFUSALS`)."""
    if isinstance(error, PerimeterChanged):
        latest = error.latest
        body: dict[str, Any] = {
            "error": "stale version",
            "reason": str(error),
            "version": latest.version,
            "changed_by": display_actor(latest.actor),
            "changed_at": latest.at,
        }
        return jsonify(body), 409
    if isinstance(error, GeometryRefused):
        point = None if error.point is None else list(web_point(error.point))
        body = {"error": "geometry refused", "code": error.code, "reason": geometry_refusal(error)}
        return jsonify({**body, "point": point}), 422
    if isinstance(error, (perimeter_edit.FieldRefused, DuplicateName)):
        return jsonify({"error": "refused", "reason": str(error)}), 422
    if isinstance(error, AccessDenied):
        return jsonify({"error": "forbidden", "reason": str(error)}), 403
    return jsonify({"error": "not found", "reason": str(error)}), 404


def version_feature(version: PerimeterVersion) -> dict[str, Any]:
    """One saved version as a Feature: its fields, version, area, who saved it and when."""
    f = version.fields
    return {
        "type": "Feature",
        "id": version.perimeter_id,
        "geometry": to_geojson(version.geometry),
        "properties": {
            "id": version.perimeter_id,
            "name": f.name,
            "description": f.description,
            "status": f.status,
            "start_date": f.start_date,
            "version": version.version,
            "area_m2": round(version.area_m2, 1),
            "changed_by": display_actor(version.actor),
            "changed_at": version.at,
        },
    }


def saved_feature(result: perimeter_edit.SaveResult) -> dict[str, Any]:
    """The saved version, with the repairs made, the overlaps and the counts right after it."""
    return {
        **version_feature(result.saved),
        "notes": [geometry_note(note) for note in result.notes],
        "overlaps": [
            {"id": o.id, "name": o.name, "status": o.status, "shared_m2": round(o.shared_m2, 1)}
            for o in result.overlaps
        ],
        "counts": {
            "from": result.counts.first,
            "to": result.counts.last,
            "rows": [
                {"phenomenon": code, "label": label, "count": n}
                for code, label, n in result.counts.rows
            ],
        },
    }
