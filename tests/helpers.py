"""Small builders shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from shapely.geometry import box

#: A small zone around (172 000, 174 000) in EPSG:31370, 2 km × 2 km.
ZONE = box(171_000, 173_000, 173_000, 175_000)


def write_csv(path: Path, frame: pd.DataFrame, *, sep: str = ",") -> Path:
    """Write ``frame`` as a CSV file without index and return its path."""
    frame.to_csv(path, index=False, sep=sep)
    return path


def png_bytes(red: int, green: int, blue: int) -> bytes:
    """A valid 1 × 1 PNG of one colour: a tile a test can tell apart from the others."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1 × 1, 8 bits, RGB
    pixels = zlib.compress(bytes([0, red, green, blue]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def write_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], **metadata: str) -> Path:
    """An MBTiles file as QGIS writes one: ``tiles`` by (zoom, column, TMS row), metadata."""
    import sqlite3
    from contextlib import closing

    meta = {"name": "test", "format": "png", "minzoom": "0", "maxzoom": "14", **metadata}
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        conn.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
            "tile_data BLOB)"
        )
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
        conn.executemany(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)", [(*key, data) for key, data in tiles.items()]
        )
    return path
