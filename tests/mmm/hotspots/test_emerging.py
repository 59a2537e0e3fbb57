"""Emerging hot spots: each of the 17 categories on a cube built by hand to be exactly it, the
space-time Gi* against esda and a brute-force loop, and the whole run on random cubes against a
straightforward per-location loop written here from Esri's definitions."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from fractions import Fraction

import esda.getisord as esda_getisord  # an independent reference (a test dependency)
import libpysal.weights as libpysal_weights
import numpy as np
import pytest
from scipy import stats

from mmm.errors import LimitExceeded
from mmm.hotspots import HotspotOptions, analyse_hotspots
from mmm.hotspots.emerging import (
    CATEGORIES,
    MIN_STEPS,
    classify_emerging,
    emerging_hotspots,
    space_time_gi_star,
)
from tests.mmm.hotspots.test_analysis import ZONE, synthetic_incidents

# -- each category on a hand-built cube ------------------------------------------------------
# One row of 41 cells of 100 m; D = 50 m and K = 0: each bin is its own neighbourhood, so a bin
# is hot when its value stands far above the cube's mean (100) and cold when far below. The 40
# background cells hold 99 or 101 at every step (never significant, no trend); cell 0 follows
# the series below. H = hot (120), C = cold (80), . = 100.
H, C, N = 120.0, 80.0, 100.0
SERIES = {
    "new_hot": [N] * 9 + [H],
    "consecutive_hot": [N] * 7 + [H] * 3,
    "intensifying_hot": [H + k for k in range(10)],  # hot throughout, rising
    "persistent_hot": [H] * 10,
    "diminishing_hot": [H + 9 - k for k in range(10)],  # hot throughout, falling
    "sporadic_hot": [H, N, H, N, N, H, N, N, N, H],  # on and off, never cold, hot at the end
    "oscillating_hot": [N, C, N, N, H, N, N, N, N, H],  # cold once, hot at the end
    "historical_hot": [H] * 9 + [N],  # hot 90 % of the time, not at the end
    "new_cold": [N] * 9 + [C],
    "consecutive_cold": [N] * 8 + [C] * 2,
    "intensifying_cold": [C - k for k in range(10)],  # colder and colder
    "persistent_cold": [C] * 10,
    "diminishing_cold": [C - 9 + k for k in range(10)],  # cold throughout, warming up
    "sporadic_cold": [N, C, N, C, N, N, N, C, N, C],
    "oscillating_cold": [H, N, N, N, N, N, N, N, N, C],
    "historical_cold": [C] * 9 + [N],
    "no_pattern": [N, N, H, N, N, N, N, N, N, N],  # hot once, long ago
}


def _hand_cube(series: list[float]) -> np.ndarray:
    background = np.where(np.arange(40) % 2 == 0, 99.0, 101.0)
    cube = np.empty((len(series), 1, 41))
    cube[:, 0, 0] = series
    cube[:, 0, 1:] = background
    return cube


def test_the_seventeen_codes() -> None:
    assert len(CATEGORIES) == 17 == len(set(CATEGORIES)) == len(SERIES)
    assert set(SERIES) == set(CATEGORIES)


@pytest.mark.parametrize("code", list(SERIES))
def test_each_category_on_a_cube_built_to_be_it(code: str) -> None:
    cube = _hand_cube(SERIES[code])
    mask = np.ones((1, 41), bool)
    result = emerging_hotspots(cube, mask, cell_m=100, distance_m=50, time_window=0)
    assert result.category[0, 0] == code
    assert (result.category[0, 1:] == "no_pattern").all()
    hot = result.gi.bins[:, 0, 0] >= 2
    cold = result.gi.bins[:, 0, 0] <= -2
    assert hot.tolist() == [v > 110 for v in SERIES[code]]  # the cube is what it says
    assert cold.tolist() == [v < 90 for v in SERIES[code]]
    if code.startswith(("intensifying", "diminishing")):
        assert result.trend_p[0, 0] <= 0.05
    if code.startswith("persistent"):
        assert result.trend_p[0, 0] > 0.05


def test_too_few_steps_and_a_bad_window_are_refused() -> None:
    cube = _hand_cube([H] * (MIN_STEPS - 1))
    with pytest.raises(ValueError, match=f"at least {MIN_STEPS} time steps, got 9"):
        emerging_hotspots(cube, np.ones((1, 41), bool), cell_m=100, distance_m=50)
    with pytest.raises(ValueError, match="0 or more"):
        space_time_gi_star(cube, np.ones((1, 41), bool), cell_m=100, distance_m=50, time_window=-1)


def test_a_flat_cube_has_no_pattern() -> None:
    result = emerging_hotspots(np.ones((12, 3, 4)), np.ones((3, 4), bool), cell_m=1, distance_m=1)
    assert result.gi.note is not None and "same value" in result.gi.note
    assert (result.category == "no_pattern").all() and (result.gi.z == 0).all()


# -- the space-time Gi* against references --------------------------------------------------
def _neighbours(mask: np.ndarray, steps: int, cell_m: float, distance_m: float, k: int):
    """Study-area bins in (step, row, col) order and, per bin, the bins of its neighbourhood."""
    bins = [(t, r, c) for t in range(steps) for r, c in zip(*np.nonzero(mask), strict=True)]
    near = []
    for t, r, c in bins:
        near.append(
            [
                j
                for j, (t2, r2, c2) in enumerate(bins)
                if 0 <= t - t2 <= k and math.hypot(r - r2, c - c2) * cell_m <= distance_m + 1e-9
            ]
        )
    return bins, near


def _random_cube(seed: int, steps: int = 12, shape: tuple[int, int] = (8, 8)):
    """Poisson counts where each block of 2 × 2 cells follows a random profile (background,
    high, rising, falling, switched on late or in the last step, on and off, low, low late, low
    then high), and an irregular mask."""
    rng = np.random.default_rng(seed)
    t = np.arange(steps)[:, None, None]
    last = t == steps - 1
    profiles = [
        np.full((steps, 1, 1), 12.0),
        np.full((steps, 1, 1), 40.0),
        5.0 + 50.0 * t / (steps - 1),
        55.0 - 50.0 * t / (steps - 1),
        np.where(t >= steps - 3, 50.0, 12.0),
        np.where(last, 60.0, 12.0),
        np.where(rng.random((steps, 1, 1)) < 0.4, 50.0, 12.0) + 40.0 * last,
        np.full((steps, 1, 1), 1.0),
        np.where(t >= steps - 2, 0.5, 12.0),
        np.where(t == 2, 0.5, 12.0) + 45.0 * last,
    ]
    kind = rng.choice(len(profiles), size=(shape[0] // 2, shape[1] // 2), p=[0.2] + [0.8 / 9] * 9)
    kind = np.kron(kind, np.ones((2, 2), dtype=int))
    rate = np.choose(kind[None], [np.broadcast_to(q, (steps, *shape)) for q in profiles])
    cube = rng.poisson(rate).astype(float)
    mask = rng.random(shape) < 0.85
    mask[0, 0] = False
    cube[:, ~mask] = 500.0  # out-of-zone values must not leak into any sum
    return cube, mask


@pytest.mark.parametrize(("seed", "k", "distance_m"), [(1, 1, 150.0), (2, 0, 100.0), (3, 2, 220.0)])
def test_space_time_gi_star_equals_esda_and_a_brute_force_loop(
    seed: int, k: int, distance_m: float
) -> None:
    cube, mask = _random_cube(seed)
    ours = space_time_gi_star(cube, mask, cell_m=100, distance_m=distance_m, time_window=k)
    bins, near = _neighbours(mask, cube.shape[0], 100, distance_m, k)
    values = np.array([cube[b] for b in bins])
    # esda on a (non-symmetric) binary weights object over the space-time bins
    w = libpysal_weights.W(
        {i: [j for j in js if j != i] for i, js in enumerate(near)}, silence_warnings=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda_getisord.G_Local(values, w, star=True, transform="B", permutations=0)
    got = np.array([ours.z[b] for b in bins])
    np.testing.assert_allclose(got, ref.Zs, rtol=0, atol=1e-9)
    # the textbook formula, one bin at a time
    n, mean, s = len(values), values.mean(), values.std()
    for i, js in enumerate(near):
        wi = len(js)
        z = (values[js].sum() - mean * wi) / (s * math.sqrt((n * wi - wi * wi) / (n - 1)))
        assert got[i] == pytest.approx(z, abs=1e-9)
    assert ours.n == n and ours.bins.shape == cube.shape


# -- the whole run against a per-location loop -----------------------------------------------
def _mann_kendall(series: list[float]) -> tuple[float, float]:
    """S and the two-sided p (continuity and tie corrections), by the textbook."""
    n = len(series)
    s = sum(
        (series[j] > series[i]) - (series[j] < series[i]) for i in range(n) for j in range(i + 1, n)
    )
    ties = sum(t * (t - 1) * (2 * t + 5) for t in Counter(series).values())
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18
    if var <= 0:
        return 0.0, 1.0
    z = (s - math.copysign(1, s)) / math.sqrt(var) if s else 0.0
    return float(s), math.erfc(abs(z) / math.sqrt(2))


def _esri(hot: list[bool], cold: list[bool], s: float, p: float, alpha: float = 0.05) -> str:
    """Esri's pattern of one location, read off its definitions step by step."""
    n = len(hot)
    for family, this, other, up in (("hot", hot, cold, 1), ("cold", cold, hot, -1)):
        if not this[-1]:
            continue
        if Fraction(sum(this), n) >= Fraction(9, 10):
            if p <= alpha and s * up > 0:
                return f"intensifying_{family}"
            if p <= alpha and s * up < 0:
                return f"diminishing_{family}"
            return f"persistent_{family}"
        if any(other):
            return f"oscillating_{family}"
        if sum(this) == 1:
            return f"new_{family}"
        run = 0
        for value in reversed(this):
            if not value:
                break
            run += 1
        return f"consecutive_{family}" if run == sum(this) else f"sporadic_{family}"
    for family, this in (("hot", hot), ("cold", cold)):
        if Fraction(sum(this), n) >= Fraction(9, 10):
            return f"historical_{family}"
    return "no_pattern"


