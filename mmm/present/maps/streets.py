"""The streets under every map: the store's street segments as small vector tiles, and search.

Why tiles (and not the streets inside each page, nor one simplified set per zoom): a zone's
network has 2,000–20,000 segments, and a page that carried them all would weigh megabytes and
make Leaflet hold one object per segment — the editor would stutter while a perimeter is drawn.
A tile holds only the segments it crosses, simplified to its own pixels, as small integers
(:func:`encode_tile`): about 15 bytes a segment, so the zone map's first view at 20,000
segments costs a few hundred kB, the browser keeps each tile (its URL carries the data version)
and draws it on one canvas, whatever the number of segments. The street names are placed in the
browser, per tile (``backdrop.js``). Pages that must open without the app — a printed report, the
offline dossier — carry the few tiles around their perimeter inside the page
(:meth:`StreetNetwork.tiles_around`).

Street search reads the same network: each name, split into places where one name is used in
two parts of the zone (two villages' "Kerkstraat"), with the box to zoom to and its lines.

Everything works in Web Mercator (EPSG:3857), the browser's own projection: a tile is then an
exact square and a pixel an exact number of metres, so simplification matches the screen.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import threading
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from mmm.crs import WEB_CRS, WORKING_CRS
from mmm.io.geojson import street_features
from mmm.store import Store

#: Web Mercator: the projection of the browser's tiles.
MERCATOR = "EPSG:3857"
#: Length of the equator in Web Mercator metres: the width of the world at zoom 0.
WORLD_M = 2 * math.pi * 6_378_137.0
TILE_PX = 256
#: Integer units per tile side in a tile's coordinates: a quarter of a screen pixel.
EXTENT = 4 * TILE_PX
#: Zoom levels that have street tiles: from a town's scale (12: about 24 m a pixel) down to
#: the map's closest zoom.
MIN_ZOOM, MAX_ZOOM = 12, 19
#: From this zoom on, street names are written along the lines (about 3 m of ground a pixel).
LABEL_ZOOM = 15
#: Mercator metres between two segments of one name that still make one place (≈ 160 m here).
PLACE_GAP_M = 250.0
#: Segments of one name compared box to box (k² pairs); more use a tree of their own.
_PAIRWISE_MAX = 1500
#: Encoded tiles kept per network (a zone at zooms 12–17 has a few thousand).
TILE_CACHE = 4096
#: Most search answers sent (the browser lists them).
SEARCH_LIMIT = 8
#: Most tiles carried inside one page that opens without the app.
INLINE_TILE_LIMIT = 160


@dataclass(frozen=True)
class Place:
    """One street as search finds it: a name used in one part of the zone."""

    label: str  # the name, with "1/2" when the name is used in several places
    key: str  # the name as search compares it (see :func:`search_key`)
    members: np.ndarray  # positions of its segments in the network
    bounds: tuple[float, float, float, float]  # south, west, north, east (degrees)


class StreetNetwork:
    """The store's street segments, ready to be cut into tiles and searched.

    Built once per data version (:func:`street_network`); read by many threads at once (the
    tile cache has a lock of its own).
    """

    def __init__(self, streets: gpd.GeoDataFrame, version: int) -> None:
        self.version = version
        self.streets = streets.reset_index(drop=True)
        names = [str(n) for n in self.streets["name"]]
        self.names, codes = np.unique(np.asarray(names, dtype=object), return_inverse=True)
        self.codes = codes.astype(np.int64)
        geoms = np.asarray(self.streets.geometry.values, dtype=object)
        self.lines = shapely.transform(geoms, _to_mercator().transform, interleaved=False)
        self.tree = shapely.STRtree(self.lines)
        self.places = _places(self)
        self._cache: OrderedDict[tuple[int, int, int], tuple[bytes, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.lines)

    # -- tiles ---------------------------------------------------------------------------------
    def tile(self, z: int, x: int, y: int) -> dict[str, Any]:
        """The segments crossing tile ``z/x/y`` (XYZ numbering), encoded by :func:`encode_tile`.

        Outside :data:`MIN_ZOOM`–:data:`MAX_ZOOM` or the world, a tile is empty.
        """
        if not (MIN_ZOOM <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
            return {"n": [], "l": []}
        size = WORLD_M / 2**z
        west, north = -WORLD_M / 2 + x * size, WORLD_M / 2 - y * size
        margin = size * 8 / TILE_PX  # a line just outside still shows its width
        hits = np.sort(
            self.tree.query(
                shapely.box(
                    west - margin, north - size - margin, west + size + margin, north + margin
                )
            )
        )
        return encode_tile(self.lines[hits], self.codes[hits], self.names, (west, north, size))

    def tile_bytes(self, z: int, x: int, y: int, *, gzipped: bool) -> bytes:
        """:meth:`tile` as JSON (UTF-8), gzip-compressed when asked; kept in a small cache."""
        key = (z, x, y)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
        if found is None:
            plain = json.dumps(self.tile(z, x, y), separators=(",", ":")).encode("utf-8")
            found = (plain, gzip.compress(plain, compresslevel=6, mtime=0))
            with self._lock:
                self._cache[key] = found
                while len(self._cache) > TILE_CACHE:
                    self._cache.popitem(last=False)
        return found[1] if gzipped else found[0]

    def tiles_around(
        self, bounds: tuple[float, float, float, float], zooms: Iterable[int]
    ) -> dict[str, dict[str, Any]]:
        """The tiles covering ``bounds`` (EPSG:31370) at ``zooms``, by ``"z/x/y"``, for a page
        that opens without the app; the closest zooms are left out first beyond
        :data:`INLINE_TILE_LIMIT` tiles."""
        found: dict[str, dict[str, Any]] = {}
        for z in sorted(z for z in zooms if MIN_ZOOM <= z <= MAX_ZOOM):
            keys = tile_range(bounds, z)
            if len(found) + len(keys) > INLINE_TILE_LIMIT:
                break
            for tx, ty in keys:
                found[f"{z}/{tx}/{ty}"] = self.tile(z, tx, ty)
        return found

    # -- search --------------------------------------------------------------------------------
    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
        """The places whose name holds ``text`` (case, accents and hyphens aside), best first:
        names that start with it, then names with a word that does, then the rest, shortest
        first. Each: ``name``, ``bounds`` (Leaflet's ``[[south, west], [north, east]]``) and
        ``lines`` (GeoJSON, to highlight the street)."""
        query = search_key(text)
        if len(query) < 2:
            return []
        tight = query.replace(" ", "")
        hits = [p for p in self.places if query in p.key or tight in p.key.replace(" ", "")]
        hits.sort(
            key=lambda p: (
                not p.key.startswith(query),
                (" " + query) not in (" " + p.key),
                len(p.key),
                p.label,
            )
        )
        return [self._answer(p, lines=True) for p in hits[:limit]]

    def places_around(self, bounds: tuple[float, float, float, float]) -> list[dict[str, Any]]:
        """The places with a segment in ``bounds`` (EPSG:31370): a page's own search index."""
        box = shapely.transform(shapely.box(*bounds), _to_mercator().transform, interleaved=False)
        inside = set(self.tree.query(box).tolist())
        found = [p for p in self.places if inside.intersection(p.members.tolist())]
        return [{**self._answer(p, lines=False), "key": p.key} for p in found]

    def _answer(self, place: Place, *, lines: bool) -> dict[str, Any]:
        south, west, north, east = place.bounds
        answer: dict[str, Any] = {"name": place.label, "bounds": [[south, west], [north, east]]}
        if lines:
            answer["lines"] = street_features(self.streets.iloc[place.members], zoom=17)
        return answer


# -- encoding ------------------------------------------------------------------------------------
def encode_tile(
    lines: np.ndarray,
    codes: np.ndarray,
    names: np.ndarray,
    square: tuple[float, float, float],
) -> dict[str, Any]:
    """Lines (Web Mercator) as one tile: ``{"n": [names], "l": [[name, x, y, dx, dy, …], …]}``.

    Each line is simplified to half a pixel of the tile (``square``: west, north, side in
    metres); a line shorter than a pixel is left out. Coordinates are integers in
    :data:`EXTENT` units from the tile's north-west corner, x east and y south (parts outside
    the tile keep their coordinates, below 0 or above the extent), the first pair absolute and
    the others the steps from the one before; steps of zero are dropped. ``name`` indexes
    ``n`` (the tile's own list), or is -1 for a street without a name.
    """
    west, north, size = square
    pixel = size / TILE_PX
    keep = shapely.length(lines) >= pixel
    simple = shapely.simplify(lines[keep], pixel / 2)
    parts, owner = shapely.get_parts(simple, return_index=True)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    if not len(coords):
        return {"n": [], "l": []}
    q = np.empty(coords.shape, dtype=np.int64)
    q[:, 0] = np.round((coords[:, 0] - west) * (EXTENT / size))
    q[:, 1] = np.round((north - coords[:, 1]) * (EXTENT / size))
    starts = np.flatnonzero(np.r_[True, part[1:] != part[:-1]])
    step = np.diff(q, axis=0, prepend=q[:1])
    step[starts] = q[starts]  # each part starts absolute
    moved = np.any(step != 0, axis=1)
    moved[starts] = True
    part_codes = codes[keep][owner]
    used, local = np.unique(part_codes, return_inverse=True)
    tile_names = [str(n) for n in names[used]]
    out = []
    for first, last in zip(starts, [*starts[1:], len(q)], strict=True):
        flat = step[first:last][moved[first:last]]
        if len(flat) < 2:
            continue
        name = int(local[part[first]])
        out.append([name if tile_names[name] else -1, *flat.ravel().tolist()])
    return {"n": tile_names, "l": out}


def tile_range(bounds: tuple[float, float, float, float], z: int) -> list[tuple[int, int]]:
    """The ``(x, y)`` of the tiles at zoom ``z`` that cover ``bounds`` (EPSG:31370)."""
    west, south, east, north = _to_mercator().transform_bounds(*bounds)
    size = WORLD_M / 2**z

    def column(m: float) -> int:
        return min(max(int((m + WORLD_M / 2) // size), 0), 2**z - 1)

    def row(m: float) -> int:
        return min(max(int((WORLD_M / 2 - m) // size), 0), 2**z - 1)

    return [
        (tx, ty)
        for tx in range(column(west), column(east) + 1)
        for ty in range(row(north), row(south) + 1)
    ]


def fit_zoom(bounds: tuple[float, float, float, float], width_px: int, height_px: int) -> int:
    """The zoom at which Leaflet fits ``bounds`` (EPSG:31370) into a map of that size."""
    west, south, east, north = _to_mercator().transform_bounds(*bounds)
    span = max((east - west) / max(width_px - 20, 1), (north - south) / max(height_px - 20, 1))
    if span <= 0:
        return MAX_ZOOM
    return int(min(MAX_ZOOM, max(0, math.floor(math.log2(WORLD_M / TILE_PX / span)))))


# -- search --------------------------------------------------------------------------------------
def search_key(text: str) -> str:
    """``text`` as search compares it: no accents, lower case, words of letters and digits."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def _places(network: StreetNetwork) -> list[Place]:
    """Each name's segments, split where two parts lie more than :data:`PLACE_GAP_M` apart.

    Two segments of one name are neighbours when their bounding boxes come that near (a box
    is a little larger than its line, so a part is at worst joined to a neighbour slightly
    farther); a place is a connected group of neighbours. Compared name by name, so the work
    grows with the segments per name, not with the whole network.
    """
    n = len(network.lines)
    named = np.flatnonzero(network.names[network.codes] != "")
    if not len(named):
        return []
    named = named[np.argsort(network.codes[named], kind="stable")]
    boxes = shapely.bounds(network.lines)
    starts = np.flatnonzero(np.r_[True, np.diff(network.codes[named]) != 0])
    pairs = []
    for group in np.split(named, starts[1:]):
        if len(group) > _PAIRWISE_MAX:  # a very long road: a tree of its own, not k² boxes
            lines = network.lines[group]
            i, j = shapely.STRtree(lines).query(lines, predicate="dwithin", distance=PLACE_GAP_M)
        else:
            b = boxes[group]
            dx = np.maximum(b[:, None, 0], b[None, :, 0]) - np.minimum(b[:, None, 2], b[None, :, 2])
            dy = np.maximum(b[:, None, 1], b[None, :, 1]) - np.minimum(b[:, None, 3], b[None, :, 3])
            i, j = np.nonzero(np.hypot(dx.clip(0), dy.clip(0)) <= PLACE_GAP_M)
        pairs.append(np.column_stack([group[i], group[j]]))
    both = np.concatenate(pairs)
    graph = coo_matrix((np.ones(len(both)), (both[:, 0], both[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    to_web = Transformer.from_crs(MERCATOR, WEB_CRS, always_xy=True)
    groups: dict[int, list[int]] = {}
    for pos in named.tolist():
        groups.setdefault(int(label[pos]), []).append(pos)
    found: list[tuple[str, np.ndarray, tuple[float, float, float, float]]] = []
    for members in groups.values():
        ids = np.asarray(members, dtype=np.int64)
        minx, miny, maxx, maxy = shapely.total_bounds(network.lines[ids])
        west, south, east, north = to_web.transform_bounds(minx, miny, maxx, maxy)
        box = (round(south, 6), round(west, 6), round(north, 6), round(east, 6))
        found.append((str(network.names[network.codes[ids[0]]]), ids, box))
    found.sort(key=lambda f: (f[0], f[2][1]))  # by name, then west to east
    count: dict[str, int] = {}
    for name, _, _ in found:
        count[name] = count.get(name, 0) + 1
    places, seen = [], dict.fromkeys(count, 0)
    for name, ids, box in found:
        seen[name] += 1
        label = name if count[name] == 1 else f"{name} ({seen[name]}/{count[name]})"
        places.append(Place(label, search_key(name), ids, box))
    return places


# -- the network of a store ---------------------------------------------------------------------
_NETWORKS: weakref.WeakKeyDictionary[Store, StreetNetwork | None] = weakref.WeakKeyDictionary()
_VERSIONS: weakref.WeakKeyDictionary[Store, int] = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()


def street_network(store: Store) -> StreetNetwork | None:
    """The store's street network (``None`` when it has no streets), kept per data version.

    A streets import is an import batch, so the data version changes with it; the first map
    request after an import builds the network (≈ 1 s at 20,000 segments), the others share it.
    """
    version = store.data_version()
    with _BUILDING:
        if _VERSIONS.get(store) == version:
            return _NETWORKS[store]
        streets = store.streets()
        network = StreetNetwork(streets, version) if len(streets) else None
        _NETWORKS[store], _VERSIONS[store] = network, version
        return network


@cache
def _to_mercator() -> Transformer:
    return Transformer.from_crs(WORKING_CRS, MERCATOR, always_xy=True)
