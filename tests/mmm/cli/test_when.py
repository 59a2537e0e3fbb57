"""``mmm when`` end to end: files in, a weekday × hour table per place and phenomenon out, no
time of day counted as such, undated ones reported; the CSV equals the core; errors one line."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from mmm.cli.group import cli
from mmm.store import open_store
from mmm.temporal import long_table, when_tables
from tests.helpers import ZONE, write_csv

SQUARE = box(171_900, 173_900, 172_100, 174_100)


@pytest.fixture
def store_url(tmp_path: Path, runner: CliRunner) -> str:
    url = f"sqlite:///{tmp_path / 'mmm.sqlite'}"
    zone, square = tmp_path / "zone.gpkg", tmp_path / "square.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs=31370), zone)
    pyogrio.write_dataframe(
        gpd.GeoDataFrame({"name": ["Markt"]}, geometry=[SQUARE], crs=31370), square
    )
    rows = [  # Monday 4 March 2024 onwards
        ("A1", "burglary", "2024-03-04 10:20", 172_000, 174_000),
        ("A2", "burglary", "2024-03-04 10:50", 172_010, 174_010),
        ("A3", "burglary", "2024-03-05", 172_020, 174_020),  # Tuesday, no time of day
        ("A4", "burglary", "", 172_030, 174_030),  # undated
        ("A5", "burglary", "2024-03-09 23:15", 172_800, 174_800),  # outside Markt
        ("A6", "drugs", "2024-03-10 03:00", 172_000, 174_000),
    ]
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


def _run(runner: CliRunner, url: str, *args: str):
    return runner.invoke(cli, ["--store", url, "when", *args])


def test_a_perimeter_table_in_words_and_numbers(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "when.csv"
    result = _run(runner, store_url, "--perimeter", "Markt", "--phenomenon", "burglary",
                  "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = result.output
    assert "never at midnight" in text
    assert (
        "burglary in Markt, … – …: 3 dated incidents — 2 at a known moment, 0 spread over their "
        "window, 1 without a time of day; 1 undated (in no period, no hour)"
    ) in text
    lines = text.splitlines()
    monday = next(line for line in lines if line.startswith("Mon "))
    tuesday = next(line for line in lines if line.startswith("Tue "))
    assert monday.split()[1 + 10] == "2.0" and monday.split()[-1] == "0"  # 10h, no time
    assert tuesday.split()[1] == "0.0" and tuesday.split()[-1] == "1"  # not at midnight
    written = pd.read_csv(out)
    store = open_store(store_url)
    try:
        core = when_tables(store.incidents(), [("Markt", SQUARE)], ["burglary"])
    finally:
        store.close()
    expected = long_table(core)
    assert written["incidents"].tolist() == expected["incidents"].tolist()
    assert written[written["hour"] == "undated"]["incidents"].item() == 1


def test_the_zone_every_phenomenon_and_a_period(runner: CliRunner, store_url: str) -> None:
    result = _run(runner, store_url, "--from", "2024-03-06", "--to", "2024-03-31")
    assert result.exit_code == 0, result.output
    assert "burglary in the zone, 2024-03-06 – 2024-03-31: 1 dated incident —" in result.output
    assert "drugs in the zone, 2024-03-06 – 2024-03-31: 1 dated incident —" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--perimeter", "Ghost"], "no perimeter named 'Ghost'; known: Markt"),
        (["--phenomenon", "ghost"], "unknown phenomenon code ghost; known: burglary, drugs"),
        (["--from", "2024-03-10", "--to", "2024-03-01"], "the period would be empty"),
        (["--out", "x.txt"], "write a .csv file"),
    ],
)
def test_mistakes_are_one_line(
    runner: CliRunner, store_url: str, args: list[str], message: str
) -> None:
    result = _run(runner, store_url, *args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_windows_imported_with_date_to_are_spread(runner: CliRunner, tmp_path: Path) -> None:
    """``mmm import incidents --date-to`` then ``mmm when``: a burglary between Friday 18:00 and
    Monday (no time) spreads over the weekend; one of a single known moment does not."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    frame = pd.DataFrame(
        {
            "id": ["W1", "W2", "W3"],
            "phenomenon": ["burglary"] * 3,
            "date": ["2024-03-08 18:00", "2024-03-05 09:30", "2024-03-06"],
            "tot": ["2024-03-11", "", "2024-03-06"],
            "x": [172_000] * 3,
            "y": [174_000] * 3,
        }
    )
    csv = write_csv(tmp_path / "w.csv", frame)
    imported = runner.invoke(cli, ["--store", url, "import", "incidents", str(csv), "--crs",
                                   "EPSG:31370", "--date-to", "tot"])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "when.csv"
    result = runner.invoke(cli, ["--store", url, "when", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "1 at a known moment, 2 spread over their window, 0 without a time of day" in result.output
    )
    table = pd.read_csv(out)
    cell = table.set_index(["weekday", "hour"])["incidents"]
    hours = 6 + 24 * 3  # Friday 18:00 to the end of Monday
    assert cell[("fri", "18")] == pytest.approx(1 / hours, abs=1e-4)
    assert cell[("mon", "23")] == pytest.approx(1 / hours, abs=1e-4)
    assert cell[("tue", "9")] == 1  # the known moment
    assert cell[("wed", "0")] == pytest.approx(1 / 24, abs=1e-4)  # a whole day, not midnight
    assert table["incidents"].sum() == pytest.approx(3, abs=1e-3)
