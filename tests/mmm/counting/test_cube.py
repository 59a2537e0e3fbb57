"""The count cube: every slice a view takes equals a count of the incidents themselves, for random
ranges and periods; an import, a perimeter edit or a new zone outline makes a new cube; many
callers at once build it (and read the incidents) once."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

import mmm.counting.cube as cube_module
from mmm.access.release import recording
from mmm.access.rules import EVERYTHING, partner_scope
from mmm.counting.count import PERIODS, count_incidents, covered_mask
from mmm.counting.cube import TABLE_COLUMNS, count_cube
from mmm.counting.grid import grid_counts
from mmm.counting.months import MonthRange
from mmm.store import BatchInfo, Store, open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests import disclosure_zone
from tests.helpers import ZONE

CODES = ("drugs", "vandalism", "bicycle_theft", "burglary_dwelling")


def _incidents(rng: np.random.Generator, n: int, start: int = 0) -> pd.DataFrame:
    """Incidents over 2023–2024 in and around the zone; one in ten undated, some on exact cell
    edges (multiples of 200 m) and outside the zone."""
    seconds = rng.integers(0, 731 * 86_400, size=n)
    occurred = np.datetime64("2023-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]")
    occurred[rng.random(n) < 0.1] = np.datetime64("NaT")
    x = rng.uniform(170_900, 173_100, size=n)
    y = rng.uniform(172_900, 175_100, size=n)
    x[:20] = np.round(x[:20] / 200) * 200
    return pd.DataFrame(
        {
            "source_id": [f"R-{i}" for i in range(start, start + n)],
            "phenomenon": rng.choice(CODES, size=n),
            "occurred": occurred,
            "x": x,
            "y": y,
        }
    )


def _perimeters(rng: np.random.Generator, m: int) -> pd.DataFrame:
    centres = rng.uniform(171_200, 172_800, size=(m, 2))
    radius = rng.uniform(60, 400, size=m)
    shapes = list(shapely.buffer(shapely.points(centres), radius, quad_segs=4))
    shapes[0] = shapely.box(171_400, 173_400, 172_000, 174_000)  # its edges hold incidents
    return pd.DataFrame({"name": [f"P{i:02d}" for i in range(m)], "description": ""}).assign(
        geometry=shapes
    )


@pytest.fixture
def random_store(tmp_path: Path) -> Store:
    import geopandas as gpd

    rng = np.random.default_rng(20240601)
    store = open_store(f"sqlite:///{tmp_path / 'zone.sqlite'}")
    store.set_zone("Testzone", ZONE, BatchInfo("zone", "test", "test", 1, 0))
    shapes = gpd.GeoDataFrame(_perimeters(rng, 25), geometry="geometry", crs="EPSG:31370")
    store.add_perimeters(shapes, BatchInfo("perimeters", "test", "test", len(shapes), 0))
    incidents = _incidents(rng, 6000)
    incidents.loc[:9, ["x", "y"]] = [[171_400.0, 173_700.0]] * 10  # on perimeter 0's edge
    store.add_incidents(incidents, BatchInfo("incidents", "test", "test", len(incidents), 0))
    return store


def _rows(table: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in table[TABLE_COLUMNS].itertuples(index=False)]


def test_every_table_slice_is_a_count_of_the_incidents(random_store: Store) -> None:
    cube = count_cube(random_store)
    incidents, perimeters = random_store.incidents(), random_store.perimeters()
    rng = np.random.default_rng(1)
    months = list(cube.cells.months)
    spans = [None, (months[0], months[-1])]
    spans += [tuple(sorted(rng.choice(months, size=2))) for _ in range(6)]
    for span in spans:
        for period in PERIODS:
            chosen = None if span is None else MonthRange(*span)
            start, end = (None, None) if chosen is None else (chosen.start, chosen.end)
            expected = count_incidents(incidents, perimeters, period=period, start=start, end=end)
            ours = cube.table(perimeters, period, None if chosen is None else chosen.month_list())
            assert _rows(ours) == _rows(expected), (span, period)
            assert ours["count"].dtype == np.int64
    some = perimeters.iloc[[3, 0, 7]]  # any subset, in any order
    assert _rows(cube.table(some, "quarter")) == _rows(
        count_incidents(incidents, some, period="quarter")
    )


def test_every_grid_slice_is_the_grid_of_the_incidents(random_store: Store) -> None:
    cube = count_cube(random_store)
    incidents = random_store.incidents()
    months = list(cube.cells.months)
    rng = np.random.default_rng(2)
    for first, last in [(months[0], months[-1])] + [
        tuple(sorted(rng.choice(months, size=2))) for _ in range(6)
    ]:
        span = MonthRange(first, last)
        stamps = incidents["occurred"]
        chosen = incidents[
            (
                (stamps >= pd.Timestamp(span.start))
                & (stamps < pd.Timestamp(span.end) + pd.Timedelta(days=1))
            ).to_numpy()
        ]
        expected = grid_counts(chosen, ZONE, cell_m=200.0)
        ours = cube.grid_table(span.month_list())
        assert ours is not None
        pd.testing.assert_frame_equal(
            pd.DataFrame(ours.drop(columns="geometry")),
            pd.DataFrame(expected.drop(columns="geometry")),
        )
        assert ours.geometry.geom_equals(expected.geometry).all()


def test_phenomenon_totals_are_the_perimeters_and_the_zones_counts(random_store: Store) -> None:
    cube = count_cube(random_store)
    incidents = random_store.incidents()
    shapes = random_store.perimeters().set_index("id").geometry
    span = MonthRange("2023-05", "2024-02")
    stamps = incidents["occurred"]
    chosen = incidents[
        (
            (stamps >= pd.Timestamp(span.start))
            & (stamps < pd.Timestamp(span.end) + pd.Timedelta(days=1))
        ).to_numpy()
    ]
    zone = cube.phenomenon_totals(None, span.month_list())
    assert zone.to_dict() == {c: int((chosen["phenomenon"] == c).sum()) for c in cube.phenomena}
    for pid in list(shapes.index)[:5]:
        inside = chosen[covered_mask(chosen["x"].to_numpy(), chosen["y"].to_numpy(), shapes[pid])]
        here = cube.phenomenon_totals(int(pid), span.month_list())
        assert here.to_dict() == {c: int((inside["phenomenon"] == c).sum()) for c in cube.phenomena}


def test_an_import_an_edit_and_a_new_outline_each_make_a_new_cube(random_store: Store) -> None:
    first = count_cube(random_store)
    assert count_cube(random_store) is first  # kept while nothing changed
    more = _incidents(np.random.default_rng(9), 300, start=10_000)
    random_store.add_incidents(more, BatchInfo("incidents", "more", "test", len(more), 0))
    after_import = count_cube(random_store)
    assert after_import is not first
    assert int(after_import.zone.sum()) == int(first.zone.sum()) + int(
        more["occurred"].notna().sum()
    )

    saved = random_store.perimeters().iloc[0]
    random_store.update_perimeter(
        int(saved["id"]),
        PerimeterFields(str(saved["name"]), status="active"),
        shapely.box(150_000, 150_000, 150_100, 150_100),  # far from every incident
        based_on=int(saved["version"]),
        actor="test",
    )
    after_edit = count_cube(random_store)
    row = after_edit.cells.perimeters.index(int(saved["id"]))
    assert after_edit is not after_import and after_edit.cells.counts[row].sum() == 0
    assert after_edit.undated[row].sum() == 0

    random_store.set_zone("Smaller", shapely.box(171_000, 173_000, 172_000, 174_000),
                          BatchInfo("zone", "smaller", "test", 1, 0))  # fmt: skip
    after_zone = count_cube(random_store)
    assert after_zone is not after_edit
    assert after_zone.grid is not None and len(after_zone.grid.ix) == 25  # 1 km² of 200 m cells


def test_callers_at_once_build_the_cube_and_read_the_incidents_once(
    random_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = open_store(random_store.url)  # nothing read or counted yet
    builds, reads = [], []
    real_build, real_read = cube_module.build_cube, type(fresh)._read_incidents

    def build(*args, **kwargs):  # type: ignore[no-untyped-def]
        builds.append(1)
        return real_build(*args, **kwargs)

    def read(self, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(1)
        return real_read(self, **kwargs)

    monkeypatch.setattr(cube_module, "build_cube", build)
    monkeypatch.setattr(type(fresh), "_read_incidents", read)
    for old in Path(fresh.url.removeprefix("sqlite:///")).parent.glob("*.arrow"):
        old.unlink()  # no columnar copy either: the incidents come from SQLite
    start = threading.Barrier(8)
    found = []

    def ask() -> None:
        start.wait()
        found.append(count_cube(fresh))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and len(reads) == 1
    assert all(c is found[0] for c in found)


def test_figure_rows_are_the_figures_one_by_one(tmp_path: Path) -> None:
    store = disclosure_zone.build(open_store(f"sqlite:///{tmp_path / 'zone.sqlite'}"))
    cube = count_cube(store)
    ids = [int(p) for p in cube.perimeters["id"]] + [999]  # an unknown perimeter counts 0
    codes = ["drugs", "vandalism", "unknown"]
    spans = [["2024-10"], ["2024-11", "2024-12"], list(disclosure_zone.MONTHS), ["2023-01"], []]
    for scope in (EVERYTHING, partner_scope(store, "Buurtwerk"), partner_scope(store, "Solo")):
        shown = cube.release(scope)
        for months in spans:
            pids = [p for p in ids if any(shown.shows(p, c) for c in codes)]
            fast = shown.figure_rows(pids, codes, months)
            with recording() as ledger:
                slow = shown.figure_rows(pids, codes, months)
            assert fast == slow, (scope, months)
            assert len(ledger.entries) == sum(
                1 + sum(f is not None for f in row[1:]) for row in slow
            )
