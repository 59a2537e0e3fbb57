"""When it happens on the perimeter page, the plan page and the progress report: the heat
tables equal the core's weekday × hour tables, and only staff get them (partners never)."""

from __future__ import annotations

import html
import re

import pytest

from mmm.counting.months import MonthRange
from mmm.store import open_store
from mmm.temporal import when_tables
from tests.webmap.test_perimeters import _station_id
from tests.webmap.test_plans import _plan_ids


def _tables(page: str) -> dict[str, list[list[str]]]:
    """Each heat table of a page: phenomenon → 7 rows of 25 cell texts (24 hours, no time)."""
    found = {}
    for code, body in re.findall(
        r'<details class="when-table" data-phenomenon="([^"]+)".*?<tbody>(.*?)</tbody>', page, re.S
    ):
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        found[code] = [
            [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows
        ]
    return found


def _cell(value: float) -> str:
    """A weight as the Dutch page writes it: none empty, one decimal at most, a decimal comma."""
    if value == 0:
        return ""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",")


@pytest.mark.parametrize("role", ["analyst", "officer", "admin"])
def test_the_perimeter_page_shows_the_core_tables_to_staff(login, app, demo_store_url, role):
    pid = _station_id(app)
    page = login(role).get(f"/perimeters/{pid}").get_data(as_text=True)
    assert "When it happens" in page or "Wanneer het gebeurt" in page
    shown = _tables(page)
    store = open_store(demo_store_url)
    try:
        shapes = store.perimeters()
        geometry = shapes[shapes["id"] == pid].geometry.iloc[0]
        months = re.search(r'name="from" value="(\d{4}-\d{2})".*?name="to" value="(\d{4}-\d{2})"',
                           page, re.S)  # fmt: skip
        assert months is not None
        period = MonthRange(months.group(1), months.group(2))
        core = when_tables(
            store.incidents(), [("", geometry)], sorted(shown), start=period.start, end=period.end
        )
    finally:
        store.close()
    assert len(shown) >= 3
    for table in core:
        rows = shown[table.phenomenon]
        assert len(rows) == 7 and all(len(r) == 25 for r in rows)
        for day in range(7):
            assert rows[day][:24] == [_cell(v) for v in table.hours.weights[day]]
            assert rows[day][24] == (
                str(table.hours.no_time[day]) if table.hours.no_time[day] else ""
            )


@pytest.mark.parametrize("role", ["partner", "dpo"])
def test_partners_and_the_dpo_never_get_them(login, app, role):
    page = login(role).get(f"/perimeters/{_station_id(app)}").get_data(as_text=True)
    assert 'class="when"' not in page and "when-table" not in page


def test_the_plan_page_and_its_report_show_them_to_staff_only(login, demo_store_url):
    station = _plan_ids(demo_store_url)["Stationsbuurt"]
    for url in (f"/plans/{station}", f"/reports/plans/{station}"):
        staff = login("analyst").get(url).get_data(as_text=True)
        assert len(_tables(staff)) >= 1, url
        partner = login("partner").get(url)
        assert partner.status_code == 200 and "when-table" not in partner.get_data(as_text=True)


def test_recent_change_on_the_perimeter_page_equals_the_core(login, app, demo_store_url):
    from mmm.temporal import store_recent_change

    pid = _station_id(app)
    page = login("analyst").get(f"/perimeters/{pid}").get_data(as_text=True)
    section = re.search(r'<section class="recent-change".*?</section>', page, re.S)
    assert section is not None
    store = open_store(demo_store_url)
    try:
        core = store_recent_change(store).table
    finally:
        store.close()
    mine = core[(core["area"] == "Stationsbuurt") & (core["phenomenon"] == "")]
    now = mine[(mine["window"] == "ytd") & (mine["comparison"] == "previous")]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", section.group(0), re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>|[▲▼]", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", first_row, re.S)
    ]
    assert len(cells) == 9
    assert cells[6] == str(int(now["current"].iloc[0])) and cells[7] == str(
        int(now["compared"].iloc[0])
    )
    partner = login("partner").get(f"/perimeters/{pid}").get_data(as_text=True)
    assert "recent-change" not in partner


@pytest.mark.parametrize(
    ("role", "shown"), [("analyst", True), ("officer", True), ("partner", False), ("dpo", False)]
)
def test_the_zone_map_offers_recent_change_to_staff_only(login, role, shown):
    page = login(role).get("/map").get_data(as_text=True)
    assert ("mmm_extra_" in page) is shown


def test_near_repeats_in_words_and_alerts_equal_the_core(login, app, demo_store_url):
    from shapely.geometry import Point

    from mmm.hotspots.near_repeat_alerts import near_repeat_findings, recent_alerts

    store = open_store(demo_store_url)
    try:
        incidents = store.incidents()
        reference = incidents["occurred"].max().date()
        codes = sorted(store.phenomena()["code"])
        findings = near_repeat_findings(incidents, codes, reference=reference)
        shapes = store.perimeters()
    finally:
        store.close()
    reached = {f.phenomenon: f.reach for f in findings if f.reach is not None}
    assert reached  # the demo's drugs incidents cluster in space and time
    page = login("analyst").get("/hotspots").get_data(as_text=True)
    section = re.search(r'<section class="near-repeat".*?</section>', page, re.S).group(0)
    items = dict(re.findall(r'<li data-phenomenon="([^"]+)">(.*?)</li>', section, re.S))
    assert set(items) == set(reached)
    for code, reach in reached.items():
        assert f"{reach.distance_m:g} m" in items[code] and f"{reach.days} " in items[code]
    assert "mmm_extra_" in page  # the alert layer
    alerts = recent_alerts(incidents, [f for f in findings if f.reach], reference=reference)
    pid = _station_id(app)
    geometry = shapes[shapes["id"] == pid].geometry.iloc[0]
    near = [a for a in alerts if geometry.distance(Point(a.x, a.y)) <= a.radius_m]
    perimeter = login("officer").get(f"/perimeters/{pid}").get_data(as_text=True)
    note = re.search(r'<section class="near-repeat".*?</section>', perimeter, re.S).group(0)
    assert re.search(rf"\b{len(near)}\b", note)
    partner = login("partner").get(f"/perimeters/{pid}").get_data(as_text=True)
    assert "near-repeat" not in partner
