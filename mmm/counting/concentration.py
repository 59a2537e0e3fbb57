"""How concentrated a phenomenon is on street segments: the share of segments that holds 25 % and
50 % of its incidents, and the Gini coefficient — for the zone and for each perimeter.

Why: the law of crime concentration (Weisburd 2015: 50 % of crime on 2.1–6.0 % of the street
segments across eight cities) is how analysts decide whether a phenomenon calls for a
place-based approach, and where. Every segment of the scope counts, those without an incident
too (otherwise the shares say nothing); the incidents farther than the snap distance from every
segment are not on a street and are reported beside the figures, not in them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mmm.counting.count import covered_mask

#: The columns of :func:`concentration_table`.
COLUMNS = [
    "scope",
    "phenomenon",
    "incidents",
    "not_on_street",
    "segments",
    "pct_segments_25",
    "pct_segments_50",
    "gini",
]
#: The ``scope`` of the zone's rows (the others name a perimeter).
ZONE = "zone"


def concentration(counts: np.ndarray) -> tuple[float, float, float]:
    """The concentration of incidents over segments.

    Parameters
    ----------
    counts
        Incidents per segment, one value for every segment of the scope (zeros included).

    Returns
    -------
    tuple of float
        The percentage of segments that together hold 25 % and 50 % of the incidents (the
        fewest segments, most incidents first), and the Gini coefficient
        ``2 Σ i·c(i) / (n Σ c) − (n + 1) / n`` over the counts sorted ascending (``i`` = 1…n);
        each is NaN when there is no incident.
    """
    values = np.sort(np.asarray(counts, dtype=np.int64))
    total = int(values.sum())
    if total == 0:
        return float("nan"), float("nan"), float("nan")
    n = len(values)
    held = np.cumsum(values[::-1])
    share = [100.0 * (np.searchsorted(held, q * total) + 1) / n for q in (0.25, 0.5)]
    gini = 2.0 * float(np.arange(1, n + 1) @ values) / (n * total) - (n + 1) / n
    return share[0], share[1], gini


def concentration_table(
    streets: gpd.GeoDataFrame,
    perimeters: gpd.GeoDataFrame,
    x: np.ndarray,
    y: np.ndarray,
    segment: np.ndarray,
    codes: np.ndarray,
    phenomena: np.ndarray,
) -> pd.DataFrame:
    """:data:`COLUMNS` per scope (the zone, then each perimeter) × phenomenon.

    Parameters
    ----------
    streets
        The segments (their geometries tell which ones lie in a perimeter).
    perimeters
        ``name`` and polygons; a perimeter's incidents are those it covers, its segments those
        that touch it and any other that received one of its incidents.
    x, y
        The incidents' coordinates.
    segment
        Each incident's row in ``streets``, ``-1`` when it is not on a street.
    codes, phenomena
        Each incident's phenomenon as a position in ``phenomena``.
    """
    count = _Counter(segment, codes, phenomena, len(streets))
    rows = count.rows(ZONE, np.ones(len(segment), dtype=bool), np.arange(len(streets)))
    if len(perimeters) and len(streets):
        tree = shapely.STRtree(np.asarray(streets.geometry.values, dtype=object))
        polygons = np.asarray(perimeters.geometry.values, dtype=object)
        hit, touching = tree.query(polygons, predicate="intersects")
        for pos, (name, polygon) in enumerate(zip(perimeters["name"], polygons, strict=True)):
            covered = covered_mask(x, y, polygon)
            received = segment[covered & (segment >= 0)]
            scope = np.union1d(touching[hit == pos], received)
            rows += count.rows(str(name), covered, scope)
    return pd.DataFrame(rows, columns=COLUMNS)


class _Counter:
    """The incidents' segments and phenomena, counted per scope."""

    def __init__(
        self, segment: np.ndarray, codes: np.ndarray, phenomena: np.ndarray, n_segments: int
    ) -> None:
        self.segment, self.codes, self.phenomena = segment, codes, phenomena
        self.n_segments = n_segments

    def rows(
        self, scope: str, inside: np.ndarray, segments: np.ndarray
    ) -> list[tuple[object, ...]]:
        """One row per phenomenon with incidents ``inside`` this scope of ``segments``."""
        rows: list[tuple[object, ...]] = []
        for code, phenomenon in enumerate(self.phenomena):
            mine = inside & (self.codes == code)
            total = int(mine.sum())
            if not total:
                continue
            on = self.segment[mine & (self.segment >= 0)]
            per_segment = np.bincount(on, minlength=self.n_segments)[segments]
            share_25, share_50, gini = concentration(per_segment)
            rows.append(
                (scope, phenomenon, total, total - len(on), len(segments), share_25, share_50, gini)
            )
        return rows
