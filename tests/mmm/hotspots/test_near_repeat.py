"""The Knox table: observed and expected counts against a brute-force loop over all pairs and
against PySAL pointpats' Knox, Monte Carlo p-values against a loop over the same shuffles,
reproducibility, band edges, a planted near-repeat pattern found and a random one not."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pointpats.spacetime import Knox  # the reference (a test dependency)

from mmm.errors import LimitExceeded
from mmm.hotspots import near_repeat
from mmm.hotspots.near_repeat import knox_table


def _events(seed: int, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Places on a 10 m lattice in 1 km² (so some share a spot) and dates within 100 days."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 100, n) * 10.0 + 150_000
    y = rng.integers(0, 100, n) * 10.0 + 170_000
    x[:5], y[:5] = x[5], y[5]  # the same address five times over
    return x, y, rng.integers(19_000, 19_100, n)


def _band(value: float, bounds: list[float]) -> int | None:
    """The first band whose upper bound is at least ``value`` (``None``: beyond the last)."""
    for k, bound in enumerate(bounds):
        if value <= bound:
            return k
    return None


def _brute(x, y, t, d_bands, t_bands, order=None):
    """Observed table, row totals and column totals by looping over every pair."""
    t = t if order is None else t[order]
    observed = np.zeros((len(d_bands), len(t_bands)), dtype=np.int64)
    rows, cols = np.zeros(len(d_bands)), np.zeros(len(t_bands))
    for a in range(len(x)):
        for b in range(a + 1, len(x)):
            k = _band(math.hypot(x[a] - x[b], y[a] - y[b]), d_bands)
            m = _band(abs(int(t[a]) - int(t[b])), t_bands)
            if k is not None:
                rows[k] += 1
            if m is not None:
                cols[m] += 1
            if k is not None and m is not None:
                observed[k, m] += 1
    return observed, rows, cols


D_BANDS = [0.0, 100.0, 200.0, 300.0, 400.0]
T_BANDS = [0, 7, 14, 21, 28]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_observed_and_expected_equal_a_loop_over_all_pairs(seed: int) -> None:
    x, y, t = _events(seed)
    ours = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=9, seed=0)
    observed, rows, cols = _brute(x, y, t, D_BANDS, T_BANDS)
    np.testing.assert_array_equal(ours.observed, observed)
    n = len(x) * (len(x) - 1) / 2
    np.testing.assert_allclose(ours.expected, np.outer(rows, cols) / n, rtol=1e-12)
    assert rows[0] >= 15  # the shared address: 6 incidents, 15 pairs at 0 m
    assert ours.pairs == n and ours.events == len(x)


@pytest.mark.parametrize(("delta", "tau"), [(100.0, 7), (250.0, 14), (50.0, 0)])
def test_one_band_equals_pointpats_knox(delta: float, tau: int) -> None:
    x, y, t = _events(4, n=120)
    ours = knox_table(x, y, t, [delta], [tau], permutations=9, seed=0)
    ref = Knox(np.column_stack([x, y]), t.reshape(-1, 1).astype(float), delta, tau, permutations=0)
    assert ours.observed[0, 0] == ref.nst == ref.observed[0, 0]
    assert ours.expected[0, 0] == pytest.approx(ref.expected[0, 0], rel=1e-12)


def test_p_values_are_the_share_of_shuffles_at_least_as_high() -> None:
    x, y, t = _events(5, n=40)
    ours = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=49, seed=7)
    observed, _, _ = _brute(x, y, t, D_BANDS, T_BANDS)
    rng = np.random.default_rng(7)  # the same shuffles, replayed by hand
    shifted = t - t.min()
    exceed = np.zeros(observed.shape)
    for _ in range(49):
        shuffled = rng.permutation(shifted)
        exceed += _brute(x, y, shuffled, D_BANDS, T_BANDS)[0] >= observed
    np.testing.assert_allclose(ours.p, (exceed + 1) / 50)


def test_p_values_are_reproducible_with_a_seed() -> None:
    x, y, t = _events(6, n=200)
    a = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=99, seed=11)
    b = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=99, seed=11)
    c = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=99, seed=12)
    np.testing.assert_array_equal(a.p, b.p)
    assert not np.array_equal(a.p, c.p)
    fresh = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=19)
    again = knox_table(x, y, t, D_BANDS, T_BANDS, permutations=19, seed=fresh.seed)
    np.testing.assert_array_equal(fresh.p, again.p)  # an unseeded run says its seed


def _burglaries(seed: int, planted: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """600 burglaries spread over 4 × 4 km and two years; with ``planted``, 150 of them are
    followed within 80 m and 1–6 days by one or two more (a near-repeat pattern)."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 4_000, 600), rng.uniform(0, 4_000, 600)
    t = rng.integers(0, 730, 600)
    if planted:
        for source in rng.choice(600, 150, replace=False):
            for _ in range(rng.integers(1, 3)):
                angle, r = rng.uniform(0, 2 * np.pi), rng.uniform(0, 80)
                x = np.append(x, x[source] + r * np.cos(angle))
                y = np.append(y, y[source] + r * np.sin(angle))
                t = np.append(t, t[source] + rng.integers(1, 7))
    return x, y, t


