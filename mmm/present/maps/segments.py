"""The busiest street segments: a layer of the zone map and a list on the perimeter page.

Why: analysts think in street segments as well as in perimeters — half of a phenomenon's
incidents often lie on a few percent of the segments (:mod:`mmm.counting.concentration`). Each
incident is assigned once per data version to the nearest segment within the snap distance
(:func:`mmm.counting.segments.assign_segments`, the rule of ``mmm segments``), and a page only
counts the assignments of its period, phenomenon and perimeter.

Staff only: what a partner is shown comes from a :class:`~mmm.access.release.Release` of
perimeter × phenomenon × month cells, and a segment count is finer than any released cell, with
no disclosure rule of its own — so neither the layer nor the list is ever built for a partner
(the ``view_segments`` rule of :mod:`mmm.access.rules`), rather than shown under a rule that
does not fit it.
"""

from __future__ import annotations

import html
import threading
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from mmm.access.labels import phenomenon_labels
from mmm.access.rules import Scope
from mmm.counting.cells import release
from mmm.counting.concentration import concentration
from mmm.counting.count import covered_mask
from mmm.counting.months import MonthRange, choose_range
from mmm.counting.segments import SNAP_M, assign_segments, segment_order
from mmm.errors import MMMError
from mmm.present.maps.leaflet import web_geoms
from mmm.present.maps.legend import SEGMENT_CLASSES, count_breaks, segment_legend
from mmm.present.maps.numbers import Numbers
from mmm.present.maps.streets import StreetNetwork, street_network
from mmm.present.style import Translate, untranslated
from mmm.store import Store

#: Segments the zone map's layer draws: the busiest of the period.
LAYER_LIMIT = 100
#: Segments the perimeter page lists.
LIST_LIMIT = 10


class UnknownPhenomenon(MMMError, ValueError):
    """A phenomenon the reader does not have (or that does not exist)."""


_ASSIGNED: weakref.WeakKeyDictionary[Store, tuple[int, np.ndarray]] = weakref.WeakKeyDictionary()
_ASSIGNING = threading.Lock()


@dataclass(frozen=True)
class Assigned:
    """The store's incidents and the row of ``network.streets`` each one lies on (``-1``: not
    on a street)."""

    network: StreetNetwork
    incidents: pd.DataFrame
    segment: np.ndarray


def assigned(store: Store) -> Assigned | None:
    """Incidents and their segments (``None`` without streets); assigned once per data version
    (about a second at a million incidents, see ``bench/segments.py``)."""
    network = street_network(store)
    if network is None:
        return None
    incidents = store.incidents()
    with _ASSIGNING:
        found = _ASSIGNED.get(store)
        if found is None or found[0] != network.version or len(found[1]) != len(incidents):
            x, y = incidents["x"].to_numpy(dtype=float), incidents["y"].to_numpy(dtype=float)
            found = (network.version, assign_segments(x, y, network.streets, SNAP_M))
            _ASSIGNED[store] = found
    return Assigned(network, incidents, found[1])


def _chosen(a: Assigned, period: MonthRange, phenomena: list[str]) -> np.ndarray:
    """The incidents of ``period`` and of one of ``phenomena``."""
    occurred = pd.to_datetime(a.incidents["occurred"])
    keep = (occurred >= pd.Timestamp(period.start)) & (
        occurred < pd.Timestamp(period.end) + pd.Timedelta(days=1)
    )
    keep &= a.incidents["phenomenon"].astype(str).isin(phenomena)
    return np.asarray(keep.to_numpy(), dtype=bool)


