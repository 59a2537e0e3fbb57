"""The month cells: the same counts as ``count_incidents``, the overlaps, the atoms, the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from mmm.counting.cells import count_cells, monthly_cells, overlap_atoms
from mmm.counting.count import count_incidents
from mmm.store import Store, open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests import disclosure_zone


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return disclosure_zone.build(open_store(f"sqlite:///{tmp_path / 'zone.sqlite'}"))


def _ids(store: Store) -> dict[str, int]:
    table = store.perimeters()
    return dict(zip(table["name"], table["id"].astype(int), strict=True))


def test_cells_are_count_incidents_per_month(store: Store) -> None:
    cells = monthly_cells(store)
    table = count_incidents(store.incidents(), store.perimeters(), period="month")
    ids = _ids(store)
    assert cells.months == disclosure_zone.MONTHS
    assert int(cells.counts.sum()) == int(table["count"].sum())
    for row in table.itertuples():
        p = cells.perimeters.index(ids[row.perimeter])
        k, m = cells.phenomena.index(row.phenomenon), cells.months.index(row.period)
        assert cells.counts[p, k, m] == row.count


def test_undated_incidents_are_in_no_month() -> None:
    incidents = pd.DataFrame(
        {"phenomenon": ["drugs", "drugs"], "occurred": pd.to_datetime(["2024-03-02", None]),
         "x": [5.0, 5.0], "y": [5.0, 5.0]}
    )  # fmt: skip
    cells = count_cells(incidents, [1], np.array([shapely.box(0, 0, 10, 10)]), ["drugs"])
    assert cells.months == ("2024-03",) and cells.counts.tolist() == [[[1]]]


def test_overlaps_name_the_smaller_perimeter_and_the_areas_that_exist(store: Store) -> None:
    ids = _ids(store)
    found = {(o.larger, o.smaller): o for o in monthly_cells(store).overlaps}
    assert set(found) == {(ids["Park"], ids["Pond"]), (ids["Park"], ids["Corner"])}
    nested = found[(ids["Park"], ids["Pond"])]
    assert nested.sides == ((ids["Park"], ids["Pond"]),)  # the pond has no area outside
    drugs = monthly_cells(store).phenomena.index("drugs")
    assert nested.differences[0, drugs].tolist() == [3, 26, 11]
    corner = found[(ids["Park"], ids["Corner"])]
    assert [s[0] for s in corner.sides] == [ids["Park"], ids["Corner"]]
    assert corner.differences[1, drugs].tolist() == [30, 31, 1]


def test_perimeters_that_only_touch_overlap_when_an_incident_lies_on_both() -> None:
    left, right = shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)
    incidents = pd.DataFrame(
        {"phenomenon": ["drugs"] * 2, "occurred": pd.to_datetime(["2024-03-02"] * 2),
         "x": [5.0, 15.0], "y": [5.0, 5.0]}
    )  # fmt: skip
    geoms = np.array([left, right])
    assert count_cells(incidents, [1, 2], geoms, ["drugs"]).overlaps == ()
    on_edge = pd.concat([incidents, incidents.head(1).assign(x=10.0)], ignore_index=True)
    (overlap,) = count_cells(on_edge, [1, 2], geoms, ["drugs"]).overlaps
    assert overlap.differences.sum() == 2  # one incident each side; the shared one is neither


def test_atoms_add_up_to_their_perimeters(store: Store) -> None:
    cells, ids = monthly_cells(store), _ids(store)
    atoms = overlap_atoms(store, ids.values())
    assert len(atoms.members) == 5  # Pond, Park only, Park ∩ Corner, Corner only, Station
    for pid in ids.values():
        inside = [a for a, members in enumerate(atoms.members) if pid in members]
        total = atoms.counts[inside].sum(axis=0)
        assert (total == cells.counts[cells.perimeters.index(pid)]).all()


def test_the_cells_follow_new_incidents_and_edited_perimeters(store: Store) -> None:
    first = monthly_cells(store)
    assert monthly_cells(store) is first  # kept while nothing changed
    ids = _ids(store)
    saved = store.perimeters().set_index("name").loc["Station"]
    store.update_perimeter(
        ids["Station"],
        PerimeterFields("Station", status="active"),
        shapely.box(172_400, 174_400, 172_500, 174_500),  # no longer holds the incidents
        based_on=int(saved["version"]),
        actor="test",
    )
    after = monthly_cells(store)
    row = after.perimeters.index(ids["Station"])
    assert after is not first and after.counts[row].sum() == 0
