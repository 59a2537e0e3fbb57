"""The multi-phenomenon run: planted hotspots are found, degenerate input gives warnings, the
demo zone holds multi-phenomenon hotspots, and hit rate / PAI add up."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from mmm.demo import build_demo
from mmm.hotspots import (
    HotspotOptions,
    analyse_hotspots,
    gi_star,
    predictive_accuracy,
)

#: 3 km × 3 km: 30 × 30 cells of 100 m.
ZONE = box(170_000, 170_000, 173_000, 173_000)
BLOB_1 = (170_700.0, 170_700.0)  # burglary + drugs
BLOB_2 = (172_300.0, 172_300.0)  # drugs + nuisance, nuisance growing over time


def synthetic_incidents(seed: int = 1) -> pd.DataFrame:
    """Uniform background for three phenomena plus two planted multi-phenomenon blobs.

    Two years of dates (2023–2024); the nuisance incidents of blob 2 grow over time.
    """
    rng = np.random.default_rng(seed)
    parts = []

    def add(code: str, xy: np.ndarray, days: np.ndarray) -> None:
        parts.append(
            pd.DataFrame(
                {
                    "phenomenon": code,
                    "occurred": np.datetime64("2023-01-01") + days.astype("timedelta64[D]"),
                    "x": xy[:, 0],
                    "y": xy[:, 1],
                }
            )
        )

    for code in ("burglary", "drugs", "nuisance"):
        add(code, rng.uniform(170_000, 173_000, size=(400, 2)), rng.integers(0, 731, 400))
    for code, centre in (("burglary", BLOB_1), ("drugs", BLOB_1), ("drugs", BLOB_2)):
        add(code, rng.normal(centre, 60, size=(150, 2)), rng.integers(0, 731, 150))
    growing = (731 * np.sqrt(rng.random(150))).astype(int)  # density rising linearly in time
    add("nuisance", rng.normal(BLOB_2, 60, size=(150, 2)), growing)
    frame = pd.concat(parts, ignore_index=True)
    frame["occurred"] = frame["occurred"].astype("datetime64[s]")
    return frame


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return synthetic_incidents()


@pytest.fixture(scope="module")
def result(incidents):
    return analyse_hotspots(incidents, ZONE, HotspotOptions(colocation=True, permutations=19))


def _cell_of(result, xy: tuple[float, float]) -> tuple[int, int]:
    row, col, inside = result.grid.locate(np.array([xy[0]]), np.array([xy[1]]))
    assert inside[0]
    return int(row[0]), int(col[0])


def test_two_planted_blobs_are_the_two_candidates(result) -> None:
    assert result.phenomena == ("burglary", "drugs", "nuisance")
    assert result.grid.n_cells == 900 and result.warnings == ()
    assert result.multi[_cell_of(result, BLOB_1)] and result.multi[_cell_of(result, BLOB_2)]
    assert result.hot_count.max() == 2
    cands = result.candidates
    assert len(cands) == 2
    assert sorted(cands["phenomena"]) == ["burglary, drugs", "drugs, nuisance"]
    where = {row.phenomena: row.geometry for row in cands.itertuples()}
    assert where["burglary, drugs"].distance(box(*BLOB_1, *BLOB_1)) == 0
    assert where["drugs, nuisance"].distance(box(*BLOB_2, *BLOB_2)) == 0


def test_layers_are_gi_star_of_the_counts(result) -> None:
    drugs = result.layer("drugs")
    assert drugs.incidents == 700 and drugs.reliable
    again = gi_star(drugs.counts, result.grid.mask, cell_m=100, distance_m=200)
    np.testing.assert_array_equal(drugs.gi.z, again.z)
    np.testing.assert_array_equal(drugs.gi.bins, again.bins)
    assert drugs.hot.sum() > 0 and drugs.gi.fdr
    assert drugs.kde.density.shape == result.grid.shape
    assert drugs.kde.bounds == result.grid.bounds and drugs.kde.bandwidth_m == 300
    typical = np.nanmedian(drugs.kde.density)
    for blob in (BLOB_1, BLOB_2):
        assert drugs.kde.density[_cell_of(result, blob)] > 5 * typical
    with pytest.raises(KeyError):
        result.layer("ghost")


def test_trends_and_period(result) -> None:
    assert result.start == date(2023, 1, 1) and result.end == date(2024, 12, 31)
    assert result.quarters[0] == "2023-Q1" and len(result.quarters) == 8
    nuisance = result.layer("nuisance")
    row, col = _cell_of(result, BLOB_2)  # the blob's centre is the corner of four cells
    centre = nuisance.trend[row : row + 2, col - 1 : col + 1]  # row + 1 lies south
    assert (centre == "intensifying").sum() >= 2
    assert set(nuisance.trend[nuisance.hot]) <= {"new", "intensifying", "persistent", "diminishing"}
    assert (nuisance.trend[~nuisance.hot] == "").all()


def test_composite_score_and_weights(incidents) -> None:
    weighted = analyse_hotspots(
        incidents, ZONE, HotspotOptions(weights=(("drugs", 3.0), ("nuisance", 0.0)))
    )
    z = {la.phenomenon: np.maximum(la.gi.z, 0) for la in weighted.layers}
    expected = (z["burglary"] + 3 * z["drugs"]) / 4
    mask = weighted.grid.mask
    np.testing.assert_allclose(weighted.composite[mask], expected[mask])
    assert np.isnan(weighted.composite[~mask]).all()
    assert weighted.layer("drugs").weight == 3.0


def test_tables_for_files_and_popups(result) -> None:
    cells = result.cells()
    assert len(cells) == 900 * 3 and cells.crs.to_epsg() == 31370
    for column in ("phenomenon", "count", "gi_z", "gi_p", "gi_bin", "kde", "trend"):
        assert column in cells.columns
    assert cells["count"].sum() == sum(la.incidents for la in result.layers)
    assert set(cells["gi_bin"].unique()) <= {-3, -2, -1, 0, 1, 2, 3}
    hot = result.hotspot_cells()
    assert (hot["hot_phenomena"] >= 1).all() and hot["hot_phenomena"].is_monotonic_decreasing
    top = hot.iloc[0]
    assert top["multi_hotspot"] and top["why"].startswith("Hot for 2 phenomena: ")
    assert {"z_drugs", "p_drugs", "bin_drugs", "count_drugs", "trend_drugs"} <= set(hot.columns)
    assert len(hot) == int((result.hot_count > 0).sum())


def test_colocation_of_the_planted_pairs(result) -> None:
    table = result.colocation.to_frame().set_index(["a", "b"])
    assert table.loc[("burglary", "drugs"), "clq"] > 1
    assert table.loc[("burglary", "nuisance"), "clq"] < 1


def test_period_filter_and_options(incidents) -> None:
    half = analyse_hotspots(incidents, ZONE, HotspotOptions(start=date(2024, 2, 15)))
    assert half.start == date(2024, 2, 15) and half.end == date(2024, 12, 31)
    assert half.quarters == ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")
    expected = (incidents["occurred"] >= "2024-02-15").sum()
    assert sum(la.incidents for la in half.layers) == expected
    strict = analyse_hotspots(incidents, ZONE, HotspotOptions(confidence=99, min_hot=1))
    assert strict.options.hot_level == 3 and strict.multi.sum() >= 2
    with pytest.raises(ValueError, match="confidence"):
        HotspotOptions(confidence=80)
    with pytest.raises(ValueError, match="after it ends"):
        HotspotOptions(start=date(2024, 2, 1), end=date(2024, 1, 1))
    with pytest.raises(ValueError, match="weight"):
        HotspotOptions(weights=(("a", -1.0),))
    assert HotspotOptions(cell_m=50).neighbourhood_m == 100
    assert hash(HotspotOptions()) == hash(HotspotOptions())  # usable as a cache key


# -- degenerate input -----------------------------------------------------------------------
def test_zero_and_one_incident_phenomena_give_warnings_not_bins(incidents) -> None:
    one = pd.DataFrame(
        {
            "phenomenon": ["rare"],
            "occurred": [pd.Timestamp("2023-05-01")],
            "x": [171_000.0],
            "y": [171_000.0],
        }
    )
    frame = pd.concat([incidents, one], ignore_index=True)
    options = HotspotOptions(phenomena=("drugs", "rare", "ghost"))
    res = analyse_hotspots(frame, ZONE, options)
    assert res.phenomena == ("drugs", "ghost", "rare")
    kinds = {w.phenomenon: w.kind for w in res.warnings}
    assert kinds == {"ghost": "no_incidents", "rare": "few_incidents"}
    assert "only 1 incident in the period" in res.layer("rare").warning.message
    for code in ("ghost", "rare"):
        assert (res.layer(code).gi.bins == 0).all() and not res.layer(code).reliable
    assert res.layer("drugs").hot.any()


def test_all_cells_equal_is_zero_variance() -> None:
    zone = box(0, 0, 600, 600)  # 36 cells
    centres = np.arange(50, 600, 100, dtype=float)
    x, y = (a.ravel() for a in np.meshgrid(centres, centres))
    frame = pd.DataFrame(
        {"phenomenon": "a", "occurred": pd.Timestamp("2024-01-01"), "x": x, "y": y}
    )
    res = analyse_hotspots(frame, zone)
    assert [w.kind for w in res.warnings if w.phenomenon] == ["zero_variance"]
    assert "same value" in res.warnings[-1].message
    assert not res.multi.any() and res.candidates.empty


def test_a_zone_smaller_than_one_cell() -> None:
    zone = box(170_010, 170_010, 170_060, 170_060)
    frame = pd.DataFrame(
        {
            "phenomenon": ["a"] * 25 + ["b"] * 25,
            "occurred": pd.Timestamp("2024-01-01"),
            "x": 170_020.0 + np.arange(50) % 30,
            "y": 170_030.0,
        }
    )
    res = analyse_hotspots(frame, zone)
    assert res.grid.n_cells == 1
    assert (
        res.warnings[0].kind == "small_zone"
        and "choose a smaller --cell" in res.warnings[0].message
    )
    assert not res.multi.any() and res.candidates.empty
    assert len(res.cells()) == 2 and res.hotspot_cells().empty


def test_no_incidents_at_all() -> None:
    empty = pd.DataFrame(
        {
            "phenomenon": pd.Series([], dtype=str),
            "occurred": pd.Series([], dtype="datetime64[s]"),
            "x": pd.Series([], dtype=float),
            "y": pd.Series([], dtype=float),
        }
    )
    res = analyse_hotspots(empty, ZONE)
    assert res.layers == () and res.quarters == () and res.start is None
    assert [w.kind for w in res.warnings] == ["few_quarters"]
    assert res.cells().empty and res.candidates.empty


# -- hit rate and PAI ------------------------------------------------------------------------
def test_hit_rate_and_pai_add_up(incidents) -> None:
    options = HotspotOptions(split=date(2024, 1, 1))
    acc = {a.phenomenon: a for a in predictive_accuracy(incidents, ZONE, options)}
    before = analyse_hotspots(incidents, ZONE, HotspotOptions(end=date(2023, 12, 31)))
    later = incidents[incidents["occurred"] >= "2024-01-01"]
    for layer in before.layers:
        a = acc[layer.phenomenon]
        hot = layer.hot
        rows, cols, inside = before.grid.locate(later["x"].to_numpy(), later["y"].to_numpy())
        mine = inside & (later["phenomenon"] == layer.phenomenon).to_numpy()
        hits = int(hot[rows[mine], cols[mine]].sum())
        assert (a.hits, a.incidents_after, a.hot_cells) == (hits, int(mine.sum()), int(hot.sum()))
        assert a.hit_rate == pytest.approx(hits / mine.sum())
        assert a.pai == pytest.approx((hits / mine.sum()) / (hot.sum() / 900))
        assert a.study_area_km2 == pytest.approx(9.0)
    assert acc["drugs"].pai > 3  # the planted blobs stay where they were
    with pytest.raises(ValueError, match="split"):
        predictive_accuracy(incidents, ZONE, HotspotOptions())
    with pytest.raises(ValueError, match="after the start"):
        predictive_accuracy(
            incidents, ZONE, HotspotOptions(start=date(2024, 1, 1), split=date(2023, 1, 1))
        )


# -- the demo -------------------------------------------------------------------------------
def test_the_demo_zone_shows_multi_phenomenon_hotspots() -> None:
    demo = build_demo()
    frame = demo.incidents.rename(columns={"date": "occurred"})
    frame["occurred"] = pd.to_datetime(frame["occurred"])
    res = analyse_hotspots(frame, demo.zone)
    assert res.warnings == ()
    assert res.multi.sum() >= 10 and len(res.candidates) >= 1
    first = res.candidates.iloc[0]
    assert first["n_phenomena"] >= 2
    stations = res.hotspot_cells()
    assert stations["multi_hotspot"].any()


def test_cells_hot_through_neighbours_are_named_in_the_popup_table(result) -> None:
    table = result.hotspot_cells()
    for layer in result.layers:
        code = layer.phenomenon
        names = table["through_neighbours"].str.split(", ")
        borrowed = table[[code in found for found in names]]
        expected = int(layer.through_neighbours.sum())
        assert expected >= 1 and len(borrowed) == expected
        assert (borrowed[f"count_{code}"] == 0).all()
        assert (
            borrowed["why"].str.contains(f"{code} (z = ", regex=False).all()
            and borrowed["why"].str.contains("hot through its neighbours only").all()
        )
    own = table[table["through_neighbours"] == ""]
    assert not own["why"].str.contains("neighbours only").any()
