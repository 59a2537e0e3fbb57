"""``mmm compstat`` end to end: the windows in words, a table per place with counts and exact
p-values equal to the core's, the CSV, and mistakes in one line."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from mmm.cli.group import cli
from mmm.store import open_store
from mmm.temporal import recent_change
from tests.helpers import ZONE, write_csv

SQUARE = box(171_900, 173_900, 172_100, 174_100)


@pytest.fixture
def store_url(tmp_path: Path, runner: CliRunner) -> str:
    """Burglaries in Markt: 12 in the week to 2024-03-10, 1 the week before, 2 a year earlier."""
    url = f"sqlite:///{tmp_path / 'mmm.sqlite'}"
    zone, square = tmp_path / "zone.gpkg", tmp_path / "square.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs=31370), zone)
    pyogrio.write_dataframe(
        gpd.GeoDataFrame({"name": ["Markt"]}, geometry=[SQUARE], crs=31370), square
    )
    days = [date(2024, 3, 4) + timedelta(days=i % 7) for i in range(12)]
    days += [date(2024, 2, 28), date(2023, 3, 5), date(2023, 3, 9)]
    rows = [(f"B{i}", "burglary", d.isoformat() + " 14:00", 172_000, 174_000)
            for i, d in enumerate(days)]  # fmt: skip
    rows.append(("D1", "drugs", "2024-03-01 10:00", 172_800, 174_800))
    csv = write_csv(
        tmp_path / "incidents.csv",
        pd.DataFrame(rows, columns=["id", "phenomenon", "date", "x", "y"]),
    )
    for args in (
        ["import", "zone", str(zone)],
        ["import", "perimeters", str(square)],
        ["import", "incidents", str(csv), "--crs", "EPSG:31370"],
    ):
        result = runner.invoke(cli, ["--store", url, *args])
        assert result.exit_code == 0, result.output
    return url


def test_tables_in_words_and_the_csv_equal_the_core(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "change.csv"
    result = runner.invoke(cli, ["--store", store_url, "compstat", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Recent change to 2024-03-10 (the last day with a dated incident)" in text
    assert "last 7 days: 2024-03-04 – 2024-03-10; before: 2024-02-26 – 2024-03-03" in text
    assert "a year earlier: 2023-03-04 – 2023-03-10" in text
    assert "The zone" in text and "\nMarkt\n" in text
    store = open_store(store_url)
    try:
        shapes = store.perimeters()
        core = recent_change(
            store.incidents(), [("", None), ("Markt", shapes.geometry.iloc[0])],
            ["burglary", "drugs"],
        )  # fmt: skip
    finally:
        store.close()
    written = pd.read_csv(out, keep_default_na=False)
    assert len(written) == len(core.table) == 2 * 3 * 3 * 2
    pd.testing.assert_series_equal(written["p"], core.table["p"], check_names=False)
    row = core.table[
        (core.table["area"] == "Markt")
        & (core.table["phenomenon"] == "burglary")
        & (core.table["window"] == "7d")
        & (core.table["comparison"] == "previous")
    ]
    p = float(row["p"].iloc[0])
    assert f"1 (+11, p {p:.3f})*" in text  # 12 now, 1 the week before: significant
    earlier = runner.invoke(cli, ["--store", store_url, "compstat", "--on", "2024-03-03",
                                  "--perimeter", "Markt", "--phenomenon", "burglary"])  # fmt: skip
    assert earlier.exit_code == 0, earlier.output
    assert "Recent change to 2024-03-03:" in earlier.output and "drugs" not in earlier.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--perimeter", "Ghost"], "no perimeter named 'Ghost'; known: Markt"),
        (["--phenomenon", "ghost"], "unknown phenomenon code ghost"),
        (["--alpha", "2"], "alpha must lie between 0 and 1"),
        (["--out", "x.json"], "write a .csv file"),
    ],
)
def test_mistakes_are_one_line(
    runner: CliRunner, store_url: str, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["--store", store_url, "compstat", *args])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output
