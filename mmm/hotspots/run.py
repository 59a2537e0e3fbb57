"""Run a hotspot analysis on what the store holds: the one call the CLI and the web views make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mmm.errors import NotFound
from mmm.hotspots.accuracy import predictive_accuracy
from mmm.hotspots.analysis import analyse_hotspots
from mmm.hotspots.options import HotspotOptions
from mmm.hotspots.results import HotspotResult
from mmm.store import Store


def run_hotspots(
    store: Store,
    options: HotspotOptions | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> HotspotResult:
    """Analyse the store's incidents over its zone (and measure hit rate and PAI on a split).

    Parameters
    ----------
    store
        Any store; its zone outline (or, before one is imported, the hull of the data) is the
        study area.
    options
        See :class:`mmm.hotspots.options.HotspotOptions` (default: all defaults).
    progress
        ``progress(step, done, total)`` before each step (default: nobody listens): the steps
        of :func:`~mmm.hotspots.analysis.analyse_hotspots` after ``"incidents"`` (reading
        them), and ``"accuracy"`` last when ``options.split`` asks for it.

    Raises
    ------
    NotFound
        When the store holds neither a zone outline nor incidents.
    ValueError
        For a phenomenon code the store does not know, or a split day outside the period.
    """
    options = options or HotspotOptions()
    zone = store.zone()
    if zone is None:
        raise NotFound("the store holds no zone outline and no incidents: import them first")
    if options.phenomena:
        known = set(store.phenomena()["code"].astype(str))
        unknown = sorted(set(options.phenomena) - known)
        if unknown:
            raise ValueError(
                f"unknown phenomenon code{'s' * (len(unknown) > 1)} {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known)) or 'none yet'}"
            )
        weighted = {code for code, _ in options.weights}
        if weighted - set(options.phenomena):
            extra = ", ".join(sorted(weighted - set(options.phenomena)))
            raise ValueError(f"weights given for phenomena that are not analysed: {extra}")
    elif options.weights:
        known = set(store.phenomena()["code"].astype(str))
        unknown = sorted({code for code, _ in options.weights} - known)
        if unknown:
            raise ValueError(f"weights given for unknown phenomena: {', '.join(unknown)}")
    report = progress or (lambda step, done, total: None)
    accuracy = int(options.split is not None)  # the accuracy step
    report("incidents", 0, 1 + accuracy)
    incidents = store.incidents()

    def analysis_step(step: str, done: int, total: int) -> None:
        report(step, 1 + done, 1 + total + accuracy)

    result = analyse_hotspots(incidents, zone.geometry, options, analysis_step)
    if options.split is not None:
        total = 3 + len(result.layers) + int(options.colocation)
        report("accuracy", total - 1, total)
        result = replace(result, accuracy=predictive_accuracy(incidents, zone.geometry, options))
    return result
