"""``mmm import denominators`` and ``mmm rates`` end to end: a sector layer areal-weighted onto
perimeters and cells, a value per perimeter, rejected rows with reasons, the rates equal to the
core's; mistakes in one line."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from mmm.cli.group import cli
from mmm.rates import areal_weighting, empirical_bayes
from mmm.store import open_store
from tests.helpers import ZONE, write_csv

#: Two perimeters in the 2 km × 2 km zone; four sectors of 1 km × 1 km cover it.
MARKT = box(171_900, 173_900, 172_100, 174_100)
STATION = box(172_400, 174_400, 172_800, 174_800)
SECTORS = [box(x, y, x + 1000, y + 1000) for x in (171_000, 172_000) for y in (173_000, 174_000)]


@pytest.fixture
def store_url(tmp_path: Path, runner: CliRunner) -> str:
    url = f"sqlite:///{tmp_path / 'mmm.sqlite'}"
    zone, shapes = tmp_path / "zone.gpkg", tmp_path / "perimeters.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs=31370), zone)
    pyogrio.write_dataframe(
        gpd.GeoDataFrame({"name": ["Markt", "Station"]}, geometry=[MARKT, STATION], crs=31370),
        shapes,
    )
    rng = np.random.default_rng(5)
    rows = [(f"I{i}", "burglary" if i % 3 else "drugs", "2024-05-01", *xy)
            for i, xy in enumerate(rng.uniform(171_000, 173_000, size=(300, 2)) + [0, 2000])]  # fmt: skip
    rows += [(f"M{i}", "burglary", "2024-06-01", 172_000, 174_000) for i in range(12)]
    csv = write_csv(
        tmp_path / "incidents.csv",
        pd.DataFrame(rows, columns=["id", "phenomenon", "date", "x", "y"]),
    )
    for args in (
        ["import", "zone", str(zone)],
        ["import", "perimeters", str(shapes)],
        ["import", "incidents", str(csv), "--crs", "EPSG:31370"],
    ):
        result = runner.invoke(cli, ["--store", url, *args])
        assert result.exit_code == 0, result.output
    return url


def _sectors(tmp_path: Path, values: list[object]) -> Path:
    path = tmp_path / "sectors.gpkg"
    frame = gpd.GeoDataFrame(
        {"cd_sector": ["A", "B", "C", "D"], "inwoners": values}, geometry=SECTORS, crs=31370
    )
    pyogrio.write_dataframe(frame, path)
    return path


def test_a_sector_layer_gives_areal_weighted_rates(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    sectors = _sectors(tmp_path, [4000, 2500, 1000, 3000])
    result = runner.invoke(cli, ["--store", store_url, "import", "denominators", str(sectors),
                                 "--value", "inwoners"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Imported denominators (residents)" in result.output
        and "imported           4" in result.output
    )
    out = tmp_path / "rates.csv"
    rates = runner.invoke(cli, ["--store", store_url, "rates", "--phenomenon", "burglary",
                                "--out", str(out)])  # fmt: skip
    assert rates.exit_code == 0, rates.output
    assert "Rates per 1,000 residents" in rates.output and "Markt" in rates.output
    table = pd.read_csv(out).set_index("perimeter")
    base = areal_weighting(np.array(SECTORS, dtype=object), np.array([4000, 2500, 1000, 3000.0]),
                           np.array([MARKT, STATION], dtype=object))  # fmt: skip
    np.testing.assert_allclose(table.loc[["Markt", "Station"], "denominator"], base)
    store = open_store(store_url)
    try:
        shapes = store.perimeters()
        counts = [int((_inside(store.incidents(), g, "burglary")).sum()) for g in shapes.geometry]
    finally:
        store.close()
    assert table["count"].tolist() == counts and counts[0] >= 12
    eb = empirical_bayes(np.array(counts, float), base, [np.array([1]), np.array([0])])
    np.testing.assert_allclose(table["rate"], eb.raw)
    np.testing.assert_allclose(table["eb_global"], eb.global_eb)
    np.testing.assert_allclose(table["eb_local"], eb.local_eb)

    cells = tmp_path / "cells.gpkg"
    grid = runner.invoke(cli, ["--store", store_url, "rates", "--cell", "500", "--out", str(cells)])
    assert grid.exit_code == 0, grid.output
    frame = gpd.read_file(cells)
    assert len(frame) == 16 * 2 and frame.crs.to_epsg() == 31370
    one = frame[frame["phenomenon"] == "drugs"]
    assert one["denominator"].sum() == pytest.approx(10_500)  # the sectors' total, spread


def _inside(incidents: pd.DataFrame, geometry, code: str) -> np.ndarray:
    import shapely

    mine = incidents[incidents["phenomenon"] == code]
    return shapely.intersects_xy(geometry, mine["x"].to_numpy(), mine["y"].to_numpy())


def test_values_per_perimeter_and_rejected_rows(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    table = write_csv(tmp_path / "woningen.csv", pd.DataFrame(
        {"perimeter": ["Markt", "Station", "Ghost", "Markt", "Station"],
         "woningen": ["800", "1.200,5", "10", "-3", "x"]}
    ))  # fmt: skip
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(cli, ["--store", store_url, "import", "denominators", str(table),
                                 "--value", "woningen", "--kind", "dwellings",
                                 "--rejects", str(rejects)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no stored perimeter of that name" in result.output
    assert "value missing, not a number, or below 0" in result.output
    bad = pd.read_csv(rejects)
    assert sorted(bad["row"]) == [2, 3, 4, 5]  # bad values and an unknown perimeter
    store = open_store(store_url)
    try:
        stored = store.denominators("dwellings")
        assert stored["source_id"].tolist() == ["Markt"] and stored["value"].tolist() == [800.0]
        assert store.denominator_kinds() == ["dwellings"]
        assert "denominators" in set(store.audit_events()["entity"])
    finally:
        store.close()
    rates = runner.invoke(cli, ["--store", store_url, "rates", "--kind", "dwellings"])
    assert rates.exit_code == 0 and "per 1,000 dwellings" in rates.output
    cells = runner.invoke(
        cli, ["--store", store_url, "rates", "--kind", "dwellings", "--cell", "500"]
    )
    assert cells.exit_code == 1 and "need a polygon layer" in cells.output


def test_a_new_import_replaces_its_kind_and_a_dry_run_stores_nothing(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    args = ["--store", store_url, "import", "denominators", "--value", "inwoners"]
    first = runner.invoke(
        cli, [*args[:3], "denominators", str(_sectors(tmp_path, [1, 2, 3, 4])), *args[4:]]
    )
    assert first.exit_code == 0, first.output
    again = _sectors(tmp_path, [10, 20, 30, 40])
    dry = runner.invoke(cli, [*args[:3], "denominators", str(again), *args[4:], "--dry-run"])
    assert "would replace the 4 residents rows stored before" in dry.output
    store = open_store(store_url)
    try:
        assert store.denominators("residents")["value"].sum() == 10
    finally:
        store.close()
    runner.invoke(cli, [*args[:3], "denominators", str(again), *args[4:]])
    store = open_store(store_url)
    try:
        assert store.denominators("residents")["value"].sum() == 100
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rates", "--kind", "households"], "no households denominators stored"),
        (["rates", "--phenomenon", "ghost"], "unknown phenomenon code ghost"),
        (["rates", "--out", "x.txt"], "use .csv, .gpkg or .geojson"),
    ],
)
def test_mistakes_are_one_line(
    runner: CliRunner, store_url: str, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["--store", store_url, *args])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_import_mistakes_are_one_line(runner: CliRunner, store_url: str, tmp_path: Path) -> None:
    sectors = _sectors(tmp_path, [1, 2, 3, 4])
    base = ["--store", store_url, "import", "denominators", str(sectors)]
    missing = runner.invoke(cli, [*base, "--value", "population"])
    assert missing.exit_code == 1 and "no column 'population' for the value" in missing.output
    kind = runner.invoke(cli, [*base, "--value", "inwoners", "--kind", "Inwoners!"])
    assert kind.exit_code == 1 and "a lowercase word" in kind.output
    bad = runner.invoke(
        cli, [*base[:-1], str(_sectors(tmp_path, ["x", "y", "-1", None])), "--value", "inwoners"]
    )
    assert bad.exit_code == 1 and "the stored residents denominators were kept" in bad.output
