"""Co-location quotient (Leslie & Kronenfeld 2011): which phenomena occur next to each other.

Why: a multi-phenomenon approach asks whether, say, drug incidents and street robberies happen
in the same places. The co-location quotient compares, for the incidents of phenomenon A, how
often their nearest neighbour is a B incident with how often it would be if the phenomenon labels
were shuffled over the same locations.

Definition, for the ordered pair A → B::

    CLQ_{A→B} = (C_{A→B} / N_A) / (N'_B / (N - 1))

``N`` incidents in all, ``N_A`` and ``N_B`` per phenomenon, ``N'_B = N_B - 1`` when A = B (an
incident is not its own neighbour) and ``N_B`` otherwise, and ``C_{A→B}`` the number of A
incidents whose nearest neighbour is a B incident. **Ties** (several neighbours at exactly the
same smallest distance, e.g. incidents geocoded to the same address) are handled as in the
paper: each of the ``t`` tied nearest neighbours counts ``1/t``. CLQ > 1: B is over-represented
next to A (co-location); CLQ < 1: under-represented (isolation); under random labelling the
expected value is 1. The quotient is not symmetric: CLQ_{A→B} ≠ CLQ_{B→A} in general.

**Significance** by a Monte Carlo test: the phenomenon labels are randomly permuted over the
incidents ``permutations`` times (seeded), keeping the locations and the neighbour structure; the
two-sided pseudo p-value is ``min(1, 2 * min(P(sim >= obs), P(sim <= obs)))`` with each
``P = (1 + #) / (permutations + 1)``. With 99 permutations the smallest p-value is 0.02.

Reference
---------
Leslie, T. F. & Kronenfeld, B. J. (2011). The colocation quotient: a new measure of spatial
association between categorical subsets of points. *Geographical Analysis* 43(3), 306–326.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree


@dataclass(frozen=True, eq=False)
class CoLocationTable:
    """Co-location quotients for every ordered pair of phenomena.

    Attributes
    ----------
    phenomena
        Codes, in the order of the matrices' rows and columns.
    counts
        Incidents per phenomenon (``N_A``).
    clq
        ``clq[a, b]`` = CLQ_{A→B}; ``NaN`` when undefined (A = B with a single incident).
    p_value
        Two-sided Monte Carlo pseudo p-values (``NaN`` where ``clq`` is).
    permutations
        Number of random relabellings.
    alpha
        Significance level used by :meth:`to_frame`'s ``pattern``.
    """

    phenomena: tuple[str, ...]
    counts: np.ndarray
    clq: np.ndarray
    p_value: np.ndarray
    permutations: int
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """Long table, one row per ordered pair: ``a``, ``b``, ``n_a``, ``n_b``, ``clq``,
        ``p_value``, ``pattern`` (``colocated``, ``isolated`` or ``not significant``)."""
        k = len(self.phenomena)
        a, b = np.divmod(np.arange(k * k), k)
        clq = self.clq.ravel()
        p = self.p_value.ravel()
        significant = p <= self.alpha
        pattern = np.where(
            significant & (clq > 1),
            "colocated",
            np.where(significant & (clq < 1), "isolated", "not significant"),
        )
        names = np.asarray(self.phenomena, dtype=object)
        return pd.DataFrame(
            {
                "a": names[a],
                "b": names[b],
                "n_a": self.counts[a],
                "n_b": self.counts[b],
                "clq": clq,
                "p_value": p,
                "pattern": pattern,
            }
        )


def nearest_neighbours(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every point's nearest neighbour(s), all ties included, the point itself excluded.

    Parameters
    ----------
    xy
        Array ``(N, 2)`` of coordinates, N ≥ 2.

    Returns
    -------
    source, target, weight
        One entry per (point, tied nearest neighbour) pair; ``weight = 1 / t`` for a point with
        ``t`` tied nearest neighbours, so each point's weights sum to 1.
    """
    n = len(xy)
    tree = cKDTree(xy)
    todo = np.arange(n)
    k = min(n, 4)
    sources, targets, weights = [], [], []
    while len(todo):
        dist, idx = tree.query(xy[todo], k=k)
        dist = dist.reshape(len(todo), k)
        idx = idx.reshape(len(todo), k)
        other = idx != todo[:, None]  # the point itself, wherever it sits among the zeros
        dmin = np.where(other, dist, np.inf).min(axis=1)
        tied = other & (dist <= dmin[:, None])
        # When the farthest neighbour returned is still tied, more ties may lie beyond: ask again.
        truncated = (dist[:, -1] <= dmin) & (k < n)
        done = ~truncated
        rows, cols = np.nonzero(tied[done])
        t = tied[done].sum(axis=1)
        sources.append(todo[done][rows])
        targets.append(idx[done][rows, cols])
        weights.append(1.0 / t[rows])
        todo = todo[truncated]
        k = min(n, 2 * k)
    return np.concatenate(sources), np.concatenate(targets), np.concatenate(weights)


def colocation_quotients(
    x: np.ndarray,
    y: np.ndarray,
    labels: Sequence[str] | np.ndarray,
    *,
    permutations: int = 99,
    seed: int = 20240101,
    alpha: float = 0.05,
) -> CoLocationTable:
    """Co-location quotient CLQ_{A→B} for every ordered pair of phenomena, with a Monte Carlo test.

    Parameters
    ----------
    x, y
        Incident coordinates in metres (EPSG:31370).
    labels
        Phenomenon code per incident.
    permutations
        Random relabellings for the significance test (0: no test, p-values ``NaN``).
    seed
        Seed of the permutations (same seed, same p-values).
    alpha
        Level at which :meth:`CoLocationTable.to_frame` calls a pair co-located or isolated.

    Returns
    -------
    CoLocationTable

    Raises
    ------
    ValueError
        With fewer than 2 incidents (no incident has a neighbour).
    """
    xy = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    if len(xy) < 2:
        raise ValueError(f"the co-location quotient needs at least 2 incidents, got {len(xy)}")
    codes, names = pd.factorize(pd.Series(np.asarray(labels, dtype=object)), sort=True)
    k = len(names)
    n = len(codes)
    counts = np.bincount(codes, minlength=k)
    source, target, weight = nearest_neighbours(xy)

    others = counts[None, :] - np.eye(k, dtype=np.int64)  # N'_B: one fewer when A = B
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = (n - 1) / (counts[:, None] * others)
    scale[others == 0] = np.nan

    def quotients(lab: np.ndarray) -> np.ndarray:
        c = np.bincount(lab[source] * k + lab[target], weights=weight, minlength=k * k)
        return c.reshape(k, k) * scale

    observed = quotients(codes)
    p_value = np.full((k, k), np.nan)
    if permutations > 0:
        rng = np.random.default_rng(seed)
        above = np.zeros((k, k))
        below = np.zeros((k, k))
        eps = 1e-12  # floating sums of 1/t: equal quotients must compare equal
        for _ in range(permutations):  # a loop over permutations, each fully vectorised
            sim = quotients(rng.permutation(codes))
            above += sim >= observed - eps
            below += sim <= observed + eps
        tail = np.minimum(above, below)
        p_value = np.minimum(1.0, 2.0 * (tail + 1.0) / (permutations + 1.0))
        p_value[np.isnan(observed)] = np.nan
    return CoLocationTable(
        phenomena=tuple(str(s) for s in names),
        counts=counts,
        clq=observed,
        p_value=p_value,
        permutations=permutations,
        alpha=alpha,
    )
