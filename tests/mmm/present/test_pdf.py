"""HTML → PDF with Debian's Chromium: pages, the map drawn, nothing fetched, clear errors."""

from __future__ import annotations

import http.server
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from shapely.geometry import box

from mmm.present import maps
from mmm.present.inline import inline_assets
from mmm.present.pdf import CHROMIUM_FLAGS, PdfError, chromium_flags, html_to_pdf
from mmm.settings import load_settings

STATIC = Path(__file__).resolve().parents[3] / "webmap" / "static"
CHROMIUM = load_settings().chromium


def _page(body: str, head: str = "") -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    )


def _map_page() -> str:
    """A page with a Leaflet map (the app's own perimeter map), everything inlined."""
    zone = box(150_000, 170_000, 154_000, 174_000)
    fmap = maps.perimeter_map(
        perimeter=("Stationsbuurt", box(151_000, 171_000, 152_000, 172_000)),
        zone=zone,
        incidents=None,
        phenomena={},
        assets=maps.Assets.under("/static/vendor"),
    )
    root = fmap.get_root()
    root.render()
    body = (
        "<h1>Voortgangsrapport</h1><div style='position:relative;height:300px'>"
        f"{root.html.render()}</div><script>{root.script.render()}</script>"
    )
    return inline_assets(_page(body, root.header.render()), "/static", STATIC)


def test_flags_keep_chromium_quiet_and_drop_the_sandbox_only_as_root() -> None:
    flags = chromium_flags()
    assert set(CHROMIUM_FLAGS) <= set(flags)
    assert ("--no-sandbox" in flags) == (os.geteuid() == 0)


def test_a_missing_chromium_says_what_to_install_or_set() -> None:
    with pytest.raises(PdfError, match="MMM_CHROMIUM"):
        html_to_pdf(_page("<p>x</p>"), chromium="/nonexistent/chromium")


def test_a_page_with_a_map_prints_after_the_map_is_drawn() -> None:
    pdf = html_to_pdf(_map_page(), chromium=CHROMIUM)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = reader.pages[0].extract_text()
    assert "Voortgangsrapport" in text
    assert "300 m" in text or "500 m" in text  # Leaflet's scale bar: the map was drawn


def test_page_breaks_give_pages_of_a4() -> None:
    body = "".join(
        f"<section style='break-after: page'><h1>Pagina {i}</h1></section>" for i in range(1, 4)
    )
    reader = PdfReader(io.BytesIO(html_to_pdf(_page(body), chromium=CHROMIUM)))
    assert len(reader.pages) == 3
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width == pytest.approx(595.3, abs=1) and height == pytest.approx(841.9, abs=1)  # A4
    assert [p.extract_text().strip() for p in reader.pages] == ["Pagina 1", "Pagina 2", "Pagina 3"]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_the_page_cannot_make_chromium_fetch_anything(listener) -> None:
    url, seen = listener
    body = f"<h1>Rapport</h1><img src='{url}/img.png'><script src='{url}/x.js'></script>"
    html_to_pdf(_page(body), chromium=CHROMIUM)
    assert seen == []


def test_an_allowed_origin_is_reached(listener) -> None:
    url, seen = listener
    html_to_pdf(_page(f"<img src='{url}/tile.png'>"), chromium=CHROMIUM, allow_origins=[url])
    assert seen == ["/tile.png"]
