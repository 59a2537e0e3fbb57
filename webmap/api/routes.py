"""``/api/perimeters`` and ``/api/counts``: only what the user's scope shows."""

from __future__ import annotations

from flask import abort, jsonify, request
from werkzeug.wrappers import Response

from mmm import access
from mmm.aggregate import PERIODS, count_incidents
from mmm.disclosure import suppress_long
from mmm.geojson import feature_collection, perimeter_features
from webmap.api import bp
from webmap.extensions import current_scope, get_store


@bp.get("/perimeters")
def perimeters() -> Response:
    shown = access.visible_perimeters(get_store().perimeters(), current_scope())
    return jsonify(feature_collection(perimeter_features(shown)))


@bp.get("/perimeters/<int:perimeter_id>")
def perimeter(perimeter_id: int) -> Response:
    shown = access.visible_perimeters(get_store().perimeters(), current_scope())
    match = shown[shown["id"] == perimeter_id]
    if match.empty:
        abort(404)  # the same answer for "does not exist" and "not yours"
    return jsonify(perimeter_features(match)[0])


@bp.get("/counts")
def counts() -> Response:
    period = request.args.get("period", "month")
    if period not in PERIODS:
        abort(400, f"period must be one of {', '.join(PERIODS)}")
    store, scope = get_store(), current_scope()
    shown = access.visible_perimeters(store.perimeters(), scope)
    table = count_incidents(store.incidents(), shown, period=period)  # type: ignore[arg-type]
    table = access.visible_counts(table, shown, scope)
    if scope.thresholds is not None:
        table = suppress_long(table, scope.thresholds)
    records = table[["perimeter", "phenomenon", "period", "count"]].to_dict(orient="records")
    return jsonify([{k: _plain(v) for k, v in r.items()} for r in records])


def _plain(value: object) -> object:
    """numpy numbers → Python numbers for JSON; strings ("<5") stay strings."""
    return value.item() if hasattr(value, "item") else value