def test_a_planted_near_repeat_pattern_is_found_and_a_random_one_is_not() -> None:
    bands, days = [100.0, 200.0, 400.0, 800.0], [7, 14, 28, 56]
    planted = knox_table(*_burglaries(1, True), bands, days, permutations=199, seed=3)
    assert planted.p[0, 0] < 0.05 and planted.ratio[0, 0] > 2
    assert planted.p[-1, -1] > 0.05  # far and long after: nothing
    random = knox_table(*_burglaries(1, False), bands, days, permutations=199, seed=3)
    assert random.p[0, 0] > 0.05 and (random.p > 0.01).all()


def test_band_edges_and_labels() -> None:
    # pairs at 0, 100 and 100.5 m; 0, 7 and 8 days apart
    x = np.array([0.0, 0.0, 100.0, 200.5])
    y = np.zeros(4)
    t = np.array([10, 10, 17, 25])
    table = knox_table(x, y, t, [0, 100, 200], [0, 7, 14], permutations=1, seed=0)
    # (0,1): 0 m, 0 d · (0,2),(1,2): 100 m, 7 d · (2,3): 100.5 m, 8 d · (0,3),(1,3): 200.5 m
    assert table.observed.tolist() == [[1, 0, 0], [0, 2, 0], [0, 0, 1]]
    assert table.distance_labels() == ["same spot (0 m)", "> 0–100 m", "> 100–200 m"]
    assert table.time_labels() == ["same day", "1–7 days", "8–14 days"]
    other = knox_table(x, y, t, [150, 300], [7, 30], permutations=1, seed=0)
    assert other.distance_labels() == ["0–150 m", "> 150–300 m"]
    assert other.time_labels() == ["0–7 days", "8–30 days"]
    as_json = other.to_dict()
    assert as_json["distance_bands"] == [150.0, 300.0] and as_json["time_bands"] == [7, 30]
    assert as_json["observed"] == other.observed.tolist()


def test_refusals(monkeypatch: pytest.MonkeyPatch) -> None:
    x, y, t = _events(8)
    for bad in ([100, 100], [200, 100], [-1, 10], []):
        with pytest.raises(ValueError, match="increasing"):
            knox_table(x, y, t, bad, [7])
    with pytest.raises(ValueError, match="whole days"):
        knox_table(x, y, t, [100], [3.5])
    with pytest.raises(ValueError, match="between 1 and"):
        knox_table(x, y, t, [100], [7], permutations=0)
    with pytest.raises(ValueError, match="at least 2"):
        knox_table(x[:1], y[:1], t[:1], [100], [7])
    monkeypatch.setattr(near_repeat, "MAX_PAIRS", 5)
    with pytest.raises(LimitExceeded, match="smaller last distance band"):
        knox_table(x, y, t, [1000], [7])
