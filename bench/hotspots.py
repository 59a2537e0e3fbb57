"""Benchmark: Getis-Ord Gi* by 2-D convolution (mmm) against PySAL esda on the same grids.

What it measures, and why
-------------------------
Gi* runs for every phenomenon each time someone changes the cell size, the distance or the
period on the hotspot map, so it has to be interactive on a whole zone — and it must give the
reference implementation's numbers. The script

1. builds, per size S, a seeded S × S grid of clustered incident counts (Poisson over a smooth
   background with Gaussian hot spots) and an irregular study-area mask (a wobbly disc with a few
   holes: cells outside it are not part of the study area);
2. times :func:`mmm.hotspots.gi_star` (distance band D = 2 cells, cell itself included, FDR bins
   included), best of 3;
3. times, in the same process (after one untimed warm-up call, so imports do not count) on the
   same data, esda's analytical Gi*: building libpysal's ``DistanceBand(threshold=D,
   binary=True)`` weights on the in-zone cell centres (timed on its own) and
   ``esda.G_Local(y, w, star=True, transform="B", permutations=0)``, one run each;
4. checks that the z-scores (``Zs``) and two-sided p-values (``2 * p_norm``) agree to 1e-9 and
   exits with status 1 when they do not;
5. prints both times, the speed-up (esda weights + G_Local over mmm) and the target (≥ 20× at
   300 × 300).

esda is skipped for a size when the run predicted from the previous size (scaled by the number
of cells) would pass ``--esda-limit`` seconds (default 120); the table says so.

Run it from the repository root::

    .venv/bin/python bench/hotspots.py                 # 100², 300² and 1000²
    .venv/bin/python bench/hotspots.py --sizes 30 60   # a quick check

Results go to stdout (machine first, an aligned table last); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from dataclasses import dataclass

import numpy as np
import scipy

# helpers in bench/ (scripts run from bench/, which is then first on sys.path)
from cli import format_table, progress
from machine import machine_line
from timing import best_time

from mmm.hotspots import gi_star

CELL_M = 100.0
DISTANCE_M = 200.0  # 2 cells
TARGET_SIZE = 300
TARGET_SPEED_UP = 20.0
TOLERANCE = 1e-9


# -- data -----------------------------------------------------------------------------------
def make_grid(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Counts ``(size, size)`` and an irregular mask: a wobbly disc with a few round holes."""
    rows, cols = np.indices((size, size), dtype=float)
    c = (size - 1) / 2
    angle = np.arctan2(rows - c, cols - c)
    radius = 0.47 * size * (1 + 0.12 * np.sin(5 * angle) + 0.05 * np.cos(11 * angle))
    mask = np.hypot(rows - c, cols - c) <= radius
    for _ in range(max(1, size // 50)):
        hr, hc = rng.uniform(0.2 * size, 0.8 * size, 2)
        mask &= np.hypot(rows - hr, cols - hc) > rng.uniform(0.01, 0.04) * size + 1
    intensity = np.full((size, size), 0.3)
    for _ in range(max(3, size // 10)):
        hr, hc = rng.uniform(0, size, 2)
        spread = rng.uniform(1.5, 6.0)
        intensity += rng.uniform(2, 15) * np.exp(
            -((rows - hr) ** 2 + (cols - hc) ** 2) / (2 * spread**2)
        )
    return rng.poisson(intensity).astype(float), mask


# -- the two ways ---------------------------------------------------------------------------
def run_mmm(values: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Best of 3 runs of :func:`mmm.hotspots.gi_star`: seconds, z and p of the mask."""
    best, res = best_time(lambda: gi_star(values, mask, cell_m=CELL_M, distance_m=DISTANCE_M))
    return best, res.z[mask], res.p[mask]


@dataclass(frozen=True)
class EsdaRun:
    """Seconds of libpysal's weights and of esda's G_Local, and esda's z and two-sided p."""

    weights_s: float
    g_local_s: float
    z: np.ndarray
    p: np.ndarray

    @property
    def total_s(self) -> float:
        return self.weights_s + self.g_local_s


def run_esda(values: np.ndarray, mask: np.ndarray) -> EsdaRun:
    """One run of libpysal DistanceBand + esda G_Local(star=True, transform="B")."""
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand

    rows, cols = np.nonzero(mask)
    centres = np.column_stack([(cols + 0.5) * CELL_M, -(rows + 0.5) * CELL_M])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        w = DistanceBand(centres, threshold=DISTANCE_M, binary=True, silence_warnings=True)
        weights_s = time.perf_counter() - start
        start = time.perf_counter()
        g = G_Local(values[mask], w, star=True, transform="B", permutations=0)
        g_local_s = time.perf_counter() - start
    return EsdaRun(weights_s, g_local_s, np.asarray(g.Zs), 2 * np.asarray(g.p_norm))


# -- output ---------------------------------------------------------------------------------
def machine_lines() -> list[str]:
    """CPU, core count and library versions."""
    try:
        import esda
        import libpysal

        pysal = f"esda {esda.__version__}, libpysal {libpysal.__version__}"
    except ImportError:
        pysal = "esda not installed"
    return [
        machine_line(),
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        + pysal,
    ]


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


# -- main -----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000], metavar="S")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument(
        "--esda-limit",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="skip esda for a size whose predicted run is longer (default 120 s)",
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    for line in machine_lines():
        print(line)
    print(
        f"Gi*: distance band {DISTANCE_M:g} m on {CELL_M:g} m cells (2 cells, the cell itself "
        f"included), irregular masks, seed {args.seed}"
    )

    progress("warming up esda (imports and first-call costs are not timed)")
    run_esda(*make_grid(12, np.random.default_rng(0)))

    rows: list[tuple[str, ...]] = []
    failures: list[str] = []
    target: str | None = None
    per_cell_s: float | None = None  # esda seconds per study-area cell, from the last run
    for size in args.sizes:
        values, mask = make_grid(size, rng)
        n = int(mask.sum())
        progress(f"{size}×{size}: {n:,} cells in the study area; mmm")
        mmm_s, z, p = run_mmm(values, mask)
        predicted = per_cell_s * n if per_cell_s is not None else 0.0
        esda: EsdaRun | None = None
        if predicted <= args.esda_limit:
            progress(f"{size}×{size}: esda (weights + G_Local)")
            esda = run_esda(values, mask)
            per_cell_s = esda.total_s / n
        if esda is None:
            rows.append(
                (f"{size}×{size}", f"{n:,}", seconds(mmm_s), "skipped", "skipped", "—", "—",
                 f"esda predicted ≈ {predicted:.0f} s > {args.esda_limit:g} s")
            )  # fmt: skip
            continue
        dz = float(np.max(np.abs(z - esda.z))) if n else 0.0
        dp = float(np.max(np.abs(p - esda.p))) if n else 0.0
        if not (dz <= TOLERANCE and dp <= TOLERANCE):
            failures.append(f"{size}×{size}: max |Δz| = {dz:.2e}, max |Δp| = {dp:.2e}")
        ratio = esda.total_s / mmm_s
        rows.append(
            (f"{size}×{size}", f"{n:,}", seconds(mmm_s), seconds(esda.weights_s),
             seconds(esda.g_local_s), f"{ratio:,.0f}×", f"{esda.g_local_s / mmm_s:,.1f}×",
             f"max |Δz| {dz:.1e}, max |Δp| {dp:.1e}")
        )  # fmt: skip
        print(
            f"{size}×{size}: mmm {mmm_s:.4f} s, esda weights {esda.weights_s:.3f} s + G_Local "
            f"{esda.g_local_s:.3f} s, speed-up: {ratio:.1f}×, max |dz| {dz:.1e}"
        )
        if size == TARGET_SIZE:
            met = "met" if ratio >= TARGET_SPEED_UP else "NOT met"
            target = (
                f"target at {TARGET_SIZE}×{TARGET_SIZE}: ≥ {TARGET_SPEED_UP:g}× — {met} "
                f"({ratio:,.0f}×)"
            )

    print(f"results identical (|Δz|, |Δp| ≤ {TOLERANCE:g}): {'no' if failures else 'yes'}")
    if target:
        print(target)
    print()
    header = ("grid", "cells", "mmm gi_star", "esda weights", "esda G_Local", "speed-up",
              "vs G_Local only", "agreement")  # fmt: skip
    print(format_table(header, rows))
    for failure in failures:
        print(f"DIFFERENT: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
