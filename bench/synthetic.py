"""The seeded, clustered zone of the counting benchmarks (aggregate.py, dask_scaling.py).

Incidents in EPSG:31370 over 20 km × 20 km (uniform background + Gaussian clusters; 8
phenomena; 3 years of dates) and irregular perimeters 150–600 m across (buffered points,
rotated boxes, irregular star polygons), some of them overlapping.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CRS = "EPSG:31370"
#: South-west corner and side of the generated area (Lambert 72 metres, around Brussels).
ORIGIN = (140_000.0, 160_000.0)
SIDE_M = 20_000.0
PHENOMENA = (
    "burglary_dwelling",
    "bicycle_theft",
    "car_break_in",
    "drugs",
    "vandalism",
    "illegal_dumping",
    "pickpocketing",
    "violence",
)
PHENOMENON_SHARES = (0.18, 0.20, 0.14, 0.12, 0.12, 0.10, 0.08, 0.06)
FIRST_DAY = np.datetime64("2022-01-01T00:00:00", "s")
DAYS = 1096  # 2022, 2023 and 2024 (a leap year)
BACKGROUND_SHARE = 0.35
CLUSTERS = 80
OVERLAP_SHARE = 0.15


def generate_incidents(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` incidents: ``phenomenon``, ``occurred`` (datetime64[s]), ``x``, ``y`` (EPSG:31370).

    A share of them is uniform background, the rest falls in Gaussian clusters of 80–600 m
    spread with uneven weights; points leaving the area wrap around to its other side.
    """
    n_background = int(n * BACKGROUND_SHARE)
    centres = rng.uniform(0.0, SIDE_M, size=(CLUSTERS, 2))
    spread = rng.uniform(80.0, 600.0, size=CLUSTERS)
    weights = rng.gamma(0.8, size=CLUSTERS)
    which = rng.choice(CLUSTERS, size=n - n_background, p=weights / weights.sum())
    clustered = centres[which] + rng.standard_normal((len(which), 2)) * spread[which, None]
    background = rng.uniform(0.0, SIDE_M, size=(n_background, 2))
    xy = np.mod(np.concatenate([background, clustered]), SIDE_M)[rng.permutation(n)]
    phenomenon = np.asarray(PHENOMENA, dtype=object)[
        rng.choice(len(PHENOMENA), size=n, p=PHENOMENON_SHARES)
    ]
    seconds = rng.integers(0, DAYS * 86_400, size=n)
    return pd.DataFrame(
        {
            "phenomenon": pd.array(phenomenon, dtype="string"),  # as Store.incidents() gives it
            "occurred": FIRST_DAY + seconds.astype("timedelta64[s]"),
            "x": xy[:, 0] + ORIGIN[0],
            "y": xy[:, 1] + ORIGIN[1],
        }
    )


def generate_perimeters(m: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """``m`` valid polygons 150–600 m across, a third each of three shapes, some overlapping.

    Centres lie uniformly in the area (away from its edge); about ``OVERLAP_SHARE`` of the
    perimeters are then moved next to another one so that the two overlap.
    """
    margin = 400.0
    centres = rng.uniform(margin, SIDE_M - margin, size=(m, 2)) + np.asarray(ORIGIN)
    radius = rng.uniform(75.0, 300.0, size=m)
    movers = rng.choice(m, size=int(round(m * OVERLAP_SHARE)), replace=False)
    anchors = rng.integers(0, m, size=len(movers))
    anchors = np.where(anchors == movers, (anchors + 1) % m, anchors)
    angle = rng.uniform(0.0, 2 * np.pi, size=len(movers))
    offset = rng.uniform(0.3, 0.8, size=len(movers)) * np.minimum(radius[movers], radius[anchors])
    centres[movers] = centres[anchors] + offset[:, None] * np.c_[np.cos(angle), np.sin(angle)]

    geoms = perimeter_shapes(centres, radius, rng)
    names = np.char.mod("P%05d", np.arange(m)).astype(object)
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs=CRS)


def perimeter_shapes(
    centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Valid polygons around ``centres`` (``m × 2``) reaching about ``radius`` metres: a third
    each of discs, rotated boxes and irregular 12-gons (also used by ``mappage_data.py``)."""
    shape = rng.integers(0, 3, size=len(radius))
    geoms = np.empty(len(radius), dtype=object)
    builders = (_buffered_points, _rotated_boxes, _star_polygons)
    for kind, build in enumerate(builders):
        chosen = shape == kind
        geoms[chosen] = build(centres[chosen], radius[chosen], rng)
    if not shapely.is_valid(geoms).all():
        raise RuntimeError("the perimeter generator made an invalid polygon")
    return geoms


def _buffered_points(
    centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Discs around a point (a perimeter "within r metres of this address")."""
    return shapely.buffer(shapely.points(centres), radius, quad_segs=8)


def _rotated_boxes(centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rectangles (a square, a car park) with random aspect and rotation."""
    half_w = radius
    half_h = radius * rng.uniform(0.4, 1.0, size=len(radius))
    corners = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0]])
    local = corners[None, :, :] * np.stack([half_w, half_h], axis=1)[:, None, :]
    theta = rng.uniform(0.0, np.pi, size=len(radius))
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
    x = local[..., 0] * cos - local[..., 1] * sin + centres[:, :1]
    y = local[..., 0] * sin + local[..., 1] * cos + centres[:, 1:]
    return shapely.polygons(np.stack([x, y], axis=-1))


def _star_polygons(centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Irregular 12-gons (a few streets around a block): vertices in increasing angle order
    around the centre, so every polygon is simple."""
    n, k = len(radius), 12
    steps = rng.uniform(0.5, 1.5, size=(n, k))
    angles = 2 * np.pi * np.cumsum(steps, axis=1) / steps.sum(axis=1, keepdims=True)
    reach = radius[:, None] * rng.uniform(0.55, 1.0, size=(n, k))
    x = centres[:, :1] + reach * np.cos(angles)
    y = centres[:, 1:] + reach * np.sin(angles)
    ring = np.stack([x, y], axis=-1)
    return shapely.polygons(np.concatenate([ring, ring[:, :1]], axis=1))


def overlapping_share(perimeters: gpd.GeoDataFrame) -> float:
    """Share of perimeters whose interior overlaps another perimeter's."""
    geoms = perimeters.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
    return len(np.unique(left[left != right])) / max(len(geoms), 1)


def zone_outline() -> shapely.Polygon:
    """The generated area, as the zone outline of the import benchmark's store."""
    x0, y0 = ORIGIN
    return shapely.box(x0, y0, x0 + SIDE_M, y0 + SIDE_M)
