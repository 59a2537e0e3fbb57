"""What lies under every map: the raster basemap, the streets with their names, street search.

Why one module: every map of the app — the zone map, a perimeter's, the editor, the hotspot
map, a plan's, reports and their PDF, meeting slides, the offline dossier — shows the same
background, so where it comes from is said once, in a :class:`Backdrop`, and drawn by one
script (``backdrop.js``, with ``backdrop.css``). A page served by the app points at the app's
routes (street tiles, street search, basemap tiles) and the browser fetches what the view
needs; a page that must open without the app (the dossier, the copy Chromium prints) carries
the few tiles around its perimeter and its own search index instead (:func:`carried`).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmm.io.basemap import Basemap
from mmm.present.maps.streets import (
    LABEL_ZOOM,
    MAX_ZOOM,
    MIN_ZOOM,
    StreetNetwork,
    fit_zoom,
    tile_range,
)
from mmm.present.style import Translate, untranslated

_HERE = Path(__file__).parent
_JS = (_HERE / "backdrop.js").read_text(encoding="utf-8")
_CSS = (_HERE / "backdrop.css").read_text(encoding="utf-8")
#: The size (CSS pixels) a carried map is planned for: a report's map on A4.
CARRIED_MAP_PX = (700, 420)
#: Most basemap images carried by one page (a raster tile weighs 10–50 kB).
CARRIED_IMAGE_LIMIT = 48


@dataclass(frozen=True)
class Backdrop:
    """Where a map's background comes from; every part is optional.

    Attributes
    ----------
    tiles, attribution
        URL template of a raster basemap (``/tiles/{z}/{x}/{y}``, or ``MMM_TILES_URL``) and its
        attribution (HTML-escaped text).
    native_zooms
        The zooms the basemap has tiles for (its file's); Leaflet enlarges the closest tiles
        beyond them.
    images
        Basemap tiles carried by the page, ``"z/x/y"`` → ``data:`` URL (instead of ``tiles``).
    streets
        URL template of the street tiles (``…/{z}/{x}/{y}?v=<data version>``).
    street_tiles
        Street tiles carried by the page, ``"z/x/y"`` → tile (instead of ``streets``).
    search
        URL of the street search (``?q=name``).
    places
        The page's own search index (instead of ``search``).
    """

    tiles: str | None = None
    attribution: str | None = None
    native_zooms: tuple[int, int] | None = None
    images: Mapping[str, str] | None = None
    streets: str | None = None
    street_tiles: Mapping[str, Any] | None = None
    search: str | None = None
    places: list[dict[str, Any]] | None = None

    @property
    def has_basemap(self) -> bool:
        """Whether a raster basemap is drawn (the zone's white fill is then lighter)."""
        return bool(self.tiles or self.images)

    def script_data(self, translate: Translate = untranslated) -> dict[str, Any]:
        """What ``backdrop.js`` reads (``MmmBackdrop.add(map, data)``)."""
        _ = translate
        low, high = self.native_zooms or (0, MAX_ZOOM)
        return {
            "tiles": self.tiles,
            "attribution": self.attribution,
            "minNative": low,
            "maxNative": min(high, MAX_ZOOM),
            "images": dict(self.images) if self.images is not None else None,
            "streets": self.streets,
            "streetTiles": dict(self.street_tiles) if self.street_tiles is not None else None,
            "search": self.search,
            "places": self.places,
            "minZoom": MIN_ZOOM,
            "maxZoom": MAX_ZOOM,
            "labelZoom": LABEL_ZOOM,
            "text": {
                "search": _("Find a street"),
                "none": _("No street of that name"),
                "failed": _("The street search did not answer."),
            },
        }


#: No basemap, no streets: a map on a blank background.
NO_BACKDROP = Backdrop()


def page_assets() -> tuple[str, str]:
    """The stylesheet and script of the backdrop, for a page that is no Folium map (the editor)."""
    return _CSS, _JS


def folium_code() -> tuple[str, str]:
    """The backdrop's ``<style>`` for a Folium map's header, and its script for the map's own
    script (after Leaflet has loaded).

    branca renders both as Jinja templates, so our own CSS and JS must hold no ``{{``, ``{%``
    or ``{#`` (checked here).
    """
    for code in (_CSS, _JS):
        if any(tag in code for tag in ("{{", "{%", "{#")):
            raise ValueError("backdrop.js or backdrop.css opens a Jinja tag")
    return f"<style>{_CSS}</style>", _JS


def carried(
    bounds: tuple[float, float, float, float],
    network: StreetNetwork | None,
    basemap: Basemap | None,
) -> Backdrop:
    """The backdrop a page carries around ``bounds`` (EPSG:31370), to open without the app.

    Streets at the zoom a report's map fits ``bounds`` at (:data:`CARRIED_MAP_PX`), one zoom
    out and two in, over the view one zoom out; basemap tiles at the fitted zoom and the one
    in, as ``data:`` URLs (at most :data:`CARRIED_IMAGE_LIMIT`).
    """
    zoom = fit_zoom(bounds, *CARRIED_MAP_PX)
    view = _view(bounds, zoom - 1)
    streets: dict[str, Any] | None = None
    places: list[dict[str, Any]] | None = None
    if network is not None:
        streets = network.tiles_around(view, range(zoom - 1, zoom + 3))
        places = network.places_around(view)
    images: dict[str, str] | None = None
    attribution = native = None
    if basemap is not None:
        images, native = {}, (basemap.min_zoom, basemap.max_zoom)
        attribution = html.escape(basemap.attribution) if basemap.attribution else None
        for z in sorted(
            {min(max(z, basemap.min_zoom), basemap.max_zoom) for z in (zoom, zoom + 1)}
        ):
            for x, y in tile_range(view, z)[: CARRIED_IMAGE_LIMIT - len(images)]:
                data = basemap.tile(z, x, y)
                if data is not None:
                    encoded = base64.b64encode(data).decode("ascii")
                    images[f"{z}/{x}/{y}"] = f"data:{basemap.media_type};base64,{encoded}"
    return Backdrop(
        attribution=attribution,
        native_zooms=native,
        images=images,
        street_tiles=streets,
        places=places,
    )


def _view(
    bounds: tuple[float, float, float, float], zoom: int
) -> tuple[float, float, float, float]:
    """``bounds`` grown to the ground a map of :data:`CARRIED_MAP_PX` shows at ``zoom``
    (EPSG:31370 metres; a Mercator pixel at Belgium's latitude is about 0.63 m of ground per
    metre of Mercator)."""
    minx, miny, maxx, maxy = bounds
    metres_px = 156_543.034 * 0.63 / 2**zoom
    half_w = max(maxx - minx, CARRIED_MAP_PX[0] * metres_px) / 2
    half_h = max(maxy - miny, CARRIED_MAP_PX[1] * metres_px) / 2
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
