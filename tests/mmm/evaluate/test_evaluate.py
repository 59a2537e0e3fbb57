"""Before/after evaluation: WDD against the published figures, WDQ on worked examples, the four
areas on a tiny synthetic zone with hand-placed points, and the errors a user can make."""

from __future__ import annotations

import math
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from scipy.stats import norm

from mmm.crs import WORKING_CRS
from mmm.errors import InvalidPeriod, NotFound
from mmm.evaluate import (
    CONTROL_BUFFER_LEFT_OUT,
    DateRange,
    InvalidControlArea,
    area_codes,
    evaluate,
    evaluate_counts,
    study_areas,
    time_weight,
    wdd,
    wdq,
)
from mmm.store import BatchInfo, Store

# Wheeler & Ratcliffe (2018), before → after.
PUBLISHED = {
    "Cb": 308, "Ca": 318,  # control
    "Rb": 207, "Ra": 110,  # response area
    "DCb": 150, "DCa": 140,  # control's buffer
    "Db": 178, "Da": 157,  # response area's buffer
}  # fmt: skip


# -- WDD -------------------------------------------------------------------------------------
def test_wdd_reproduces_the_published_check() -> None:
    r = wdd(response=(207, 110), control=(308, 318), buffer=(178, 157), control_buffer=(150, 140))
    # (110 − 207) − (318 − 308) + (157 − 178) − (140 − 150) = −97 − 10 − 21 + 10 = −118
    assert r.estimate == -118
    assert_allclose(r.se, math.sqrt(1568), rtol=1e-12)  # 308+318+207+110+150+140+178+157
    assert round(r.z, 2) == -2.98
    assert_allclose(r.p, 2 * norm.cdf(-118 / math.sqrt(1568)), rtol=1e-12)
    assert (round(r.ci_low), round(r.ci_high)) == (-196, -40)  # the paper's 95 % interval
    assert (r.local, r.displacement) == (-107, -11)
    assert_allclose((r.local_se, r.displacement_se), (math.sqrt(943), math.sqrt(625)))
    assert not r.control_buffer_left_out


def test_evaluate_counts_reproduces_the_published_check() -> None:
    e = evaluate_counts(PUBLISHED, phenomenon="burglary")
    assert (e.wdd, round(e.wdd_z, 2)) == (-118, -2.98)
    assert_allclose(e.wdd_se, math.sqrt(1568))
    assert not e.insufficient_data and e.verdict.startswith("significant decrease")
    assert CONTROL_BUFFER_LEFT_OUT not in e.notes
    assert e.to_dict()["counts"] == PUBLISHED


def test_wdd_weights_match_the_published_extensions() -> None:
    # Wheeler (2021), different pre/post periods: control 100→50, treated 80→20, pre twice as long
    # (20/1 − 80/2) − (50/1 − 100/2) = −20; variance 20 + 80/4 + 50 + 100/4 = 115
    t = wdd(response=(80, 20), control=(100, 50), time_weights=(2, 1))
    assert t.estimate == -20 and t.displacement is None
    assert_allclose(t.se, math.sqrt(115))
    # Wheeler (2021), different area sizes: weights control 0.9, treated 1.2, disp. control 1.6,
    # disp. treated 1.5 on the published counts (values from the ptools test suite)
    a = wdd(
        response=(207, 110),
        control=(308, 318),
        buffer=(178, 157),
        control_buffer=(150, 140),
        area_weights=(1.2, 0.9, 1.5, 1.6),
    )
    assert_allclose(
        (a.estimate, a.se, a.z, a.ci_low, a.ci_high),
        (-99.69444444, 35.4280755, -2.813995483, -169.1321965, -30.25669241),
        rtol=1e-8,
    )


def test_zone_control_leaves_the_control_buffer_term_out_and_says_so() -> None:
    counts = {k: v for k, v in PUBLISHED.items() if not k.startswith("DC")}
    e = evaluate_counts(counts)
    # −97 − 10 − 21 = −128; variance 1568 − 150 − 140 = 1278 (six counts)
    assert e.wdd == -128
    assert_allclose(e.wdd_se**2, 1278)
    assert e.wdd_displacement == -21
    assert CONTROL_BUFFER_LEFT_OUT in e.notes
    assert e.counts["DCb"] is None and e.counts["DCa"] is None
    assert wdd(response=(1, 2), control=(3, 4), buffer=(5, 6)).control_buffer_left_out


