"""The data of bench/mappage.py, load.py and counts.py: seeded incidents inside the demo zone,
more perimeters there when asked, and a SQLite store holding them with the demo's perimeters,
labels and users."""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from cli import progress
from synthetic import perimeter_shapes

from mmm.counting.months import MonthRange
from mmm.demo import PHENOMENA, ZONE_NAME, Demo, add_demo_partners, add_demo_users, build_demo
from mmm.demo.zone import LABELS, VOLUMES
from mmm.store import BatchInfo, migration_engine, open_store
from mmm.store.migrate import upgrade

PERIOD = MonthRange("2023-01", "2025-12")  # all three years of generated dates
FIRST_DAY = np.datetime64("2023-01-01T00:00:00", "s")
DAYS = 1096  # 2023, 2024 (a leap year) and 2025
BACKGROUND_SHARE = 0.4
HOTSPOT_SIGMA_M = (120.0, 450.0)
#: Radius range (m) of the perimeters added to the demo's: micro-local, a block or a square.
EXTRA_RADIUS_M = (40.0, 160.0)


def generate_incidents(n: int, demo: Demo, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` incidents inside the demo zone, as ``Store.add_incidents`` takes them.

    A share is uniform over the zone, the rest falls in Gaussian hotspots (120–450 m) around
    the perimeters' centroids with uneven weights; points outside the zone are drawn again.
    Columns: ``source_id``, ``phenomenon`` (the demo's 8, in the demo's proportions),
    ``occurred`` (datetime64[s], uniform over 2023–2025), ``x``, ``y`` (EPSG:31370).
    """
    zone = demo.zone
    shapely.prepare(zone)
    centres = shapely.get_coordinates(shapely.centroid(demo.perimeters.geometry.values))
    sigma = rng.uniform(*HOTSPOT_SIGMA_M, size=len(centres))
    weights = rng.gamma(1.0, size=len(centres))
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    background = rng.random(n) < BACKGROUND_SHARE
    spot = rng.choice(len(centres), size=n, p=weights / weights.sum())
    x0, y0, x1, y1 = zone.bounds
    while len(todo):  # each round redraws only the points that fell outside the zone
        flat = background[todo]
        s = spot[todo]
        xy = centres[s] + rng.standard_normal((len(todo), 2)) * sigma[s, None]
        xy[flat] = rng.uniform((x0, y0), (x1, y1), size=(int(flat.sum()), 2))
        x[todo], y[todo] = np.round(xy[:, 0], 1), np.round(xy[:, 1], 1)
        todo = todo[~shapely.contains_xy(zone, x[todo], y[todo])]
    shares = np.asarray(list(VOLUMES.values()), dtype=float)
    codes = rng.choice(len(PHENOMENA), size=n, p=shares / shares.sum())
    seconds = rng.integers(0, DAYS * 86_400, size=n)
    return pd.DataFrame(
        {
            "source_id": "BENCH-" + pd.Series(np.arange(n)).astype(str).str.zfill(7),
            "phenomenon": np.asarray(PHENOMENA, dtype=object)[codes],
            "occurred": FIRST_DAY + seconds.astype("timedelta64[s]"),
            "x": x,
            "y": y,
        }
    )


def generate_perimeters(m: int, demo: Demo, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The demo's perimeters and ``m`` minus as many more inside the zone (names ``B00001``…).

    The extra ones are 80–320 m across (discs, rotated boxes, irregular 12-gons; see
    ``synthetic.perimeter_shapes``) centred uniformly in the zone, so some overlap.
    """
    extra = max(m - len(demo.perimeters), 0)
    zone = demo.zone
    shapely.prepare(zone)
    x0, y0, x1, y1 = zone.bounds
    centres = np.empty((0, 2))
    while len(centres) < extra:
        drawn = rng.uniform((x0, y0), (x1, y1), size=(extra, 2))
        centres = np.concatenate([centres, drawn[shapely.contains_xy(zone, *drawn.T)]])
    centres = centres[:extra]
    geoms = perimeter_shapes(centres, rng.uniform(*EXTRA_RADIUS_M, size=extra), rng)
    added = gpd.GeoDataFrame(
        {"name": [f"B{i:05d}" for i in range(1, extra + 1)], "description": ""},
        geometry=geoms,
        crs=demo.perimeters.crs,
    )
    return pd.concat([demo.perimeters, added], ignore_index=True)


def build_store(
    path: Path, demo: Demo, incidents: pd.DataFrame, perimeters: gpd.GeoDataFrame | None = None
) -> str:
    """A fresh SQLite store at ``path``: zone, perimeters (default: the demo's), incidents,
    labels, demo users.

    Returns its URL.
    """
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        # The demo's import sources: a demo store, where the demo log-ins may be added.
        store.set_zone(ZONE_NAME, demo.zone, BatchInfo("zone", "demo", "bench", 1, 0))
        shapes = demo.perimeters if perimeters is None else perimeters
        batch = BatchInfo("perimeters", "demo-perimeters", "bench", len(shapes), 0)
        store.add_perimeters(shapes, batch)
        store.add_incidents(
            incidents, BatchInfo("incidents", "demo-incidents", "bench", len(incidents), 0)
        )
        for code, names in LABELS.items():
            for language, label in zip(("nl", "fr", "de", "en"), names, strict=True):
                store.set_label("phenomenon", code, language, label, actor="bench")
        add_demo_partners(store, actor="bench")  # partner users need their organisation
        add_demo_users(store, actor="bench")
    finally:
        store.close()
    return url


def prepare_store(directory: Path, n: int, seed: int, m: int = 10) -> str:
    """The store of ``n`` incidents and ``m`` perimeters in ``directory``: built unless an
    earlier run left it (then brought to the newest schema revision). Returns its URL."""
    path = directory / f"load-{n}-{m}-{seed}.sqlite"
    url = f"sqlite:///{path}"
    if path.exists():
        progress(f"reusing {path}")
        upgrade(migration_engine(url), url)
        return url
    progress(f"{n:,} × {m:,}: generating incidents and perimeters, building the store")
    start = time.perf_counter()
    demo = build_demo()
    incidents = generate_incidents(n, demo, np.random.default_rng([seed, n]))
    perimeters = generate_perimeters(m, demo, np.random.default_rng([seed, m]))
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    build_store(partial, demo, incidents, perimeters)
    partial.rename(path)
    progress(f"{n:,}: store built in {time.perf_counter() - start:.1f} s")
    return url
