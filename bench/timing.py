"""Timing a benchmark's runs: best of a few, and how many were made (shared by the scripts in
bench/)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from cli import progress

REPEATS = 3
SLOW_RUN_S = 20.0  # best_of makes one run only when it takes longer

T = TypeVar("T")


def timed(work: Callable[[], T]) -> Callable[[], tuple[float, T]]:
    """``work`` as a run for :func:`best_of`: it returns its seconds and its result."""

    def run() -> tuple[float, T]:
        start = time.perf_counter()
        result = work()
        return time.perf_counter() - start, result

    return run


def best_of(run: Callable[[], tuple[float, T]], label: str) -> tuple[float, int, T]:
    """Call ``run`` (which returns its own seconds and a result) up to ``REPEATS`` times.

    Stops after one run when that run took more than ``SLOW_RUN_S`` seconds.
    Returns the best seconds, how many runs were made, and the best run's result.
    """
    best: tuple[float, T] | None = None
    runs = 0
    for runs in range(1, REPEATS + 1):
        seconds, result = run()
        progress(f"{label}: run {runs}: {seconds:.3f} s")
        if best is None or seconds < best[0]:
            best = (seconds, result)
        if seconds > SLOW_RUN_S:
            break
    assert best is not None
    return best[0], runs, best[1]


def runs_note(runs: int) -> str:
    """How :func:`best_of` got its figure: ``best of 3``, or why fewer runs were made."""
    if runs == REPEATS:
        return f"best of {REPEATS}"
    return f"1 run (it took > {SLOW_RUN_S:g} s)" if runs == 1 else f"best of {runs}"


def best_time(run: Callable[[], T], repeats: int = REPEATS) -> tuple[float, T]:
    """Best wall time of ``repeats`` calls of ``run``, and the last call's result."""
    best = float("inf")
    result: T
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result