def _reference(cube: np.ndarray, mask: np.ndarray, distance_m: float, k: int) -> dict:
    """Category per study-area cell: brute-force Gi*, FDR per step (scipy), textbook
    Mann-Kendall and Esri's rules, one location at a time."""
    steps = cube.shape[0]
    bins, near = _neighbours(mask, steps, 100, distance_m, k)
    values = np.array([cube[b] for b in bins])
    n, mean, sd = len(values), values.mean(), values.std()
    z = {}
    for (t, r, c), js in zip(bins, near, strict=True):
        wi = len(js)
        z[t, r, c] = (values[js].sum() - mean * wi) / (sd * math.sqrt((n * wi - wi * wi) / (n - 1)))
    cells = [(r, c) for r, c in zip(*np.nonzero(mask), strict=True)]
    level = {}
    for t in range(steps):
        p = np.array([math.erfc(abs(z[t, r, c]) / math.sqrt(2)) for r, c in cells])
        adjusted = stats.false_discovery_control(p)
        for (r, c), q in zip(cells, adjusted, strict=True):
            level[t, r, c] = 2 if q <= 0.05 else 0  # 95 %: the default hot level
    out = {}
    for r, c in cells:
        series = [float(z[t, r, c]) for t in range(steps)]
        hot = [level[t, r, c] == 2 and series[t] > 0 for t in range(steps)]
        cold = [level[t, r, c] == 2 and series[t] < 0 for t in range(steps)]
        out[r, c] = _esri(hot, cold, *_mann_kendall(series))
    return out


