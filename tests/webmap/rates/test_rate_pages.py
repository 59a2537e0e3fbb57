"""Rates on the perimeter page: staff get raw and smoothed rates equal to the core's; a partner
gets rates only of its released counts, never smoothed ones."""

from __future__ import annotations

import re

import pytest

from mmm.access.rules import scope_for
from mmm.access.users import user_by_name
from mmm.counting.cells import release
from mmm.counting.months import MonthRange
from mmm.rates import perimeter_denominators, perimeter_rates
from mmm.store import open_store


def _pid(url: str, name: str) -> int:
    store = open_store(url)
    try:
        shapes = store.perimeters()
    finally:
        store.close()
    return int(shapes.loc[shapes["name"] == name, "id"].iloc[0])


def _section(page: str) -> list[list[str]]:
    found = re.search(r'<section class="rates".*?<tbody>(.*?)</tbody>', page, re.S)
    assert found is not None
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", ".").replace("\u202f", "").replace("\xa0", ""))


def _period(page: str) -> MonthRange:
    m = re.search(
        r'name="from" value="(\d{4}-\d{2})".*?name="to" value="(\d{4}-\d{2})"', page, re.S
    )
    assert m is not None
    return MonthRange(m.group(1), m.group(2))


@pytest.mark.parametrize("role", ["analyst", "officer"])
def test_staff_see_raw_and_smoothed_rates_equal_to_the_core(login, rates_store_url, role):
    pid = _pid(rates_store_url, "Stationsbuurt")
    page = login(role).get(f"/perimeters/{pid}").get_data(as_text=True)
    rows = _section(page)
    period = _period(page)
    store = open_store(rates_store_url)
    try:
        codes = sorted(store.phenomena()["code"])
        core = perimeter_rates(store, "residents", codes, start=period.start, end=period.end)
    finally:
        store.close()
    core = core[core["perimeter_id"] == pid]
    assert len(rows) == len(core) == 8
    for shown, r in zip(rows, core.itertuples(), strict=True):
        assert len(shown) == 5 and int(_number(shown[1])) == r.count
        for text, value in zip(shown[2:], (r.rate, r.eb_global, r.eb_local), strict=True):
            assert _number(text) == pytest.approx(value, abs=0.051)


def test_a_partner_gets_rates_of_released_counts_only(login, rates_store_url):
    listing = login("partner").get("/perimeters/").get_data(as_text=True)
    pid = int(re.findall(r'href="/perimeters/(\d+)"', listing)[0])
    page = login("partner").get(f"/perimeters/{pid}").get_data(as_text=True)
    rows = _section(page)
    assert rows and all(len(r) == 3 for r in rows)  # no smoothed columns
    period = _period(page)
    store = open_store(rates_store_url)
    try:
        scope = scope_for(store, user_by_name(store, "partner"))
        shown = release(store, scope)
        shapes = store.perimeters()
        base = perimeter_denominators(store, "residents", shapes[shapes["id"] == pid])[0]
        codes = scope.phenomena(sorted(store.phenomena()["code"]))
    finally:
        store.close()
    mine = [c for c in codes if shown.shows(pid, c)]
    assert len(rows) == len(mine)
    kinds = set()
    for (_label, count, rate), code in zip(rows, mine, strict=True):
        figure = shown.figure([pid], [code], period.month_list())
        kinds.add(figure.kind)
        assert count == figure.text
        if figure.exact:
            assert _number(rate) == pytest.approx(1000 * figure.value / base, abs=0.051)
        else:  # "<5", "×": not released, so no rate
            assert rate == "–"
    assert "exact" in kinds and len(kinds) >= 2  # both a released and a hidden figure


def _rate_layer(page: str) -> dict | None:
    """The data of the zone map's rate overlay (the extra layer whose legend says per 1,000)."""
    import json

    for data in re.findall(r"\}\)\(map_\w+, (\{.*?\})\);\n", page):
        layers = json.loads(data)["layers"]
        for layer in layers:
            if "1,000" in layer["legend"] or "1.000" in layer["legend"]:
                return layer
    return None


@pytest.mark.parametrize(("role", "smoothed"), [("analyst", True), ("partner", False)])
def test_the_zone_map_rate_layer(login, rates_store_url, role, smoothed):
    page = login(role).get("/map?phenomenon=drugs").get_data(as_text=True)
    layer = _rate_layer(page)
    assert layer is not None
    features = layer["features"]["features"]
    assert len(features) == (10 if role == "analyst" else 3)  # the perimeters the map shows
    popups = [f["properties"]["popup"] for f in features]
    assert any("neighbours" in p or "buren" in p for p in popups) is smoothed
    for feature, popup in zip(features, popups, strict=True):
        count = re.search(r"<br>([^<]*?) (incidents|feiten)", popup)
        assert count is not None, popup
        hidden = not count.group(1).strip().isdigit()
        assert (feature["properties"]["style"]["fillColor"] == "#b8bec6") is hidden
