"""A demo store of their own for the rate pages: the demo zone with residents per sector."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from flask import Flask

from mmm.demo import add_demo_plans
from mmm.io.denominators import import_denominators
from mmm.store import open_store
from tests.webmap.conftest import make_app

#: Residents per sector of the 1 km grid laid over the demo zone (a fixed pattern).
SECTOR_M = 1000.0


def sectors(zone: shapely.Polygon) -> gpd.GeoDataFrame:
    """A 1 km grid of "statistical sectors" over the zone, with residents 500, 1000, … 3000."""
    minx, miny, maxx, maxy = zone.bounds
    xs = np.arange(np.floor(minx / SECTOR_M) * SECTOR_M, maxx, SECTOR_M)
    ys = np.arange(np.floor(miny / SECTOR_M) * SECTOR_M, maxy, SECTOR_M)
    boxes = [shapely.box(x, y, x + SECTOR_M, y + SECTOR_M) for x in xs for y in ys]
    values = [500.0 * (1 + i % 6) for i in range(len(boxes))]
    return gpd.GeoDataFrame(
        {"cd_sector": [f"S{i:03d}" for i in range(len(boxes))], "inwoners": values},
        geometry=boxes,
        crs=31370,
    )


@pytest.fixture(scope="module")
def rates_store_url(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = Path(tmp_path_factory.mktemp("rates-module"))
    path = folder / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        add_demo_plans(store)
        layer = folder / "sectors.gpkg"
        sectors(store.zone().geometry).to_file(layer)
        import_denominators(store, layer, value="inwoners")
    finally:
        store.close()
    return url


@pytest.fixture(scope="module")
def app(rates_store_url: str) -> Flask:
    return make_app(rates_store_url)