def test_time_weight_scales_the_before_counts_of_the_wdd_only() -> None:
    counts = {"Rb": 200, "Ra": 80, "Db": 60, "Da": 30, "Cb": 400, "Ca": 200}
    e = evaluate_counts(counts, time_weight=2.0)  # before twice as long as after
    # (80 − 100) − (200 − 200) + (30 − 30) = −20; WDQ is a ratio within each period
    assert e.wdd == -20
    assert_allclose(e.wdd_se**2, 80 + 200 / 4 + 200 + 400 / 4 + 30 + 60 / 4)
    assert_allclose(e.wdq, wdq(200, 80, 60, 30, 400, 200).value)


# -- WDQ -------------------------------------------------------------------------------------
def test_wdq_worked_example() -> None:
    # R 100 → 60, D 50 → 48, C 500 → 400:
    #   success measure        Ra/Ca − Rb/Cb = 60/400 − 100/500 = 0.15 − 0.20 = −0.05
    #   buffer displacement    Da/Ca − Db/Cb = 48/400 −  50/500 = 0.12 − 0.10 = +0.02
    #   WDQ = 0.02 / −0.05 = −0.4: displacement, smaller than the direct effect
    q = wdq(rb=100, ra=60, db=50, da=48, cb=500, ca=400)
    assert_allclose((q.success, q.buffer_displacement, q.value), (-0.05, 0.02, -0.4))
    assert q.reading == "displacement, smaller than the direct effect" and q.note is None
    # D 50 → 30 instead: 30/400 − 0.10 = −0.025; WDQ = −0.025 / −0.05 = 0.5 (diffusion)
    q = wdq(rb=100, ra=60, db=50, da=30, cb=500, ca=400)
    assert_allclose(q.value, 0.5)
    assert q.reading == "diffusion of benefits"


@pytest.mark.parametrize(
    ("db", "da", "value", "reading"),
    [
        (192, 0, 3.0, "diffusion of benefits, larger than the direct effect"),
        (64, 32, 0.5, "diffusion of benefits"),
        (64, 64, 0.0, "no displacement or diffusion"),
        (64, 128, -1.0, "displacement, smaller than the direct effect"),
        (64, 256, -3.0, "displacement, larger than the direct effect"),
    ],
)
def test_wdq_readings(db: int, da: int, value: float, reading: str) -> None:
    # R 128 → 64 against a steady control of 1024: success = (64 − 128)/1024 = −1/16; the
    # buffer displacement (da − db)/1024 over −1/16 gives the value (exact in binary)
    q = wdq(rb=128, ra=64, db=db, da=da, cb=1024, ca=1024)
    assert q.value == value
    assert q.reading == reading


def test_wdq_is_not_read_without_a_success_or_a_control() -> None:
    up = wdq(rb=50, ra=60, db=10, da=5, cb=100, ca=100)  # R rose relative to the control
    assert up.value is None and up.success == pytest.approx(0.1) and "no decrease" in up.note
    flat = wdq(rb=50, ra=50, db=10, da=5, cb=100, ca=100)  # success measure exactly 0
    assert flat.value is None and flat.buffer_displacement == pytest.approx(-0.05)
    empty = wdq(rb=50, ra=40, db=10, da=5, cb=0, ca=100)
    assert empty.value is None and empty.success is None and "no incident" in empty.note
    e = evaluate_counts({"Rb": 50, "Ra": 60, "Db": 10, "Da": 5, "Cb": 100, "Ca": 100})
    assert e.wdq is None and e.wdd is not None and any("WDQ not read" in n for n in e.notes)


