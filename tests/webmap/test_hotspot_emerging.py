"""The hotspot page's emerging hot spots: the form runs them, the map gets a layer per
phenomenon and the page a summary equal to the core's categories; a period too short is a 400."""

from __future__ import annotations

import re
from datetime import date

from mmm.hotspots import HotspotOptions, run_hotspots
from mmm.store import open_store


def test_emerging_by_month_layers_and_summary(login, demo_store_url):
    query = "from=2024-01&to=2025-12&emerging=month"
    page = login("analyst").get(f"/hotspots?{query}").get_data(as_text=True)
    assert 'id="emerging"' in page and 'name="emerging"' in page
    assert '<option value="month" selected' in page
    assert page.count("mmm_extra_") >= 2  # the overlay script and its layers
    store = open_store(demo_store_url)
    try:
        options = HotspotOptions(
            start=date(2024, 1, 1), end=date(2025, 12, 31), emerging_step="month"
        )
        result = run_hotspots(store, options)
    finally:
        store.close()
    summary = re.search(r'<table class="data emerging">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr><th>(.*?)</th>\s*<td>(.*?)</td></tr>", summary, re.S)
    assert len(rows) == len(result.layers)
    for layer, (_label, cells) in zip(result.layers, rows, strict=True):
        shown = [
            int(n.replace(".", "").replace(",", "")) for n in re.findall(r"\(([\d.,]+)\)", cells)
        ]
        assert sum(shown) == int(result.grid.mask.sum())
        assert len(shown) == len(set(layer.emerging[result.grid.mask]))
    download = [a for a in re.findall(r'formaction="([^"]+)"', page) if "cells.csv" in a]
    assert download and "emerging=month" in download[0]  # the download is the same run


def test_a_period_too_short_for_the_steps_is_refused(login):
    response = login("analyst").get("/hotspots?from=2025-01&to=2025-06&emerging=month")
    assert response.status_code == 400
    quarters = login("analyst").get("/hotspots?from=2024-01&to=2025-12&emerging=quarter")
    assert quarters.status_code == 400
    assert login("analyst").get("/hotspots?emerging=weekly").status_code == 400
