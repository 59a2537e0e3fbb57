"""Density rasters as images for the map: colour ramp, PNG encoding, Leaflet bounds.

Why: the hotspot map draws each phenomenon's KDE raster as an image overlay, and the page must
not need Pillow or a tile server for it: :func:`kde_rgba` colours the raster, :func:`png_bytes`
writes the smallest valid PNG with the standard library, and :func:`kde_png` makes a ``data:``
URL of it that travels inside the page.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np
from branca.utilities import color_brewer

from mmm.present.maps.leaflet import lonlat

#: The KDE colour ramp (light to dark); transparency rises with the density as well.
KDE_RAMP = tuple(color_brewer("YlOrRd", 9))


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an ``(height, width, 4)`` uint8 RGBA array as a PNG file (no Pillow needed).

    The smallest valid PNG: signature, ``IHDR`` (8-bit RGBA, no interlace), one zlib-compressed
    ``IDAT`` chunk whose rows each start with filter byte 0, and ``IEND``; every chunk carries
    its CRC-32 (PNG specification, ISO/IEC 15948). Row 0 is the top of the image.
    """
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or 0 in rgba.shape[:2]:
        raise ValueError(f"expected a non-empty (height, width, 4) array, got {rgba.shape}")
    height, width = rgba.shape[:2]
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgba.reshape(height, -1)], axis=1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9))
        + chunk(b"IEND", b"")
    )


def kde_rgba(density: np.ndarray, top: float | None = None) -> np.ndarray:
    """Colour a density raster: :data:`KDE_RAMP` from 0 to ``top`` (default: its maximum).

    The alpha channel rises with the density (``0.9 * sqrt(d / top)``), so low densities fade
    into the map; 0, NaN (outside the study area) and a raster without density are fully
    transparent. Returns a uint8 ``(rows, cols, 4)`` array, row 0 = north as the raster.
    """
    density = np.asarray(density, dtype=float)
    finite = np.isfinite(density)
    top = float(np.nanmax(density, initial=0.0)) if top is None else float(top)
    t = np.zeros(density.shape)
    if top > 0:
        t[finite] = np.clip(density[finite] / top, 0.0, 1.0)
    ramp = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in KDE_RAMP], dtype=float)
    stops = np.linspace(0.0, 1.0, len(ramp))
    rgb = np.stack([np.interp(t, stops, ramp[:, j]) for j in range(3)], axis=-1)
    alpha = np.where(finite & (t > 0), 255 * 0.9 * np.sqrt(t), 0.0)
    return np.dstack([rgb, alpha]).round().astype(np.uint8)


def kde_png(density: np.ndarray) -> str:
    """The density raster as a ``data:image/png;base64,…`` URL (see :func:`kde_rgba`)."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(kde_rgba(density))).decode()


def raster_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    """Leaflet bounds of a raster in EPSG:31370: the box around its four corners in 4326."""
    minx, miny, maxx, maxy = bounds
    lon, lat = lonlat(np.array([minx, maxx, maxx, minx]), np.array([miny, miny, maxy, maxy]))
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]