# -- insufficient data -----------------------------------------------------------------------
def test_small_counts_give_insufficient_data_but_keep_the_counts() -> None:
    counts = {"Rb": 12, "Ra": 7, "Db": 5, "Da": 3, "Cb": 30, "Ca": 25, "DCb": 4, "DCa": 6}
    e = evaluate_counts(counts)
    assert e.insufficient_data and e.verdict == "insufficient data"
    assert (e.wdq, e.wdd, e.wdd_se, e.wdd_z, e.wdd_p, e.success) == (None,) * 6
    assert e.counts == counts and "19 incidents" in e.notes[0]
    d = e.to_dict()
    assert d["insufficient_data"] is True and d["wdd"] is None and d["counts"]["Rb"] == 12
    assert not evaluate_counts(counts | {"Rb": 13}).insufficient_data  # 20 is enough
    no_control = evaluate_counts(counts | {"Rb": 120, "Ca": 0})
    assert no_control.insufficient_data and "control area" in no_control.notes[0]
    with pytest.raises(ValueError, match="Cb"):
        evaluate_counts({"Rb": 1, "Ra": 1, "Db": 1, "Da": 1, "Ca": 1})


# -- periods ---------------------------------------------------------------------------------
def test_periods_accept_months_and_days() -> None:
    r = DateRange.parse("2024-01:2024-06")
    assert (r.start, r.end, r.months, r.days) == (date(2024, 1, 1), date(2024, 6, 30), 6, 182)
    assert DateRange.parse(" 2024-02:2024-02 ").end == date(2024, 2, 29)
    d = DateRange.parse("2024-03-15:2024-04-14")
    assert (d.months, d.days, str(d)) == (None, 31, "2024-03-15:2024-04-14")
    assert DateRange.parse("2024-01-01:2024-03").months == 3
    # January–June: 182 days in 2024, 181 in 2025, but both 6 months
    assert time_weight(r, DateRange.parse("2025-01:2025-06")) == 1.0
    assert time_weight(DateRange.parse("2024-01:2024-12"), r) == 2.0
    assert time_weight(d, DateRange.parse("2024-05-01:2024-05-31")) == 1.0


@pytest.mark.parametrize(
    "text", ["2024", "2024-01", "2024-13:2024-12", "2024-02-30:2024-03", "2024-06:2024-01",
             "2024-1:2024-2", "a:b", "2024-01:2024-02:2024-03", ":2024-01", "2024/01:2024/02"],
)  # fmt: skip
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod):
        DateRange.parse(text)


# -- areas on a tiny synthetic zone ----------------------------------------------------------
ZONE = shapely.box(0, 0, 1000, 1000)
R = shapely.box(400, 700, 600, 950)  # its 100 m buffer reaches y = 1050, beyond the zone
CONTROL = shapely.box(0, 0, 200, 200)
#: (x, y, area with the zone as control, area with CONTROL as control); None = no area.
POINTS = [
    (500, 800, "R", "R"),
    (400, 800, "R", "R"),  # on R's edge
    (600, 950, "R", "R"),  # R's corner
    (350, 800, "D", "D"),
    (300, 800, "D", "D"),  # outer edge of the buffer: D before C
    (500, 600, "D", "D"),  # outer edge, below R
    (500, 1000, "D", "D"),  # zone edge inside the buffer
    (500, 1020, None, None),  # in R's buffer but outside the zone: D is clipped
    (500, 550, "C", None),
    (250, 800, "C", None),
    (1000, 1000, "C", None),  # zone corner
    (350, 100, "C", None),
    (100, 100, "C", "C"),
    (0, 0, "C", "C"),  # zone and control corner
    (200, 100, "C", "C"),  # control's edge: C before D_C
    (250, 100, "C", "DC"),
    (300, 100, "C", "DC"),  # outer edge of the control's buffer
    (1500, 1500, None, None),  # outside everything
]


def _codes(control: shapely.Geometry | None) -> list[str | None]:
    areas = study_areas(R, ZONE, buffer_m=100, control=control)
    xy = np.array([p[:2] for p in POINTS], dtype=float)
    names = np.array(["R", "D", "C", "DC"], dtype=object)
    codes = area_codes(xy[:, 0], xy[:, 1], areas)
    return [names[c] if c >= 0 else None for c in codes]


def test_each_point_falls_in_exactly_the_area_it_should() -> None:
    assert _codes(None) == [p[2] for p in POINTS]
    assert _codes(CONTROL) == [p[3] for p in POINTS]


