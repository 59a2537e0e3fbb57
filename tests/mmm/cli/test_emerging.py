"""``mmm hotspots --emerging``: the summary, the ``emerging`` column of ``--cells-out`` and its
codes, and the refusals (too few steps, ``--step`` without ``--emerging``)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from click.testing import CliRunner
from shapely.geometry import Point

from mmm.cli.group import cli
from mmm.hotspots.emerging import CATEGORIES
from tests.mmm.cli import test_hotspots as hotspot_cli
from tests.mmm.hotspots.test_analysis import BLOB_1, BLOB_2

store_url = hotspot_cli.store_url  # the synthetic zone of two years, imported from files


def test_emerging_summary_and_column(runner: CliRunner, store_url: str, tmp_path: Path) -> None:
    cells = tmp_path / "cells.gpkg"
    args = ["hotspots", "--emerging", "--step", "month", "--time-window", "1"]
    result = runner.invoke(cli, ["--store", store_url, *args, "--cells-out", str(cells)])
    assert result.exit_code == 0, result.output
    assert "Emerging hot and cold spots over 24 months (2023-01 – 2024-12)" in result.output
    assert "within 200 m and the 1 previous month" in result.output
    assert "FDR per month: on" in result.output and "Mann-Kendall on the z-scores" in result.output

    table = gpd.read_file(cells)
    assert len(table) == 900 * 3
    assert set(table["emerging"]) <= set(CATEGORIES)

    def pattern(code: str, xy: tuple[float, float]) -> str:
        inside = table.contains(Point(xy[0] + 1, xy[1] + 1))  # the blob centre is a corner
        rows = table[(table["phenomenon"] == code) & inside]
        return str(rows["emerging"].iloc[0])

    # planted all along: hot at (nearly) every step; growing: hot only in the later months
    assert pattern("drugs", BLOB_1).endswith("_hot")
    assert pattern("burglary", BLOB_1) in {"persistent_hot", "intensifying_hot", "diminishing_hot"}
    assert pattern("nuisance", BLOB_2) in {"new_hot", "consecutive_hot", "sporadic_hot"}
    assert pattern("nuisance", BLOB_1) == "no_pattern"


def test_emerging_refusals(runner: CliRunner, store_url: str) -> None:
    quarters = runner.invoke(
        cli, ["--store", store_url, "hotspots", "--emerging", "--step", "quarter"]
    )
    assert quarters.exit_code == 1
    assert "at least 10 time steps, got 8" in quarters.output
    alone = runner.invoke(cli, ["--store", store_url, "hotspots", "--time-window", "2"])
    assert alone.exit_code == 2 and "--time-window goes with --emerging" in alone.output
