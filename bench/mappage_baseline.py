"""The baseline of bench/mappage.py: the map an analyst writes first, ``folium.Map`` plus one
``CircleMarker`` per incident, built and rendered in this process, served next to the vendored
Leaflet and loaded like the zone map; and the rule for which sizes it is tried at."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import folium
import pandas as pd
from mappage_browser import PageResult, measure_page, new_context
from playwright.sync_api import Browser
from pyproj import Transformer

from mmm.crs import WEB_CRS, WORKING_CRS
from mmm.demo import PHENOMENA, Demo
from mmm.present.style import CATEGORICAL

VENDOR = Path(__file__).resolve().parents[1] / "webmap" / "static" / "vendor"
BASELINE_MAX_BUILD_S = 60.0
BASELINE_MAX_BYTES = 200_000_000


@dataclass(frozen=True)
class BaselineBuild:
    """A plain Folium page written to disk, and what building it cost."""

    path: Path
    markers: int
    build_s: float  # folium objects + render to HTML, in this process
    bytes: int


def build_baseline(incidents: pd.DataFrame, demo: Demo, path: Path) -> BaselineBuild:
    """``folium.Map`` + one ``CircleMarker`` per incident, Leaflet from ``vendor/`` next to it.

    This is the map an analyst writes first. Folium's CDN scripts (jQuery, Bootstrap…) are
    replaced by the local Leaflet only, so both pages load the same library from the same kind
    of server and the comparison is about the data each page carries.
    """
    to_web = Transformer.from_crs(WORKING_CRS, WEB_CRS, always_xy=True)
    lon, lat = to_web.transform(incidents["x"].to_numpy(), incidents["y"].to_numpy())
    colour_of = {code: CATEGORICAL[i] for i, code in enumerate(PHENOMENA)}
    colours = incidents["phenomenon"].map(colour_of).tolist()
    west, south, east, north = to_web.transform_bounds(*demo.zone.bounds)
    start = time.perf_counter()
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=13, tiles=None)
    fmap.default_js = [("leaflet", "vendor/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", "vendor/leaflet/leaflet.css")]
    for y, x, colour in zip(lat.tolist(), lon.tolist(), colours, strict=True):
        folium.CircleMarker(
            [y, x], radius=3, color=colour, weight=1, fill=True, fill_opacity=0.7
        ).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    page = fmap.get_root().render()
    build_s = time.perf_counter() - start
    data = page.encode("utf-8")
    path.write_bytes(data)
    return BaselineBuild(path, len(incidents), build_s, len(data))


@dataclass(frozen=True)
class Baseline:
    """The baseline at one size: its build and page, or why it was skipped."""

    build: BaselineBuild | None = None
    page: PageResult | None = None
    skipped: str | None = None


def baseline_skip_reason(n: int, last: BaselineBuild, limit: int) -> str | None:
    """Why the baseline at ``n`` markers is out of reach, or ``None`` to try it.

    Sizes are tried in increasing order, up to the size the baseline can handle: a size is
    skipped when it is above ``limit``, when the last baseline built (``last``, the calibration
    at first) already took more than ``BASELINE_MAX_BUILD_S``, or when the page, extrapolated
    from ``last``'s bytes per marker, would weigh more than ``BASELINE_MAX_BYTES``.
    """
    if n > limit:
        return f"above --baseline-max {limit:,}"
    per_byte, per_s = last.bytes / last.markers, last.build_s / last.markers
    basis = (
        f"~{per_byte * n / 1e6:,.0f} MB and ~{per_s * n:,.0f} s to build, from "
        f"{per_byte:,.0f} B and {1e3 * per_s:.2f} ms per marker at {last.markers:,}"
    )
    if last.build_s > BASELINE_MAX_BUILD_S:
        return f"building {last.markers:,} markers already took {last.build_s:,.0f} s ({basis})"
    if per_byte * n > BASELINE_MAX_BYTES:
        return f"the page would weigh more than {BASELINE_MAX_BYTES / 1e6:g} MB ({basis})"
    return None


def measure_baseline(
    browser: Browser, build: BaselineBuild, site_url: str, n: int, loads: int
) -> PageResult:
    """Load the baseline page from the static server, like the zone map."""
    context = new_context(browser)
    try:
        page = context.new_page()
        url = f"{site_url}/{build.path.name}"
        return measure_page(page, url, f"baseline {n:,}", loads=loads)
    finally:
        context.close()


def prepare_site(directory: Path) -> Path:
    """A directory for the baseline pages: the vendored Leaflet and an empty favicon."""
    shutil.copytree(VENDOR / "leaflet", directory / "vendor" / "leaflet")
    (directory / "favicon.ico").write_bytes(b"")  # the app's pages declare one too
    return directory


def leaflet_version() -> str:
    """``Leaflet 1.9.4``, from the vendored file's banner."""
    head = (VENDOR / "leaflet" / "leaflet.js").read_text(errors="replace")[:300]
    for word, nxt in zip(head.split(), head.split()[1:], strict=False):
        if word == "Leaflet":
            return f"Leaflet {nxt.rstrip(',')}"
    return "Leaflet (unknown version)"