def test_the_area_geometries() -> None:
    zone_ctl = study_areas(R, ZONE, buffer_m=100)
    grown = R.buffer(100)
    assert zone_ctl.control_buffer is None
    assert_allclose(zone_ctl.buffer.area, grown.intersection(ZONE).area - R.area)
    assert_allclose(zone_ctl.control.area, ZONE.area - grown.intersection(ZONE).area)
    assert zone_ctl.areas_km2()["DC"] is None
    named = study_areas(R, ZONE, buffer_m=100, control=CONTROL)
    # the control's ring inside the zone: 300 × 300 − 200 × 200 less the rounded outer corner
    corner = 100**2 - math.pi * 100**2 / 4
    assert_allclose(named.control_buffer.area, 300**2 - 200**2 - corner, rtol=1e-3)
    # a ring that would reach into R's buffer is cut back: D_C never overlaps R ∪ D
    near = study_areas(R, ZONE, buffer_m=100, control=shapely.box(150, 700, 250, 900))
    assert near.control_buffer.intersection(grown).area < 1e-6
    codes = area_codes(np.array([320.0, 270.0]), np.array([800.0, 800.0]), near)
    assert codes.tolist() == [1, 3]  # D, D_C


def test_area_codes_match_a_point_by_point_check() -> None:
    rng = np.random.default_rng(7)
    x, y = rng.uniform(-100, 1100, 2000), rng.uniform(-100, 1100, 2000)
    x[:200], y[:200] = np.round(x[:200], -2), np.round(y[:200], -2)  # many on edges
    areas = study_areas(R, ZONE, buffer_m=100, control=CONTROL)
    expected = []
    for px, py in zip(x, y, strict=True):  # the slow reference, in the test only
        point = shapely.Point(px, py)
        hits = [i for i, g in enumerate(areas.in_order()) if g.covers(point)]
        expected.append(hits[0] if hits else -1)
    assert area_codes(x, y, areas).tolist() == expected


@pytest.mark.parametrize(
    "control",
    [shapely.box(550, 500, 800, 800), shapely.box(650, 750, 900, 900)],  # into R; into D only
)
def test_a_control_overlapping_r_or_d_is_refused(control: shapely.Geometry) -> None:
    with pytest.raises(InvalidControlArea, match="overlaps the response area or its 100 m"):
        study_areas(R, ZONE, buffer_m=100, control=control)


def test_bad_buffers_and_a_zone_without_room_for_a_control() -> None:
    for width in (0, -5, float("nan")):
        with pytest.raises(ValueError, match="positive width"):
            study_areas(R, ZONE, buffer_m=width)
    with pytest.raises(InvalidControlArea, match="whole zone"):
        study_areas(R, ZONE, buffer_m=5000)


# -- evaluate() on a store -------------------------------------------------------------------
@pytest.fixture
def synthetic(store: Store) -> Store:
    """The synthetic zone with perimeters and, per hand-placed point, one drugs incident
    before and two after; plus incidents that must not count (undated, between the periods,
    another phenomenon far away)."""
    batch = BatchInfo("zone", "test", "test", 1, 0)
    store.set_zone("Testzone", ZONE, batch)
    perimeters = gpd.GeoDataFrame(
        {"name": ["Respons", "Controle", "Overlap"], "description": ["", "", ""]},
        geometry=[R, CONTROL, shapely.box(650, 750, 900, 900)],
        crs=WORKING_CRS,
    )
    store.add_perimeters(perimeters, BatchInfo("perimeters", "test", "test", 3, 0))
    rows = []
    for i, (x, y, *_) in enumerate(POINTS):
        rows.append((f"b{i}", "drugs", "2024-03-10 12:00", x, y))
        rows += [(f"a{i}-{k}", "drugs", f"2025-0{3 + k}-01 00:00", x, y) for k in range(2)]
    rows += [
        ("undated", "drugs", None, 500, 800),
        ("between", "drugs", "2024-09-01 00:00", 500, 800),
        ("last-day", "drugs", "2024-06-30 23:59", 500, 800),  # inclusive end
        ("other", "vandalism", "2024-02-01 00:00", 100, 100),
    ]
    frame = pd.DataFrame(rows, columns=["source_id", "phenomenon", "occurred", "x", "y"])
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    store.add_incidents(frame, BatchInfo("incidents", "test", "test", len(frame), 0))
    return store


