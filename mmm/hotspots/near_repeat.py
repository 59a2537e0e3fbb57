"""Near repeats: the Knox table of pairs of incidents close in space and in time, with Monte
Carlo p-values, as Ratcliffe's Near Repeat Calculator reports it.

Why: after a burglary the homes nearby run a raised risk for a few weeks (Johnson et al. 2007:
within about 200 m for about two weeks). Whether a zone's own incidents show that pattern, and
how far and how long it reaches, decides how a patrol or a warning to neighbours is planned.

The table (Knox 1964; Ratcliffe 2009). Every pair of incidents ``{i, j}`` has a distance ``d``
(metres, straight line, EPSG:31370) and a time distance ``t`` (whole days between their dates).
Bands are given by their upper bounds ``u_0 < u_1 < …``: a pair falls in the first band whose
upper bound is at least its distance, ``d <= u_k`` (likewise in time). So a first band of ``0``
holds the pairs at exactly the same spot (``d = 0``: the same address) or on the same day
(``t = 0``); ``0, 100, 200`` gives *same spot*, *more than 0 up to 100 m*, *more than 100 up to
200 m*; ``7, 14`` gives *0 to 7 days*, *8 to 14 days*. Pairs beyond the last bound of either
axis appear in no cell but count in the totals.

- **observed** ``O[k, l]``: pairs in distance band ``k`` and time band ``l``.
- **expected** ``E[k, l] = R_k C_l / N``, with ``R_k`` all pairs in distance band ``k`` (any
  time), ``C_l`` all pairs in time band ``l`` (any distance) and ``N = n (n - 1) / 2``: the mean
  of ``O[k, l]`` when the dates are shuffled across the incidents (the permutation
  distribution's exact expectation; the calculator shows the mean of its simulations, which
  tends to the same value).
- **p** ``= (1 + #{permutations with O*[k, l] >= O[k, l]}) / (1 + permutations)``: each
  permutation shuffles the dates across the incidents, keeping the places and the set of dates
  (so no seasonal or long-term change in the zone's volume makes a cell significant); one-sided,
  as the calculator's significance of "more pairs than expected".
- **ratio** ``O / E``: the Knox ratio; above 1, more pairs than chance.

How it is computed: the spatial pairs up to the last distance bound come once from a KD-tree
(``scipy.spatial.cKDTree.query_pairs``), never an n × n matrix; the time totals come from the
sorted dates; each permutation only permutes the dates of the fixed pairs, looks their time band
up in a table of whole days and counts with ``numpy.bincount``.

References
----------
Knox, E. G. (1964). The detection of space-time interactions. *Applied Statistics* 13, 25–30.
Johnson, S. D. et al. (2007). Space-time patterns of risk: a cross national assessment of
residential burglary victimization. *Journal of Quantitative Criminology* 23, 201–219.
Ratcliffe, J. H. (2009). *Near Repeat Calculator* (version 1.3), Temple University.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from mmm.errors import LimitExceeded
from mmm.store import Store

#: Most permutations of one run.
MAX_PERMUTATIONS = 9_999
#: Most pairs within the last distance bound (each permutation touches every one of them).
MAX_PAIRS = 20_000_000


@dataclass(frozen=True, eq=False)
class NearRepeat:
    """A Knox table: rows are distance bands, columns time bands.

    Attributes
    ----------
    distance_bands
        Upper bounds of the distance bands in metres, increasing.
    time_bands
        Upper bounds of the time bands in days, increasing.
    observed
        int64 ``(distance bands, time bands)``: pairs in each cell.
    expected
        float ``(distance bands, time bands)``: pairs expected without space-time interaction.
    p
        float ``(distance bands, time bands)``: one-sided Monte Carlo p-value.
    events
        Incidents in the test.
    pairs
        All pairs of them, ``n (n - 1) / 2``.
    permutations
        Shuffles of the dates.
    seed
        Seed of the shuffles (the same seed gives the same p-values).
    """

    distance_bands: tuple[float, ...]
    time_bands: tuple[int, ...]
    observed: np.ndarray
    expected: np.ndarray
    p: np.ndarray
    events: int
    pairs: int
    permutations: int
    seed: int

    @property
    def ratio(self) -> np.ndarray:
        """Knox ratio ``observed / expected`` (NaN where nothing is expected)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    def distance_labels(self) -> list[str]:
        """Row labels: ``same spot (0 m)``, ``> 0–100 m``, ``> 100–200 m`` …"""
        return _labels(self.distance_bands, "m", "same spot (0 m)", lambda b: f"> {b:g}")

    def time_labels(self) -> list[str]:
        """Column labels: ``same day``, ``1–7 days``, ``8–14 days`` … (whole days)."""
        return _labels(self.time_bands, "days", "same day", lambda b: f"{b + 1:g}")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values: bands, labels, the matrices (rows = distance bands) and totals."""

        def rows(a: np.ndarray, digits: int | None = None) -> list[list[Any]]:
            return [[_plain(v, digits) for v in row] for row in a]

        return {
            "distance_bands": list(self.distance_bands),
            "time_bands": list(self.time_bands),
            "distance_labels": self.distance_labels(),
            "time_labels": self.time_labels(),
            "observed": rows(self.observed),
            "expected": rows(self.expected, 4),
            "ratio": rows(self.ratio, 4),
            "p": rows(self.p, 6),
            "events": self.events,
            "pairs": self.pairs,
            "permutations": self.permutations,
            "seed": self.seed,
        }


def _plain(value: Any, digits: int | None) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    value = float(value)
    if not np.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


def _labels(
    bands: tuple[float, ...], unit: str, zero: str, above: Callable[[float], str]
) -> list[str]:
    """``0`` as ``zero``, then ``above(previous)–bound unit``; a first band above 0 is
    ``0–bound unit``."""
    out = []
    for k, bound in enumerate(bands):
        if bound == 0:
            out.append(zero)
        else:
            low = "0" if k == 0 else above(bands[k - 1])
            out.append(f"{low}–{bound:g} {unit}")
    return out


def knox_table(
    x: np.ndarray,
    y: np.ndarray,
    days: np.ndarray,
    distance_bands: Sequence[float],
    time_bands: Sequence[float],
    *,
    permutations: int = 999,
    seed: int | None = None,
) -> NearRepeat:
    """The Knox table of a set of incidents (see the module docstring for the definitions).

    Parameters
    ----------
    x, y
        Coordinates in metres (EPSG:31370), one per incident.
    days
        The incident's date as a whole day number (e.g. days since 1970-01-01).
    distance_bands
        Upper bounds in metres, increasing, the first may be 0 (the same spot).
    time_bands
        Upper bounds in whole days, increasing, the first may be 0 (the same day).
    permutations
        Shuffles of the dates for the p-values, 1 to :data:`MAX_PERMUTATIONS`.
    seed
        Seed of the shuffles; ``None``: a fresh one, reported in the result.

    Returns
    -------
    NearRepeat

    Raises
    ------
    ValueError
        For bands that are not increasing, negative or not whole days, fewer than 2 incidents,
        or a number of permutations out of range.
    LimitExceeded
        When more than :data:`MAX_PAIRS` pairs lie within the last distance bound.
    """
    xy = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    t = np.asarray(days, dtype=np.int64)
    d_bands = _bands(distance_bands, "distance")
    t_bands = _bands(time_bands, "time")
    if any(b != int(b) for b in t_bands):
        raise ValueError(f"time bands are whole days, got {list(time_bands)}")
    n = len(t)
    if n < 2 or len(xy) != n:
        raise ValueError(f"a Knox test needs at least 2 dated incidents with a place, got {n}")
    if not 1 <= permutations <= MAX_PERMUTATIONS:
        raise ValueError(
            f"permutations must lie between 1 and {MAX_PERMUTATIONS}, got {permutations}"
        )
    seed = secrets.randbelow(2**32) if seed is None else seed

    i, j, d_band = _spatial_pairs(xy, np.asarray(d_bands))
    t = t - t.min()
    count = _pair_counter(i, j, d_band, len(d_bands), int(t.max()), t_bands)
    observed = count(t)
    rows = np.bincount(d_band, minlength=len(d_bands)).astype(float)
    total = n * (n - 1) // 2
    expected = rows[:, None] * _time_totals(t, t_bands)[None, :] / total
    rng = np.random.default_rng(seed)
    exceed = np.zeros(observed.shape, dtype=np.int64)
    for _ in range(permutations):  # a loop over permutations; each is vectorised over pairs
        exceed += count(rng.permutation(t)) >= observed
    return NearRepeat(
        distance_bands=tuple(float(b) for b in d_bands),
        time_bands=tuple(int(b) for b in t_bands),
        observed=observed.astype(np.int64),
        expected=expected,
        p=(exceed + 1) / (permutations + 1),
        events=n,
        pairs=total,
        permutations=permutations,
        seed=seed,
    )


def store_near_repeats(
    store: Store,
    phenomenon: str,
    distance_bands: tuple[float, ...],
    time_bands: tuple[int, ...],
    *,
    start: date | None = None,
    end: date | None = None,
    permutations: int = 999,
    seed: int | None = None,
) -> tuple[NearRepeat, int]:
    """The Knox table of one phenomenon's dated incidents in the store (see :func:`knox_table`).

    Parameters
    ----------
    store
        Any store.
    phenomenon
        The phenomenon code.
    distance_bands, time_bands, permutations, seed
        As :func:`knox_table`.
    start, end
        Inclusive days of the period; ``None``: open.

    Returns
    -------
    tuple
        The table and the number of the phenomenon's undated incidents left out (none when a
        period is given: the store leaves them out of any period).

    Raises
    ------
    ValueError
        For an unknown phenomenon code, and as :func:`knox_table`.
    """
    known = set(store.phenomena()["code"].astype(str))
    if phenomenon not in known:
        raise ValueError(
            f"unknown phenomenon code {phenomenon}; known: {', '.join(sorted(known)) or 'none yet'}"
        )
    frame = store.incidents(start=start, end=end)
    frame = frame[frame["phenomenon"] == phenomenon]
    dated = frame["occurred"].notna().to_numpy()
    table = knox_table(
        frame["x"].to_numpy(dtype=float)[dated],
        frame["y"].to_numpy(dtype=float)[dated],
        frame["occurred"].to_numpy(dtype="datetime64[D]")[dated].astype(np.int64),
        distance_bands,
        time_bands,
        permutations=permutations,
        seed=seed,
    )
    return table, int((~dated).sum())


def _bands(bands: Sequence[float], what: str) -> tuple[float, ...]:
    values = tuple(float(b) for b in bands)
    ok = values and all(np.isfinite(values)) and values[0] >= 0
    if not ok or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(
            f"{what} bands are upper bounds, 0 or more and increasing (e.g. 0,100,200), got "
            f"{list(bands)}"
        )
    return values


def _spatial_pairs(xy: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, ...]:
    """Both ends and the distance band of every pair within the last bound (``i < j``)."""
    cap = float(bounds[-1])
    tree = cKDTree(xy)
    reach = cap * (1 + 1e-9) + 1e-9  # a hair wider; the exact test is on the distances below
    within = (int(tree.count_neighbors(tree, reach)) - len(xy)) // 2
    if within > MAX_PAIRS:
        raise LimitExceeded(
            f"{within:,} pairs of incidents lie within {cap:g} m (more than {MAX_PAIRS:,}): "
            "choose a smaller last distance band, or a shorter period"
        )
    pairs = tree.query_pairs(reach, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    distance = np.hypot(*(xy[i] - xy[j]).T)
    keep = distance <= cap
    band = np.searchsorted(bounds, distance[keep])  # the first bound >= the distance
    return i[keep], j[keep], band


def _pair_counter(
    i: np.ndarray, j: np.ndarray, band: np.ndarray, bands: int, span: int, bounds: tuple[float, ...]
) -> Callable[[np.ndarray], np.ndarray]:
    """A function of the dates (whole days from 0 to ``span``) giving the pairs per distance
    band × time band, for the fixed spatial pairs ``(i, j)`` in distance band ``band``.

    Per call: two gathers and a subtraction over the pairs, then, per distance band, a
    histogram of the signed gaps (``numpy.bincount``) folded into whole days and summed up to
    each time bound; buffers are reused, so no memory is allocated per pair.
    """
    order = np.argsort(band, kind="stable")
    i, j = i[order].astype(np.intp), j[order].astype(np.intp)
    ends = np.searchsorted(band[order], np.arange(1, bands + 1))
    slices = [slice(a, b) for a, b in zip(np.r_[0, ends[:-1]], ends, strict=True)]
    upto = np.minimum(np.asarray(bounds, dtype=np.intp), span)  # no gap is longer than span
    small = np.int16 if 2 * span <= np.iinfo(np.int16).max else np.intp  # a third less memory
    left, right = np.empty(len(i), small), np.empty(len(i), small)

    def count(dates: np.ndarray) -> np.ndarray:
        np.take((dates + span).astype(small), i, out=left)
        np.take(dates.astype(small), j, out=right)
        np.subtract(left, right, out=left)  # span + the signed gap: 0 … 2 span
        signed = np.stack([np.bincount(left[s], minlength=2 * span + 1) for s in slices])
        gaps = signed[:, span:].copy()  # pairs per whole number of days apart
        gaps[:, 1:] += signed[:, :span][:, ::-1]
        return np.diff(np.cumsum(gaps, axis=1)[:, upto], axis=1, prepend=0)

    return count


def _time_totals(days: np.ndarray, bounds: tuple[float, ...]) -> np.ndarray:
    """Pairs of incidents (any distance) in each time band, from the sorted dates."""
    s = np.sort(days)
    first = np.arange(1, len(s) + 1)  # pairs (a, b), a < b in sorted order
    at_most = np.array(
        [(np.searchsorted(s, s + bound, side="right") - first).sum() for bound in bounds],
        dtype=float,
    )
    return np.diff(at_most, prepend=0.0)
