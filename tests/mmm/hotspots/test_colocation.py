"""Co-location quotient on small hand-checked cases, ties, and the Monte Carlo test."""

from __future__ import annotations

import numpy as np
import pytest

from mmm.hotspots.colocation import colocation_quotients, nearest_neighbours


def _matrix(table, a: str, b: str) -> float:
    i, j = table.phenomena.index(a), table.phenomena.index(b)
    return float(table.clq[i, j])


def test_points_on_a_line_by_hand() -> None:
    # A at 0, 1, 10; B at 3, 4. Nearest neighbours: A0→A1, A1→A0, B3→B4, B4→B3, A10→B4.
    # N = 5, N_A = 3, N_B = 2; C_AA = 2, C_AB = 1, C_BA = 0, C_BB = 2.
    x = np.array([0.0, 1.0, 3.0, 4.0, 10.0])
    table = colocation_quotients(x, np.zeros(5), ["A", "A", "B", "B", "A"], permutations=0)
    assert table.phenomena == ("A", "B")
    assert table.counts.tolist() == [3, 2]
    assert _matrix(table, "A", "A") == pytest.approx((2 / 3) / (2 / 4))  # 4/3
    assert _matrix(table, "A", "B") == pytest.approx((1 / 3) / (2 / 4))  # 2/3
    assert _matrix(table, "B", "A") == pytest.approx(0.0)
    assert _matrix(table, "B", "B") == pytest.approx((2 / 2) / (1 / 4))  # 4
    assert np.isnan(table.p_value).all()  # no permutations, no test


def test_ties_split_the_count() -> None:
    # A0 at (0, 0) has two nearest neighbours at 1 m: A1 (1, 0) and B1 (-1, 0) → ½ each.
    # A1 → A0; B1 → A0; B2 (-1, -3) → B1 (3 m; A0 is 3.16 m away).
    # C_AA = 1.5, C_AB = 0.5, C_BA = 1, C_BB = 1; N = 4, N_A = N_B = 2.
    xy = np.array([(0, 0), (1, 0), (-1, 0), (-1, -3)], dtype=float)
    table = colocation_quotients(xy[:, 0], xy[:, 1], ["A", "A", "B", "B"], permutations=0)
    assert _matrix(table, "A", "A") == pytest.approx((1.5 / 2) / (1 / 3))  # 2.25
    assert _matrix(table, "A", "B") == pytest.approx((0.5 / 2) / (2 / 3))  # 0.375
    assert _matrix(table, "B", "A") == pytest.approx((1 / 2) / (2 / 3))  # 0.75
    assert _matrix(table, "B", "B") == pytest.approx((1 / 2) / (1 / 3))  # 1.5


def test_coincident_points_are_all_tied_neighbours() -> None:
    # Six incidents at one address (3 A, 3 B) and one B far away, near nothing.
    x = np.array([5.0] * 6 + [100.0])
    labels = ["A", "A", "A", "B", "B", "B", "B"]
    source, target, weight = nearest_neighbours(np.column_stack([x, np.zeros(7)]))
    assert not (source == target).any()
    np.testing.assert_allclose(np.bincount(source, weights=weight), 1.0)
    assert np.bincount(source)[:6].tolist() == [5] * 6  # each sees the 5 others, ⅕ each
    table = colocation_quotients(x, np.zeros(7), labels, permutations=0)
    # Each A: 2 A and 3 B among its 5 → C_AA = 3 × 2/5, C_AB = 3 × 3/5; N = 7, N_A = 3, N_B = 4.
    assert _matrix(table, "A", "A") == pytest.approx((1.2 / 3) / (2 / 6))
    assert _matrix(table, "A", "B") == pytest.approx((1.8 / 3) / (4 / 6))


def test_monte_carlo_test_is_seeded_and_finds_real_colocation() -> None:
    rng = np.random.default_rng(3)
    sites = rng.uniform(0, 5000, size=(60, 2))
    # A and B always come in pairs 2 m apart at the same sites; C is scattered at random.
    a = sites + rng.normal(0, 1, sites.shape)
    b = sites + rng.normal(0, 1, sites.shape) + 2
    c = rng.uniform(0, 5000, size=(60, 2))
    xy = np.concatenate([a, b, c])
    labels = ["A"] * 60 + ["B"] * 60 + ["C"] * 60
    table = colocation_quotients(xy[:, 0], xy[:, 1], labels, permutations=99, seed=7)
    again = colocation_quotients(xy[:, 0], xy[:, 1], labels, permutations=99, seed=7)
    np.testing.assert_array_equal(table.p_value, again.p_value)
    frame = table.to_frame().set_index(["a", "b"])
    assert frame.loc[("A", "B"), "clq"] > 2 and frame.loc[("A", "B"), "pattern"] == "colocated"
    assert frame.loc[("A", "B"), "p_value"] == pytest.approx(0.02)  # the smallest with 99
    assert frame.loc[("A", "C"), "pattern"] == "isolated"
    assert len(frame) == 9 and set(frame.columns) >= {"n_a", "n_b", "clq", "p_value", "pattern"}


def test_random_labels_give_quotients_near_one() -> None:
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 1000, size=(3000, 2))
    labels = rng.choice(["A", "B", "C"], size=3000)
    table = colocation_quotients(xy[:, 0], xy[:, 1], labels, permutations=49, seed=1)
    np.testing.assert_allclose(table.clq, 1.0, atol=0.15)
    assert (table.p_value > 0.01).sum() >= 7


def test_degenerate_inputs() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        colocation_quotients(np.array([1.0]), np.array([1.0]), ["A"])
    table = colocation_quotients(np.array([0.0, 1.0]), np.zeros(2), ["A", "B"], permutations=9)
    assert np.isnan(table.clq[0, 0]) and np.isnan(table.p_value[0, 0])  # one A: A→A undefined
    assert table.clq[0, 1] == pytest.approx(1.0)
