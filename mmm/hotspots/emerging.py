"""Emerging hot spots: Esri's 17 categories from a space-time cube of cells × time steps.

Why: a hot cell's four trend words (:mod:`mmm.hotspots.trend`) do not tell a cell that has just
turned hot for the second time from one that has been hot for two years and is cooling down.
Esri's *Emerging Hot Spot Analysis* (ArcGIS Pro, Space Time Pattern Mining) sorts each location
into one of 17 patterns; analysts know them, so the same definitions are used here.

Three steps, all vectorised over the cells:

1. **Space-time Gi*** per bin ``(t, i)`` of the cube (Getis & Ord 1992; Esri's space-time
   implementation): the neighbours of a bin are the bins of the cells within ``D`` metres
   (centre to centre, inclusive, the cell itself included; see
   :func:`mmm.hotspots.gistar.distance_band`) in the same time step and in the ``K`` previous
   steps (Esri's *Neighborhood Time Step*; ``K = 0`` is a purely spatial Gi* per step; early
   steps have fewer previous steps). The global mean, standard deviation and ``n`` are those of
   every bin of the cube in the study area (Esri's *entire cube* global window), so the
   statistic is :mod:`mmm.hotspots.gistar`'s formula with ``n = cells × steps``.
2. **Bins per time step**: ArcGIS's ``Gi_Bin`` from the two-sided p-values, with the False
   Discovery Rate correction run separately in each time step over the cells of the study area
   (as :func:`mmm.hotspots.gistar.gi_bins`). A bin is *hot* when its bin is at least the chosen
   level (``+2`` = 95 % by default), *cold* when at most minus that level.
3. **Mann-Kendall** (:func:`mmm.hotspots.trend.mann_kendall`, continuity-corrected, ties
   corrected) on each cell's series of Gi* z-scores; the trend is significant when ``p <= alpha``
   (0.05 by default).

Categories (``n`` time steps, at least :data:`MIN_STEPS`; "90 %" is ``10 × hot steps >= 9 × n``;
the cold patterns are the hot ones with hot and cold swapped and the trend reversed). A cell
whose **last step is hot** gets a hot pattern:

``intensifying_hot``
    hot in at least 90 % of the steps, and the z-scores rise significantly;
``diminishing_hot``
    hot in at least 90 % of the steps, and the z-scores fall significantly;
``persistent_hot``
    hot in at least 90 % of the steps, without a significant trend;
``oscillating_hot``
    hot in fewer than 90 % of the steps, and cold in at least one earlier step;
``new_hot``
    the last step is the only significant one (never hot nor cold before);
``consecutive_hot``
    an uninterrupted run of at least two hot steps at the end, nothing significant before it
    (fewer than 90 % of the steps);
``sporadic_hot``
    hot in fewer than 90 % of the steps, never cold, and hot before the final run of hot steps
    with a gap in between (on again, off again).

A cell whose last step is neither hot nor cold is ``historical_hot`` when it was hot in at
least 90 % of the steps (``historical_cold`` likewise); every other cell is ``no_pattern``.

Where Esri's wording leaves an overlap, the choice made here (and the reason): a location that
was cold and is now hot only in the last step(s) is ``oscillating``, not ``new`` or
``consecutive`` ("never significant before" is what an analyst reads in *new*; R's sfdep makes
the same choice); the state of the last step decides between the hot and the cold family (a
cell hot for years and cold in the last step is ``oscillating_cold``, not ``historical_hot``);
``sporadic`` needs the last step hot, as in ArcGIS Pro (ArcMap 10.x did not), so a cell hot now
and then but not at the end is ``no_pattern``.

References
----------
Esri, *How Emerging Hot Spot Analysis works* (ArcGIS Pro documentation, Space Time Pattern
Mining toolbox).
Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance
statistics. *Geographical Analysis* 24(3), 189–206.
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13, 245–259.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage, special

from mmm.hotspots.gistar import GiStar, distance_band, gi_bins, neighbour_sums
from mmm.hotspots.trend import mann_kendall

NO_PATTERN = "no_pattern"
#: The eight patterns of each family, in Esri's order.
PATTERNS = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)
#: Every category code: the eight hot ones, the eight cold ones, then ``no_pattern``.
CATEGORIES: tuple[str, ...] = (
    *(f"{p}_hot" for p in PATTERNS),
    *(f"{p}_cold" for p in PATTERNS),
    NO_PATTERN,
)
#: Fewest time steps: with fewer, "90 % of the steps" means every step and Mann-Kendall has
#: little power (Esri's guidance for a space-time cube is ten steps or more).
MIN_STEPS = 10
#: Bins × steps per Mann-Kendall batch (its tie correction holds steps² values per cell).
_MK_BATCH = 1 << 24


@dataclass(frozen=True, eq=False)
class EmergingHotspots:
    """The space-time Gi* of a cube and the emerging category of each cell.

    Attributes
    ----------
    gi
        Space-time Gi*: ``z``, ``p`` (two-sided, uncorrected) and ``bins`` (FDR-corrected per
        step when ``gi.fdr``) of shape ``(steps, rows, cols)``; ``n``, ``mean`` and ``std`` over
        every bin of the study area.
    trend_z, trend_p
        Mann-Kendall z and two-sided p of each cell's z series, ``(rows, cols)`` (0 and 1
        outside the study area).
    category
        One of :data:`CATEGORIES` per study-area cell, ``""`` outside, ``(rows, cols)``.
    time_window
        ``K``: previous time steps in each bin's neighbourhood.
    level
        The bin a step needs to count as hot (or minus it, cold): 1, 2 or 3.
    """

    gi: GiStar
    trend_z: np.ndarray
    trend_p: np.ndarray
    category: np.ndarray
    time_window: int
    level: int


def check_steps(steps: int) -> None:
    """Refuse a cube of fewer than :data:`MIN_STEPS` time steps.

    Raises
    ------
    ValueError
        Saying how many steps there are and what to change.
    """
    if steps < MIN_STEPS:
        raise ValueError(
            f"emerging hot spots need at least {MIN_STEPS} time steps, got {steps}: choose "
            "shorter steps (--step month) or a longer period"
        )


def space_time_gi_star(
    cube: np.ndarray,
    mask: np.ndarray,
    *,
    cell_m: float,
    distance_m: float,
    time_window: int = 1,
    fdr: bool = True,
) -> GiStar:
    """Gi* of every bin of a space-time cube with a space-time distance-band neighbourhood.

    Parameters
    ----------
    cube
        Array ``(steps, rows, cols)``: e.g. incidents (or incidents per day) per cell and step,
        oldest step first; values outside ``mask`` are ignored.
    mask
        Boolean ``(rows, cols)``: the study area (the same cells at every step).
    cell_m
        Cell size in metres.
    distance_m
        Neighbourhood distance D in metres, centre to centre, inclusive.
    time_window
        ``K >= 0``: the bins of the ``K`` previous steps are neighbours too.
    fdr
        Correct the bins for the False Discovery Rate, separately in each time step.

    Returns
    -------
    GiStar
        ``z``, ``p`` and ``bins`` of shape ``(steps, rows, cols)``; ``n`` = study-area bins of
        the cube, ``mean`` and ``std`` (population) over them; ``note`` says why the statistic is
        undefined (z = 0 everywhere then).
    """
    if time_window < 0:
        raise ValueError(f"the time window must be 0 or more steps, got {time_window}")
    mask = np.asarray(mask, dtype=bool)
    x = np.where(mask, np.asarray(cube, dtype=float), 0.0)
    steps = x.shape[0]
    n = steps * int(mask.sum())
    inside = x[:, mask]
    mean = float(inside.mean()) if n else 0.0
    std = float(inside.std()) if n else 0.0  # population standard deviation (ddof=0)
    z = np.zeros(x.shape)
    p = np.ones(x.shape)
    note = None
    if n < 2:
        note = f"the cube holds {n} bin{'s' * (n != 1)}: Gi* needs at least 2"
    elif std <= 1e-12 * max(abs(mean), 1.0):
        note = f"all {n:,} bins hold the same value ({mean:g}): no hot or cold spot can stand out"
    else:
        kernel = distance_band(distance_m, cell_m)
        spatial = ndimage.correlate(x, kernel[None], mode="constant", cval=0.0)
        local = spatial.copy()
        reach = min(time_window, steps - 1)
        for lag in range(1, reach + 1):  # a loop over the window's steps, not over cells
            local[lag:] += spatial[:-lag]
        depth = np.minimum(np.arange(steps), reach) + 1.0  # steps in each bin's window
        w = depth[:, None, None] * neighbour_sums(mask.astype(float), kernel)[None]
        spread = std * np.sqrt(np.maximum(n * w - w * w, 0.0) / (n - 1))
        ok = mask[None] & (spread > 0)
        z[ok] = (local[ok] - mean * w[ok]) / spread[ok]
        p[ok] = 2.0 * special.ndtr(-np.abs(z[ok]))
    bins = np.stack([gi_bins(z[t], p[t], mask, fdr=fdr) for t in range(steps)])
    return GiStar(z=z, p=p, bins=bins, n=n, mean=mean, std=std, fdr=fdr, note=note)


def classify_emerging(
    hot: np.ndarray,
    cold: np.ndarray,
    trend_s: np.ndarray,
    trend_p: np.ndarray,
    *,
    alpha: float = 0.05,
) -> np.ndarray:
    """The emerging category of each location (the rules in the module docstring).

    Parameters
    ----------
    hot, cold
        Booleans ``(steps, …)``: the location is a significant hot (cold) spot in that step.
    trend_s, trend_p
        Mann-Kendall S (its sign is the trend's direction) and two-sided p of each location's
        z series, shape ``(…)``.
    alpha
        Significance level of the trend.

    Returns
    -------
    numpy.ndarray
        Codes of :data:`CATEGORIES`, object array of shape ``(…)``.

    Raises
    ------
    ValueError
        With fewer than :data:`MIN_STEPS` steps.
    """
    hot = np.asarray(hot, dtype=bool)
    cold = np.asarray(cold, dtype=bool)
    steps = hot.shape[0]
    check_steps(steps)
    significant = np.asarray(trend_p) <= alpha
    rising = significant & (np.asarray(trend_s) > 0)
    falling = significant & (np.asarray(trend_s) < 0)
    out = np.full(hot.shape[1:], NO_PATTERN, dtype=object)
    for family, this, other, stronger, weaker in (
        ("hot", hot, cold, rising, falling),
        ("cold", cold, hot, falling, rising),
    ):
        count = this.sum(axis=0)
        mostly = 10 * count >= 9 * steps
        last = this[-1]
        final_run = np.cumprod(this[::-1], axis=0).sum(axis=0)  # trailing significant steps
        rare = last & ~mostly
        clean = rare & ~other.any(axis=0)
        rules = (
            ("intensifying", last & mostly & stronger),
            ("diminishing", last & mostly & weaker),
            ("persistent", last & mostly & ~stronger & ~weaker),
            ("oscillating", rare & other.any(axis=0)),
            ("new", clean & (count == 1)),
            ("consecutive", clean & (count >= 2) & (final_run == count)),
            ("sporadic", clean & (final_run < count)),
            ("historical", ~last & ~other[-1] & mostly),
        )
        for pattern, where in rules:
            out[where] = f"{pattern}_{family}"
    return out


def emerging_hotspots(
    cube: np.ndarray,
    mask: np.ndarray,
    *,
    cell_m: float,
    distance_m: float,
    time_window: int = 1,
    level: int = 2,
    fdr: bool = True,
    alpha: float = 0.05,
) -> EmergingHotspots:
    """Space-time Gi*, Mann-Kendall and the 17 emerging categories of a cube.

    Parameters
    ----------
    cube
        Array ``(steps, rows, cols)``, oldest step first, at least :data:`MIN_STEPS` steps.
    mask
        Boolean ``(rows, cols)``: the study area.
    cell_m, distance_m
        Cell size and neighbourhood distance D in metres.
    time_window
        ``K``: previous steps in each bin's neighbourhood (Esri's default is 1).
    level
        Gi* bin a step needs to be hot (``-level`` cold): 1, 2, 3 for 90, 95, 99 %.
    fdr
        False Discovery Rate correction of the bins, per time step.
    alpha
        Significance level of the Mann-Kendall trend.

    Returns
    -------
    EmergingHotspots
    """
    mask = np.asarray(mask, dtype=bool)
    steps = np.asarray(cube).shape[0]
    check_steps(steps)
    gi = space_time_gi_star(
        cube, mask, cell_m=cell_m, distance_m=distance_m, time_window=time_window, fdr=fdr
    )
    series = gi.z[:, mask]  # (steps, cells)
    cells = series.shape[1]
    s, zs, ps = np.zeros(cells), np.zeros(cells), np.ones(cells)
    batch = max(1, _MK_BATCH // (steps * steps))
    for start in range(0, cells, batch):  # batches of cells bound the memory
        part = slice(start, start + batch)
        mk = mann_kendall(series[:, part])
        s[part], zs[part], ps[part] = mk.s, mk.z, mk.p
    trend_z, trend_p = np.zeros(mask.shape), np.ones(mask.shape)
    trend_z[mask], trend_p[mask] = zs, ps
    category = np.full(mask.shape, "", dtype=object)
    category[mask] = classify_emerging(
        gi.bins[:, mask] >= level, gi.bins[:, mask] <= -level, s, ps, alpha=alpha
    )
    return EmergingHotspots(
        gi=gi,
        trend_z=trend_z,
        trend_p=trend_p,
        category=category,
        time_window=time_window,
        level=level,
    )
