"""Draw a perimeter by clicking on the map, save it, see its counts, move a vertex: version 2.

Runs on a live app with a demo store of its own (the shared ``live_url`` store is read by the
other browser tests, and this test writes perimeters).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from mmm.demo import add_demo_partners, add_demo_users, load_demo
from mmm.store import open_store
from tests.browser.conftest import ARTIFACTS, Problems, log_in
from webmap import create_app


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = Path(tmp_path_factory.mktemp("browser-editor")) / "demo.sqlite"
    store = open_store(f"sqlite:///{path}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_users(store)
    store.close()
    app = create_app({"MMM_STORE": f"sqlite:///{path}", "SECRET_KEY": "browser-editor"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_draw_save_count_edit_a_vertex_and_see_version_two(
    page: tuple[Page, Problems], editor_url: str
) -> None:
    tab, problems = page
    log_in(tab, editor_url, "/perimeters/new")
    box = tab.locator("#editor-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    tab.click(".leaflet-pm-icon-polygon")
    corners = [(cx - 80, cy - 60), (cx + 80, cy - 60), (cx + 80, cy + 60), (cx - 80, cy + 60)]
    for x, y in corners:
        tab.mouse.click(x, y)
    tab.mouse.click(*corners[0])  # clicking the first vertex again closes the polygon
    tab.fill("input[name=name]", "Getekend in de browser")
    tab.select_option("select[name=status]", "active")
    tab.click("#save")

    expect(tab.locator("#result-title")).to_contain_text("1")
    counts = tab.locator("#result-counts tr")
    expect(counts.first).to_be_visible()
    numbers = [int(n) for n in tab.locator("#result-counts td.num").all_inner_texts()]
    assert numbers and sum(numbers) > 0  # the demo zone's centre has incidents
    assert re.search(r"/perimeters/\d+/edit$", tab.url)
    tab.screenshot(path=str(ARTIFACTS / "perimeter-editor-saved.png"))

    tab.click(".leaflet-pm-icon-edit")
    vertex = tab.locator(".marker-icon:not(.marker-icon-middle)").nth(1)
    vbox = vertex.bounding_box()
    assert vbox is not None
    vx, vy = vbox["x"] + vbox["width"] / 2, vbox["y"] + vbox["height"] / 2
    tab.mouse.move(vx, vy)
    tab.mouse.down()
    tab.mouse.move(vx + 30, vy - 25, steps=8)
    tab.mouse.up()
    tab.click(".leaflet-pm-icon-edit")  # leave edit mode
    tab.click("#save")
    expect(tab.locator("#result-title")).to_contain_text("2")

    tab.click("#result-link")
    history = tab.locator("table.history tbody tr")
    expect(history).to_have_count(2)
    first_row = history.first.locator("td")
    assert first_row.nth(0).inner_text() == "2" and first_row.nth(2).inner_text() == "analist"
    assert "m²" in first_row.nth(6).inner_text()  # the area change against version 1
    tab.screenshot(path=str(ARTIFACTS / "perimeter-history.png"), full_page=True)
    assert list(problems) == []


def test_a_bow_tie_is_refused_and_its_crossing_point_shown(
    page: tuple[Page, Problems], editor_url: str
) -> None:
    tab, problems = page
    log_in(tab, editor_url, "/perimeters/new")
    box = tab.locator("#editor-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.click(".leaflet-pm-icon-polygon")
    corners = [(cx - 80, cy - 60), (cx + 80, cy + 60), (cx + 80, cy - 60), (cx - 80, cy + 60)]
    for x, y in corners:
        tab.mouse.click(x, y)
    tab.mouse.click(*corners[0])
    tab.fill("input[name=name]", "Strik")
    tab.click("#save")
    expect(tab.locator("#editor-message")).to_be_visible()
    expect(tab.locator("#editor-message")).to_contain_text("kruist zichzelf (een strik)")
    marker = tab.locator("path.mmm-problem")
    expect(marker).to_have_count(1)
    mbox = marker.bounding_box()
    assert mbox is not None
    assert (
        abs(mbox["x"] + mbox["width"] / 2 - cx) < 6 and abs(mbox["y"] + mbox["height"] / 2 - cy) < 6
    )
    tab.screenshot(path=str(ARTIFACTS / "perimeter-bow-tie.png"))
    # the refusal is an expected 422 answer of the API, not a failure of the page
    assert [p for p in problems if "422" not in p] == []


def test_two_parts_drawn_then_one_split_off_into_a_new_perimeter(
    page: tuple[Page, Problems], editor_url: str
) -> None:
    tab, problems = page
    log_in(tab, editor_url, "/perimeters/new")
    box = tab.locator("#editor-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx in (-120, 60):  # two rectangles: corner, then the opposite corner
        tab.click(".leaflet-pm-icon-rectangle")
        tab.mouse.click(cx + dx, cy - 40)
        tab.mouse.click(cx + dx + 60, cy + 40)
    tab.fill("input[name=name]", "Twee stukken")
    tab.click("#save")
    expect(tab.locator("#result-title")).to_contain_text("1")
    expect(tab.locator("#split")).to_be_visible()
    tab.fill("#split-name", "Het rechtse stuk")
    tab.click("#split-start")
    tab.mouse.click(cx + 90, cy)
    expect(tab.locator("#editor-message")).to_contain_text("Het rechtse stuk")
    expect(tab.locator("#result-title")).to_contain_text("Het rechtse stuk")
    expect(tab.locator("#split")).to_be_hidden()  # one part left
    assert list(problems) == []
