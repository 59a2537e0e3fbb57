"""Trend per hot cell: Mann-Kendall over quarterly rates → new / intensifying / persistent /
diminishing (a simplified version of ESRI's emerging hot spot categories).

Why: a project group builds a perimeter on a place that stays hot. A cell that only became hot
last quarter, or whose counts are falling, calls for a different decision than one that has
been hot all along.

The Mann-Kendall test (Mann 1945; Kendall 1975) on a series ``x_1 … x_n``::

    S = sum_{i<j} sign(x_j - x_i)
    Var(S) = (n (n-1) (2n+5) - sum_g t_g (t_g - 1) (2 t_g + 5)) / 18   (t_g: sizes of tied groups)
    Z = (S - sign(S)) / sqrt(Var(S))                                   (continuity correction)

with a two-sided normal p-value. Without the continuity correction Z equals the asymptotic
z of ``scipy.stats.kendalltau(range(n), x)`` (Kendall's tau-b against time), which the tests
check.

Categories, for a cell that is hot over the whole period (Gi* bin at or above the chosen level)
for a phenomenon, with one value per calendar quarter (the incidents per day of the quarter's
part inside the period, so that a partial first or last quarter compares fairly):

``new``
    hot (Gi* on that quarter's counts, same weights, level and FDR) in the last quarter and in
    no earlier quarter;
``intensifying``
    not new, and Mann-Kendall finds a significant increase (S > 0, p ≤ ``alpha``, 0.05);
``diminishing``
    not new, and a significant decrease (S < 0, p ≤ ``alpha``);
``persistent``
    any other hot cell: hot over the period with no significant trend.

Cells that are not hot get no category (an empty string). ESRI's version runs Mann-Kendall on
the z-scores of each time step and has eight hot categories; here the counts carry the trend and
four categories remain.

References
----------
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13, 245–259.
Kendall, M. G. (1975). *Rank Correlation Methods*, 4th ed. Griffin.
ESRI, *How Emerging Hot Spot Analysis works* (ArcGIS Pro documentation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

NEW, INTENSIFYING, PERSISTENT, DIMINISHING = "new", "intensifying", "persistent", "diminishing"
TRENDS = (NEW, INTENSIFYING, PERSISTENT, DIMINISHING)
#: Fewest time steps for a Mann-Kendall trend.
MIN_STEPS = 4


@dataclass(frozen=True, eq=False)
class MannKendall:
    """Mann-Kendall test results, one value per series (arrays, or 0-d for a single series).

    Attributes
    ----------
    s
        The S statistic.
    var_s
        Variance of S under no trend, corrected for ties.
    z
        Standardised S (with continuity correction unless asked otherwise).
    p
        Two-sided p-value (normal approximation).
    tau
        Kendall's tau-a, ``S / (n (n - 1) / 2)``.
    n
        Series length.
    """

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray
    n: int


def mann_kendall(series: np.ndarray, *, continuity: bool = True) -> MannKendall:
    """Mann-Kendall trend test over the first axis, vectorised over the others.

    Parameters
    ----------
    series
        Array ``(n, …)``: ``n`` time steps (in order) for each series.
    continuity
        Subtract ``sign(S)`` from S before standardising (the usual choice).

    Returns
    -------
    MannKendall
        Arrays of shape ``series.shape[1:]``; a constant series gets ``z = 0`` and ``p = 1``.
    """
    x = np.asarray(series, dtype=float)
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"a Mann-Kendall test needs at least 2 time steps, got {n}")
    s = np.zeros(x.shape[1:])
    for i in range(n - 1):  # a loop over time steps (a handful of quarters), not over cells
        s += np.sign(x[i + 1 :] - x[i]).sum(axis=0)
    # Each value in a tied group of size t contributes (t - 1)(2t + 5); a group t(t - 1)(2t + 5).
    ties = (x[:, None] == x[None, :]).sum(axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - ((ties - 1) * (2 * ties + 5)).sum(axis=0)) / 18.0
    shifted = s - np.sign(s) if continuity else s
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var_s > 0, shifted / np.sqrt(var_s), 0.0)
    p = 2.0 * special.ndtr(-np.abs(z))
    return MannKendall(s=s, var_s=var_s, z=z, p=p, tau=s / (n * (n - 1) / 2), n=n)


def classify_trends(
    rates: np.ndarray,
    hot_by_step: np.ndarray,
    hot: np.ndarray,
    *,
    alpha: float = 0.05,
) -> np.ndarray:
    """Trend category of each hot cell (see the module docstring for the definitions).

    Parameters
    ----------
    rates
        ``(steps, rows, cols)`` incidents per day of each quarter (or counts).
    hot_by_step
        ``(steps, rows, cols)`` booleans: the cell is hot in that quarter alone.
    hot
        ``(rows, cols)`` booleans: the cell is hot over the whole period.
    alpha
        Significance level of the Mann-Kendall test.

    Returns
    -------
    numpy.ndarray
        Strings ``(rows, cols)``: a category for hot cells, ``""`` elsewhere and everywhere
        when there are fewer than :data:`MIN_STEPS` quarters.
    """
    out = np.full(hot.shape, "", dtype=object)
    if rates.shape[0] < MIN_STEPS or not hot.any():
        return out
    mk = mann_kendall(rates[:, hot])
    significant = mk.p <= alpha
    category = np.full(mk.s.shape, PERSISTENT, dtype=object)
    category[significant & (mk.s > 0)] = INTENSIFYING
    category[significant & (mk.s < 0)] = DIMINISHING
    steps = hot_by_step[:, hot]
    category[steps[-1] & ~steps[:-1].any(axis=0)] = NEW
    out[hot] = category
    return out
