"""A raster basemap from one file, tile by tile: MBTiles (SQLite) or PMTiles (one archive).

Why: on a closed network a zone has no tile server, yet a map without streets is hard to read.
QGIS writes a zone's basemap as MBTiles ("Generate XYZ tiles (MBTiles)"), and PMTiles is the
single-file archive of the Protomaps tools; the app serves either from its own host
(``MMM_BASEMAP``, :mod:`webmap.tiles`). Tiles are addressed as the browser asks for them (XYZ,
y down from the north); MBTiles stores rows the TMS way (y up from the south), so the row is
flipped here. PMTiles is read with the ``pmtiles`` package (Protomaps' reference reader, pure
Python): it checks the format's magic number and version itself, but reads gzip-compressed
directories only and hands tiles back as stored, so both are checked when the file is opened.
"""

from __future__ import annotations

import html
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmm.errors import MMMError

#: Media type per tile format (MBTiles ``format`` metadata, PMTiles ``tile_type``).
MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "avif": "image/avif",
}
#: PMTiles ``tile_type`` codes of the raster formats.
_PMTILES_TYPES = {2: "png", 3: "jpg", 4: "webp", 5: "avif"}
_HIGHEST_ZOOM = 30
_TAG = re.compile(r"<[^>]*>")


class BasemapUnusable(MMMError):
    """The basemap file cannot be served: missing, not MBTiles or PMTiles, or vector tiles."""


@dataclass(frozen=True, eq=False)
class Basemap:
    """An opened basemap file: its tiles, their media type, and its attribution (plain text)."""

    path: Path
    media_type: str
    attribution: str
    min_zoom: int
    max_zoom: int
    version: str  # changes when the file does (an HTTP ETag)
    _reader: Any = field(repr=False)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes (XYZ numbering), or ``None`` when the file has no such tile."""
        if not (0 <= z <= _HIGHEST_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
            return None
        return self._reader(z, x, y)


def open_basemap(path: str | Path) -> Basemap:
    """Open an MBTiles (``.mbtiles``) or PMTiles (``.pmtiles``) file of raster tiles.

    Raises
    ------
    BasemapUnusable
        When the file is missing or unreadable, is neither format, or holds vector tiles (the
        maps draw raster tiles: PNG, JPEG, WebP or AVIF).
    """
    path = Path(path)
    if not path.is_file():
        raise BasemapUnusable(f"MMM_BASEMAP: no such file {path}")
    suffix = path.suffix.lower()
    stat = path.stat()
    version = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
    if suffix == ".mbtiles":
        return _open_mbtiles(path, version)
    if suffix == ".pmtiles":
        return _open_pmtiles(path, version)
    raise BasemapUnusable(f"MMM_BASEMAP: {path.name} is not an .mbtiles or .pmtiles file")


def _open_mbtiles(path: Path, version: str) -> Basemap:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            meta = dict(conn.execute("SELECT name, value FROM metadata").fetchall())
            conn.execute("SELECT 1 FROM tiles LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        raise BasemapUnusable(f"MMM_BASEMAP: {path.name} is no MBTiles file ({exc})") from None
    kind = str(meta.get("format", "png")).lower()
    if kind not in MEDIA_TYPES:
        raise BasemapUnusable(
            f"MMM_BASEMAP: {path.name} holds {kind} tiles; the maps need raster tiles "
            f"({', '.join(sorted(set(MEDIA_TYPES)))})"
        )

    def read(z: int, x: int, y: int) -> bytes | None:
        # One short read-only connection per tile: sqlite3 connections are not shared between
        # the server's threads, and opening one costs less than drawing the tile.
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            row = conn.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                "AND tile_row = ?",
                (z, x, (1 << z) - 1 - y),  # TMS rows count from the south
            ).fetchone()
        return None if row is None else bytes(row[0])

    return Basemap(
        path,
        MEDIA_TYPES[kind],
        plain_text(str(meta.get("attribution", ""))),
        int(meta.get("minzoom", 0)),
        int(meta.get("maxzoom", _HIGHEST_ZOOM)),
        version,
        read,
    )


def _open_pmtiles(path: Path, version: str) -> Basemap:
    from pmtiles.reader import MmapSource, Reader
    from pmtiles.tile import Compression, MagicNumberNotFound, SpecVersionUnsupported

    handle = path.open("rb")
    try:
        reader = Reader(MmapSource(handle))
        header = reader.header()
        if header["internal_compression"] != Compression.GZIP:
            raise BasemapUnusable(
                f"MMM_BASEMAP: {path.name} has directories compressed as "
                f"{header['internal_compression'].name}; write it with gzip (pmtiles convert)"
            )
        kind = _PMTILES_TYPES.get(int(header["tile_type"].value))
        if kind is None or header["tile_compression"] not in (
            Compression.NONE,
            Compression.UNKNOWN,
        ):
            raise BasemapUnusable(
                f"MMM_BASEMAP: {path.name} holds vector or compressed tiles; the maps need "
                "raster tiles (PNG, JPEG, WebP or AVIF)"
            )
        meta = reader.metadata()
    except (MagicNumberNotFound, SpecVersionUnsupported):
        handle.close()
        raise BasemapUnusable(f"MMM_BASEMAP: {path.name} is no PMTiles file of version 3") from None
    except (ValueError, OSError, EOFError) as exc:  # a damaged file: bad JSON, gzip, mmap
        handle.close()
        raise BasemapUnusable(f"MMM_BASEMAP: {path.name} cannot be read ({exc})") from None
    except BasemapUnusable:
        handle.close()
        raise

    def read(z: int, x: int, y: int) -> bytes | None:
        data = reader.get(z, x, y)
        return None if data is None else bytes(data)

    return Basemap(
        path,
        MEDIA_TYPES[kind],
        plain_text(str(meta.get("attribution", ""))),
        int(header["min_zoom"]),
        int(header["max_zoom"]),
        version,
        read,
    )


def plain_text(attribution: str) -> str:
    """An attribution as plain text: tags dropped, entities read (``&copy;`` → ``©``).

    A file's attribution is often HTML (a link to the data's licence); a page shows it as
    text, so nothing in the file can add markup or script to the app's pages.
    """
    return html.unescape(_TAG.sub("", attribution)).strip()
