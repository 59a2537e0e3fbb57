"""The point index: every (polygon, point) it pairs is one shapely's own ``covers`` finds, on one
thread or several, whatever the shapes, holes, boundaries and missing values."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from mmm.counting import points
from mmm.counting.count import covered_counts, keyed_counts
from mmm.counting.points import PointIndex, in_groups


def _polygons(rng: np.random.Generator, n: int) -> np.ndarray:
    """Discs, boxes, a box with a hole, a multipolygon, and a missing and an empty geometry."""
    centres = rng.uniform(0, 1000, size=(n, 2))
    radius = rng.uniform(5, 120, size=n)
    shapes = list(shapely.buffer(shapely.points(centres[: n // 2]), radius[: n // 2]))
    x, y, r = centres[n // 2 :, 0], centres[n // 2 :, 1], radius[n // 2 :]
    shapes += list(shapely.box(x - r, y - r * 0.5, x + r, y + r * 0.5))
    shapes.append(shapely.box(100, 100, 400, 400).difference(shapely.box(200, 200, 300, 300)))
    shapes.append(
        shapely.MultiPolygon([shapely.box(0, 0, 50, 50), shapely.box(900, 900, 1000, 1000)])
    )
    shapes += [None, shapely.Polygon()]
    return np.asarray(shapes, dtype=object)


def _points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in and around the polygons, some exactly on box edges and corners, some missing."""
    x = rng.uniform(-50, 1050, size=n)
    y = rng.uniform(-50, 1050, size=n)
    x[:40], y[:40] = np.repeat([100.0, 400.0, 200.0, 250.0], 10), rng.uniform(100, 400, 40)
    x[40:44], y[40:44] = [0.0, 50.0, 1000.0, 300.0], [0.0, 50.0, 1000.0, 300.0]  # corners
    x[50], y[60] = np.nan, np.nan
    return x, y


def _reference(geoms: np.ndarray, x: np.ndarray, y: np.ndarray) -> set[tuple[int, int]]:
    found = set()
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        ok = np.isfinite(x) & np.isfinite(y)
        inside = np.flatnonzero(ok)[shapely.covers(geom, shapely.points(x[ok], y[ok]))]
        found |= {(i, int(p)) for p in inside}
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pairs_are_exactly_the_covered_points(seed: int) -> None:
    rng = np.random.default_rng(seed)
    geoms = _polygons(rng, 60)
    x, y = _points(rng, 5000)
    index = PointIndex(x, y)
    owner, pos = index.pairs(geoms)
    assert {(int(o), int(index.order[p])) for o, p in zip(owner, pos, strict=True)} == _reference(
        geoms, x, y
    )
    # grouped by polygon, positions ascending within each
    assert (np.diff(owner) >= 0).all()
    assert all((np.diff(pos[owner == o]) > 0).all() for o in np.unique(owner))


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_counts_are_the_same_on_any_number_of_threads(
    threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(points, "MIN_GROUP_PAIRS", 200)  # small groups: every thread works
    rng = np.random.default_rng(7)
    geoms = _polygons(rng, 80)
    x, y = _points(rng, 8_000)
    keys = rng.integers(0, 6, size=len(x))
    index = PointIndex(x, y)
    assert len(index.groups(geoms, threads)) >= 2 * threads
    ours = keyed_counts(index, keys, 6, geoms, threads=threads)
    expected = np.zeros((len(geoms), 6), dtype=np.int64)
    for i, p in _reference(geoms, x, y):
        expected[i, keys[p]] += 1
    assert (ours == expected).all()
    assert (covered_counts(x, y, keys, 6, geoms) == expected).all()


def test_groups_cover_every_polygon_once_in_order() -> None:
    rng = np.random.default_rng(3)
    geoms = _polygons(rng, 500)
    index = PointIndex(*_points(rng, 50_000))
    groups = index.groups(geoms, threads=2)
    covered = [i for g in groups for i in range(g.start, g.stop)]
    assert covered == list(range(len(geoms))) and len(groups) > 1
    assert in_groups(lambda g: g.stop - g.start, groups, threads=2) == [
        g.stop - g.start for g in groups
    ]


def test_no_points_or_no_polygons() -> None:
    empty = PointIndex(np.empty(0), np.empty(0))
    assert [len(a) for a in empty.pairs(np.array([shapely.box(0, 0, 1, 1)]))] == [0, 0]
    index = PointIndex(np.array([0.5, np.nan]), np.array([0.5, 1.0]))
    assert [len(a) for a in index.pairs(np.array([], dtype=object))] == [0, 0]
    owner, pos = index.pairs(np.array([shapely.box(0, 0, 1, 1)]))
    assert owner.tolist() == [0] and index.order[pos].tolist() == [0]