def _busiest(a: Assigned, mask: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the ``limit`` segments with most incidents under ``mask`` (equal counts in the
    segment ids' order), and every segment's count."""
    n = len(a.network.streets)
    counts = np.bincount(a.segment[mask & (a.segment >= 0)], minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[segment_order(a.network.streets["segment_id"].to_numpy(dtype=object))] = np.arange(n)
    order = np.lexsort((rank, -counts))
    return order[: min(limit, int(np.count_nonzero(counts)))], counts


def segment_layer(
    store: Store,
    *,
    scope: Scope,
    first: str | None,
    last: str | None,
    phenomenon: str | None,
    language: str = "nl",
    translate: Translate = untranslated,
) -> dict[str, object]:
    """The zone map's segments layer: the :data:`LAYER_LIMIT` busiest segments of the months
    ``first``–``last`` (one phenomenon, or all the reader's), coloured by count, and its legend
    section: ``{"lines": [{"c": [[[lat, lon], …], …], "colour", "label"}, …], "legend": html}``.

    Raises
    ------
    InvalidPeriod, PeriodOutOfRange
        For months that are no range of the data (:func:`mmm.counting.months.choose_range`).
    UnknownPhenomenon
        For a phenomenon the reader does not have.
    """
    labels = phenomenon_labels(store, language)
    phenomena = {code: labels[code] for code in scope.phenomena(list(labels))}
    if phenomenon is not None and phenomenon not in phenomena:
        raise UnknownPhenomenon(f"unknown phenomenon {phenomenon!r}")
    period = choose_range(release(store, scope).months, first, last)
    _ = translate
    fmt = Numbers(language)
    label = phenomena[phenomenon] if phenomenon else _("All phenomena")
    title = _("%(phenomenon)s: incidents per street segment") % {"phenomenon": label}
    found = assigned(store)
    if found is None:
        note = _("No streets are stored: import them with mmm import streets.")
        return {"lines": [], "legend": segment_legend(title, [], [], note, fmt)}
    codes = [phenomenon] if phenomenon else list(phenomena)
    top, counts = _busiest(found, _chosen(found, period, codes), LAYER_LIMIT)
    breaks, colours = count_breaks(counts[top], SEGMENT_CLASSES)
    streets = found.network.streets
    lines = web_geoms(np.asarray(streets.geometry.values, dtype=object)[top], simplify_m=1.0)
    out = []
    for row, line in zip(top.tolist(), lines, strict=True):
        n = int(counts[row])
        cls = next(i for i, upper in enumerate(breaks) if n <= upper)
        text = _("%(street)s (segment %(id)s): %(n)s incidents") % {
            "street": streets["name"].iloc[row] or "—",
            "id": streets["segment_id"].iloc[row],
            "n": fmt.integer(n),
        }
        parts = [np.round(shapely.get_coordinates(p)[:, ::-1], 6).tolist()
                 for p in shapely.get_parts(line)]  # fmt: skip
        out.append({"c": parts, "colour": colours[cls], "label": html.escape(text)})
    note = _("The %(n)s busiest segments; an incident counts on the nearest segment within "
             "%(snap)s m.") % {"n": fmt.integer(len(top)), "snap": fmt.metres(SNAP_M)}  # fmt: skip
    return {"lines": out, "legend": segment_legend(title, breaks, colours, note, fmt)}


@dataclass(frozen=True)
class SegmentRow:
    """One line of a perimeter's busiest segments."""

    segment_id: str
    name: str
    count: int
    share: float  # percent of the perimeter's incidents on a street
    phenomena: list[tuple[str, int]]  # the segment's phenomena, most incidents first


@dataclass(frozen=True)
class PerimeterSegments:
    """A perimeter's busiest segments in a period, and how concentrated its incidents are."""

    rows: list[SegmentRow]
    incidents: int  # in the perimeter and period
    on_street: int  # of which within the snap distance of a segment
    segments: int  # the perimeter's segments (touching it, or given one of its incidents)
    pct_segments_50: float  # % of those that hold half of the incidents on a street
    snap_m: float = SNAP_M


def perimeter_segments(
    store: Store, geometry: BaseGeometry, period: MonthRange, phenomena: dict[str, str]
) -> PerimeterSegments | None:
    """The :data:`LIST_LIMIT` busiest segments of a perimeter (its incidents of ``period``
    and ``phenomena``), or ``None`` when no streets are stored."""
    found = assigned(store)
    if found is None:
        return None
    x = found.incidents["x"].to_numpy(dtype=float)
    y = found.incidents["y"].to_numpy(dtype=float)
    mask = _chosen(found, period, list(phenomena)) & covered_mask(x, y, geometry)
    top, counts = _busiest(found, mask, LIST_LIMIT)
    on = mask & (found.segment >= 0)
    streets = found.network.streets
    touching = np.flatnonzero(
        shapely.intersects(np.asarray(streets.geometry.values, dtype=object), geometry)
    )
    scope = np.union1d(touching, found.segment[on])
    share_50 = concentration(counts[scope])[1] if len(scope) else float("nan")
    kinds = found.incidents["phenomenon"].astype(str).to_numpy()
    rows = []
    for row in top.tolist():
        here = kinds[on & (found.segment == row)]
        names, n = np.unique(here, return_counts=True)
        mix = sorted(zip(names.tolist(), n.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
        rows.append(
            SegmentRow(
                str(streets["segment_id"].iloc[row]),
                str(streets["name"].iloc[row]),
                int(counts[row]),
                100.0 * int(counts[row]) / max(int(on.sum()), 1),
                [(phenomena.get(code, code), int(k)) for code, k in mix],
            )
        )
    return PerimeterSegments(rows, int(mask.sum()), int(on.sum()), len(scope), share_50)
