"""OGC API – Features at ``/ogc``: the landing page, conformance, the API definition, the
collections ``perimeters`` and ``counts``, their items (paged) and one item by id.

What the collections hold and who sees what is :mod:`mmm.present.ogc`'s; these views parse the
query, ask it for one page and add the links (absolute, so a client follows them as they are:
``next`` and ``prev`` keep the request's other parameters). Scripts and QGIS log in with an API
token (:mod:`webmap.bearer`); a browser session works too. Errors answer JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from werkzeug.wrappers import Response

from mmm.errors import InvalidPeriod, PeriodOutOfRange
from mmm.present import ogc
from webmap.extensions import current_scope, get_store
from webmap.ogc.openapi import OPENAPI_TYPE, openapi

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

JSON = "application/json"
GEOJSON = "application/geo+json"
COLLECTION = "<any(perimeters, counts):collection_id>"
REFUSED = (ogc.QueryRefused, InvalidPeriod, PeriodOutOfRange)


@bp.get("", strict_slashes=False)
def landing() -> Response:
    """The landing page: what this API is and the links to everything else."""
    return jsonify(
        {
            "title": "MMM Planner",
            "description": "Micro-local perimeters and their incident counts, as your role "
            "and organisation may see them (OGC API – Features).",
            "links": [
                _link("ogc.landing", "self", JSON, "This document"),
                _link("ogc.api", "service-desc", OPENAPI_TYPE, "The API definition"),
                _link("ogc.conformance", "conformance", JSON, "Conformance classes"),
                _link("ogc.collections", "data", JSON, "The collections"),
            ],
        }
    )


@bp.get("/conformance")
def conformance() -> Response:
    """The conformance classes this API implements."""
    return jsonify({"conformsTo": list(ogc.CONFORMANCE)})


@bp.get("/api")
def api() -> Response:
    """The API definition (OpenAPI 3.0): paths, parameters, bounds of ``limit``."""
    response = jsonify(openapi(url_for("ogc.landing", _external=True)))
    response.mimetype = "application/vnd.oai.openapi+json"
    return response


@bp.get("/collections")
def collections() -> Response:
    """Both collections, with the extent of the perimeters the reader may see."""
    extent = ogc.extent(get_store(), current_scope())
    return jsonify(
        {
            "collections": [_collection(cid, extent) for cid in ogc.COLLECTIONS],
            "links": [_link("ogc.collections", "self", JSON, "This document")],
        }
    )


@bp.get(f"/collections/{COLLECTION}")
def collection(collection_id: str) -> Response:
    """One collection's description."""
    return jsonify(_collection(collection_id, ogc.extent(get_store(), current_scope())))


@bp.get(f"/collections/{COLLECTION}/items")
def items(collection_id: str) -> Response:
    """A page of the collection's items: ``bbox``, ``limit``, ``offset`` (and the counts' span)."""
    args = request.args
    try:
        ogc.check_parameters(collection_id, list(args))
        query = ogc.Query(
            bbox=ogc.parse_bbox(args.get("bbox")),
            limit=ogc.parse_limit(args.get("limit")),
            offset=ogc.parse_offset(args.get("offset")),
        )
        page = _page(collection_id, query)
    except REFUSED as error:
        abort(400, str(error))
    links = [
        _items_link(collection_id, "self", query.offset, query.limit),
        _link("ogc.collection", "collection", JSON, "The collection", collection_id),
    ]
    if query.offset + len(page.features) < page.matched:
        links.append(_items_link(collection_id, "next", query.offset + query.limit, query.limit))
    if query.offset > 0:
        previous = max(query.offset - query.limit, 0)
        links.append(_items_link(collection_id, "prev", previous, query.limit))
    body = {
        "type": "FeatureCollection",
        "features": page.features,
        "numberMatched": page.matched,
        "numberReturned": len(page.features),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": links,
    }
    return _geojson(body)


@bp.get(f"/collections/{COLLECTION}/items/<int:perimeter_id>")
def item(collection_id: str, perimeter_id: int) -> Response:
    """One item by its id (the perimeter's): 404 when there is none or it is not the reader's."""
    args = request.args
    try:
        ogc.check_parameters(collection_id, list(args))
        page = _page(collection_id, ogc.Query(perimeter_id=perimeter_id))
    except REFUSED as error:
        abort(400, str(error))
    if not page.features:
        abort(404, f"no {collection_id} item {perimeter_id}")
    feature = page.features[0]
    feature["links"] = [
        _link("ogc.item", "self", GEOJSON, "This feature", collection_id, perimeter_id),
        _link("ogc.collection", "collection", JSON, "The collection", collection_id),
    ]
    return _geojson(feature)


def _page(collection_id: str, query: ogc.Query) -> ogc.Page:
    """The page of ``query`` in the collection (the counts over the request's span)."""
    store, scope = get_store(), current_scope()
    if collection_id == "perimeters":
        return ogc.perimeter_page(store, scope, query)
    args = request.args
    span = ogc.parse_span(store, args.get("period"), args.get("from"), args.get("to"))
    return ogc.count_page(store, scope, span, query)


def _collection(collection_id: str, extent: list[float] | None) -> dict[str, Any]:
    title, description = ogc.COLLECTIONS[collection_id]
    found: dict[str, Any] = {
        "id": collection_id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [ogc.CRS84],
        "links": [
            _link("ogc.collection", "self", JSON, title, collection_id),
            _link("ogc.items", "items", GEOJSON, f"{title}: items", collection_id),
        ],
    }
    if extent is not None:
        found["extent"] = {"spatial": {"bbox": [extent], "crs": ogc.CRS84}}
    return found


def _link(
    endpoint: str,
    rel: str,
    kind: str,
    title: str,
    collection_id: str | None = None,
    perimeter_id: int | None = None,
) -> dict[str, str]:
    values: dict[str, Any] = {"collection_id": collection_id, "perimeter_id": perimeter_id}
    known = {k: v for k, v in values.items() if v is not None}
    href = url_for(endpoint, _external=True, **known)
    return {"href": href, "rel": rel, "type": kind, "title": title}


def _items_link(collection_id: str, rel: str, offset: int, limit: int) -> dict[str, str]:
    """A link to a page of items: the request's parameters with this offset and limit."""
    args = {**request.args.to_dict(), "offset": str(offset), "limit": str(limit)}
    href = url_for("ogc.items", collection_id=collection_id, _external=True, **args)
    titles = {"self": "This page", "next": "The next page", "prev": "The previous page"}
    return {"href": href, "rel": rel, "type": GEOJSON, "title": titles[rel]}


def _geojson(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.mimetype = GEOJSON
    response.headers["Content-Crs"] = f"<{ogc.CRS84}>"
    return response