#: (seed, K, D in metres) of the random cubes.
RUNS = [(11, 1, 150.0), (12, 0, 100.0), (13, 2, 100.0), (14, 1, 50.0)]


@pytest.mark.parametrize(("seed", "k", "distance_m"), RUNS)
def test_random_cubes_equal_a_per_location_loop(seed: int, k: int, distance_m: float) -> None:
    cube, mask = _random_cube(seed, steps=14)
    ours = emerging_hotspots(cube, mask, cell_m=100, distance_m=distance_m, time_window=k)
    expected = _reference(cube, mask, distance_m, k)
    got = {cell: ours.category[cell] for cell in expected}
    assert got == expected
    assert (ours.category[~mask] == "").all()


def test_the_random_cubes_reach_many_categories() -> None:
    found: set[str] = set()
    for seed, k, distance_m in RUNS:
        cube, mask = _random_cube(seed, steps=14)
        run = emerging_hotspots(cube, mask, cell_m=100, distance_m=distance_m, time_window=k)
        found |= set(run.category[mask])
    assert len(found) >= 8, found  # the loop above is compared on more than one pattern


def test_classify_emerging_is_vectorised_over_any_shape() -> None:
    codes = list(SERIES)
    hot = np.array([[v > 110 for v in SERIES[c]] for c in codes]).T  # (steps, locations)
    cold = np.array([[v < 90 for v in SERIES[c]] for c in codes]).T
    trend = {"intensifying_hot": 1, "diminishing_hot": -1, "intensifying_cold": -1}
    trend["diminishing_cold"] = 1
    s = np.array([trend.get(c, 0) for c in codes], float)
    p = np.where(s != 0, 0.001, 0.8)
    got = classify_emerging(hot.reshape(10, 1, -1), cold.reshape(10, 1, -1), s[None], p[None])
    assert got.shape == (1, len(codes)) and got[0].tolist() == codes


# -- in the hotspot run ------------------------------------------------------------------------
def test_the_hotspot_run_builds_a_monthly_cube_and_refuses_too_few_or_many_steps() -> None:
    incidents = synthetic_incidents()
    result = analyse_hotspots(incidents, ZONE, HotspotOptions(emerging_step="month"))
    assert result.steps[0] == "2023-01" and result.steps[-1] == "2024-12"
    cells = result.cells()
    assert set(cells["emerging"]) <= set(CATEGORIES) and len(set(cells["emerging"])) >= 3
    assert "emerging" not in analyse_hotspots(incidents, ZONE).cells().columns
    with pytest.raises(ValueError, match="got 8"):
        analyse_hotspots(incidents, ZONE, HotspotOptions(emerging_step="quarter"))
    long = incidents.copy()
    long.loc[0, "occurred"] = np.datetime64("2013-01-01")
    with pytest.raises(LimitExceeded, match="at most 120 steps"):
        analyse_hotspots(long, ZONE, HotspotOptions(emerging_step="month"))
    with pytest.raises(ValueError, match="month or quarter"):
        HotspotOptions(emerging_step="week")