def _expected(column: int) -> dict[str, int]:
    names = [p[column] for p in POINTS]
    return {area: names.count(area) for area in ("R", "D", "C", "DC")}


def test_evaluate_counts_every_point_in_its_area(synthetic: Store) -> None:
    report = evaluate(
        synthetic, "Respons", before="2024-01:2024-06", after="2025-01:2025-06", buffer_m=100
    )
    drugs = report.result("drugs")
    n = _expected(2)
    assert drugs.counts == {
        "Rb": n["R"] + 1, "Ra": 2 * n["R"], "Db": n["D"], "Da": 2 * n["D"],
        "Cb": n["C"], "Ca": 2 * n["C"], "DCb": None, "DCa": None,
    }  # fmt: skip
    assert drugs.insufficient_data and drugs.wdd is None  # 4 + 6 incidents in R
    assert report.result("vandalism").counts["Cb"] == 1
    assert CONTROL_BUFFER_LEFT_OUT in report.notes and CONTROL_BUFFER_LEFT_OUT in drugs.notes
    assert report.time_weight == 1.0 and report.areas_km2["DC"] is None
    assert_allclose(report.areas_km2["R"], 0.05)
    assert any("end on 2025-04-01" in note for note in report.notes)  # after ends in June

    named = evaluate(
        synthetic,
        "Respons",
        before="2024-01:2024-06",
        after="2025-01:2025-06",
        control="Controle",
        buffer_m=100,
        phenomena=["drugs"],
    )
    n = _expected(3)
    assert [r.phenomenon for r in named.results] == ["drugs"]
    assert named.result("drugs").counts == {
        "Rb": n["R"] + 1, "Ra": 2 * n["R"], "Db": n["D"], "Da": 2 * n["D"],
        "Cb": n["C"], "Ca": 2 * n["C"], "DCb": n["DC"], "DCa": 2 * n["DC"],
    }  # fmt: skip
    assert CONTROL_BUFFER_LEFT_OUT not in named.notes
    doc = named.to_dict()
    assert doc["phenomena"]["drugs"]["counts"]["DCa"] == 2 * n["DC"]
    assert doc["before"] == {"from": "2024-01-01", "to": "2024-06-30"}


def test_evaluate_scales_periods_of_different_length(synthetic: Store) -> None:
    report = evaluate(
        synthetic, "Respons", before="2024-03-10:2024-03-10", after="2025-03:2025-04",
        control="Controle", buffer_m=100,
    )  # fmt: skip
    drugs = report.result("drugs")  # 3 + 6 in R: still too few
    assert drugs.insufficient_data
    assert report.time_weight == pytest.approx(1 / 61)  # one day against 61
    assert any("differ in length" in note for note in report.notes)


def test_evaluate_refuses_what_cannot_be_evaluated(synthetic: Store) -> None:
    periods = {"before": "2024-01:2024-06", "after": "2025-01:2025-06"}
    with pytest.raises(InvalidControlArea, match="'Overlap' overlaps"):
        evaluate(synthetic, "Respons", control="Overlap", buffer_m=100, **periods)
    with pytest.raises(InvalidControlArea, match="itself"):
        evaluate(synthetic, "Respons", control="Respons", **periods)
    with pytest.raises(NotFound, match="no perimeter named 'Nergens'.*'Respons'"):
        evaluate(synthetic, "Nergens", **periods)
    with pytest.raises(NotFound, match="no perimeter named 'Nergens'"):
        evaluate(synthetic, "Respons", control="Nergens", **periods)
    with pytest.raises(NotFound, match="unknown phenomenon 'fraud'"):
        evaluate(synthetic, "Respons", phenomena=["fraud"], **periods)
    with pytest.raises(InvalidPeriod, match="must end before"):
        evaluate(synthetic, "Respons", before="2024-01:2024-06", after="2024-06:2024-12")


def test_evaluate_on_an_empty_store(store: Store) -> None:
    with pytest.raises(NotFound, match="no zone outline"):
        evaluate(store, "Respons", before="2024-01:2024-06", after="2025-01:2025-06")
