"""The API definition of ``/ogc`` (OpenAPI 3.0): what the landing page's ``service-desc`` names.

Clients read the bounds of ``limit`` from it (QGIS asks for pages of its maximum).
"""

from __future__ import annotations

from typing import Any

from mmm.present import ogc

OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


PARAMETERS: dict[str, dict[str, Any]] = {
    "limit": _parameter(
        "limit",
        "Items per page; a larger value is lowered to the maximum.",
        {"type": "integer", "minimum": 1, "maximum": ogc.MAX_LIMIT, "default": ogc.DEFAULT_LIMIT},
    ),
    "offset": _parameter(
        "offset", "Matching items to skip.", {"type": "integer", "minimum": 0, "default": 0}
    ),
    "bbox": _parameter(
        "bbox",
        "west,south,east,north in degrees (CRS84): the items whose geometry intersects it.",
        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
    ),
    "period": _parameter(
        "period", "counts: all, YYYY, YYYY-Qn or YYYY-MM (default all).", {"type": "string"}
    ),
    "from": _parameter("from", "counts: the first month, YYYY-MM.", {"type": "string"}),
    "to": _parameter("to", "counts: the last month, YYYY-MM.", {"type": "string"}),
}
COLLECTION_ID = {
    "name": "collectionId",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(ogc.COLLECTIONS)},
}
FEATURE_ID = {"name": "featureId", "in": "path", "required": True, "schema": {"type": "integer"}}


def _get(summary: str, kind: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    ok = {"description": summary, "content": {kind: {}}}
    refused = {"description": "Not logged in (send Authorization: Bearer <API token>)"}
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {"200": ok, "401": refused},
        }
    }


def openapi(root: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of the API at ``root`` (the landing page's absolute URL)."""
    json, geojson = "application/json", "application/geo+json"
    items = [COLLECTION_ID, *(PARAMETERS.values())]
    return {
        "openapi": "3.0.3",
        "info": {"title": "MMM Planner – OGC API – Features", "version": "1.0.0"},
        "servers": [{"url": root.rstrip("/")}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}],
        "paths": {
            "/": _get("The landing page", json, []),
            "/conformance": _get("The conformance classes", json, []),
            "/api": _get("This API definition", OPENAPI_TYPE, []),
            "/collections": _get("The collections", json, []),
            "/collections/{collectionId}": _get("A collection", json, [COLLECTION_ID]),
            "/collections/{collectionId}/items": _get("A page of items", geojson, items),
            "/collections/{collectionId}/items/{featureId}": _get(
                "One item", geojson, [COLLECTION_ID, FEATURE_ID]
            ),
        },
    }
