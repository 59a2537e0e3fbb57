"""Rates per 1,000 and their Empirical Bayes smoothing, global and local, as GeoDa computes them.

Why: a raw rate is unstable where the denominator is small — 2 burglaries among 40 residents
is 50 per 1,000, and one burglary more or less moves it by 25. Empirical Bayes smoothing pulls
each rate towards a reference rate, the more the smaller its denominator (Marshall 1991;
Anselin, Lozano & Koschinsky 2006, the method of moments GeoDa uses).

For counts ``O_i`` and denominators ``P_i`` (locations with ``P_i = 0`` have no rate and are
left out of every sum), raw rates ``r_i = O_i / P_i``:

- **global**: the reference is the overall rate ``b = ΣO / ΣP``; the variance of the true rates
  is estimated by ``a = Σ P_i (r_i − b)² / ΣP − b / P̄`` with ``P̄ = ΣP / n`` (0 when that is
  negative); the weight of the own rate is ``w_i = a / (a + b / P_i)`` and the smoothed rate
  ``EB_i = w_i r_i + (1 − w_i) b``;
- **local** (spatial): the same with the sums over each location's neighbourhood — itself and
  its neighbours — instead of over all locations, so a rate is pulled towards its surroundings'.

Results are per 1,000 of the denominator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Rates are given per this many of the denominator.
PER = 1_000.0


@dataclass(frozen=True, eq=False)
class Rates:
    """Per location: the raw rate and the global and local EB rates per 1,000 (NaN where the
    denominator is 0 or missing), and the global reference rate (per 1,000)."""

    raw: np.ndarray
    global_eb: np.ndarray
    local_eb: np.ndarray | None
    reference: float


def raw_rates(counts: np.ndarray, base: np.ndarray) -> np.ndarray:
    """``1,000 · O / P`` (NaN where ``P`` is 0 or missing)."""
    counts, base = np.asarray(counts, float), np.asarray(base, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base > 0, PER * counts / base, np.nan)


def _prior(o: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The reference rate ``b`` and the variance ``a`` (0 when negative) of a reference set of
    counts ``o`` and positive denominators ``p`` (per unit)."""
    b = o.sum() / p.sum()
    a = (p * (o / p - b) ** 2).sum() / p.sum() - b / (p.sum() / len(p))
    return float(b), max(float(a), 0.0)


def _shrink(r: np.ndarray, p: np.ndarray, b: float, a: float) -> np.ndarray:
    """``w r + (1 − w) b`` with ``w = a / (a + b / p)`` (the reference rate where nothing
    happened at all, ``a = b = 0``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(a + b / p > 0, a / (a + b / p), 0.0)
    return w * r + (1 - w) * b


def empirical_bayes(
    counts: np.ndarray, base: np.ndarray, neighbours: Sequence[np.ndarray] | None = None
) -> Rates:
    """Raw, global EB and (with ``neighbours``: per location the indices of its neighbours,
    itself not needed) local EB rates per 1,000 (see the module)."""
    o, p = np.asarray(counts, float), np.asarray(base, float)
    ok = np.isfinite(p) & (p > 0)
    raw = raw_rates(o, p)
    glob = np.full(len(o), np.nan)
    reference = float("nan")
    if ok.any():
        b, a = _prior(o[ok], p[ok])
        reference = PER * b
        glob[ok] = PER * _shrink(o[ok] / p[ok], p[ok], b, a)
    local = None
    if neighbours is not None:
        local = np.full(len(o), np.nan)
        for i in np.flatnonzero(ok):  # one small neighbourhood per location
            around = np.union1d(np.asarray(neighbours[int(i)], dtype=np.int64), [i])
            around = around[ok[around]]
            b, a = _prior(o[around], p[around])
            local[i] = PER * _shrink(np.array([o[i] / p[i]]), np.array([p[i]]), b, a)[0]
    return Rates(raw, glob, local, reference)
