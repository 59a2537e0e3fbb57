"""``mmm import streets`` and ``mmm segments`` end to end: the CSV contract and the table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, box

from mmm.cli.group import cli
from tests.helpers import write_csv


@pytest.fixture
def url(tmp_path, runner, incidents_frame):
    """A store with the five incidents, one perimeter and two streets (by the commands)."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    per = tmp_path / "per.gpkg"
    frame = gpd.GeoDataFrame(
        {"naam": ["Station"]}, geometry=[box(171_900, 173_900, 172_150, 174_150)], crs=31370
    )
    pyogrio.write_dataframe(frame, per)
    streets = tmp_path / "wegen.gpkg"
    lines = [
        LineString([(171_900, 174_000), (172_200, 174_000)]),  # PV-1, 2 and 5 lie by it
        LineString([(172_100, 173_950), (172_100, 174_100)]),  # PV-3, 0.25 m away
    ]  # PV-4 (171 500, 173 500) is far from both
    roads = gpd.GeoDataFrame({"WS_OIDN": [11, 12], "LSTRNM": ["Stationsstraat", "Kerkstraat"]},
                             geometry=lines, crs=31370)  # fmt: skip
    pyogrio.write_dataframe(roads.to_crs(4326), streets)
    inc = write_csv(tmp_path / "inc.csv", incidents_frame)
    for args in (
        ["import", "perimeters", str(per)],
        ["import", "incidents", str(inc), "--crs", "EPSG:31370"],
    ):
        assert runner.invoke(cli, ["--store", url, *args]).exit_code == 0
    result = runner.invoke(cli, ["--store", url, "import", "streets", str(streets)])
    assert result.exit_code == 0, result.output
    assert "Imported streets from wegen.gpkg (CRS EPSG:4326)" in result.stdout
    assert "imported           2" in result.stdout
    return url


def test_segments_csv_and_concentration_table(runner, url, tmp_path):
    out = tmp_path / "segments.csv"
    args = ["--store", url, "segments", "--from", "2024-01-01", "--to", "2024-12-31"]
    result = runner.invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"segment_id": str}, keep_default_na=False)
    assert list(table.columns) == ["segment_id", "name", "phenomenon", "count"]
    assert table.values.tolist() == [
        ["", "not on a street", "burglary_dwelling", 1],
        ["11", "Stationsstraat", "drugs", 2],  # PV-5 is undated: left out of a period
        ["12", "Kerkstraat", "vandalism", 1],
    ]
    text = result.stdout
    assert "Concentration on street segments (snap 25 m)" in text
    assert "zone     drugs" in text and "Station  vandalism" in text
    zone_drugs = next(line for line in text.splitlines() if line.startswith("zone     drugs"))
    assert zone_drugs.split() == ["zone", "drugs", "2", "0", "2", "50.0", "%", "50.0", "%", "0.50"]


def test_segments_to_stdout_with_a_phenomenon_and_a_snap(runner, url):
    result = runner.invoke(
        cli, ["--store", url, "segments", "--phenomenon", "drugs", "--snap", "5"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "segment_id,name,phenomenon,count",
        "11,Stationsstraat,drugs,1",  # PV-1, on the street; PV-2 and PV-5 are 20 and 10 m off
        ",not on a street,drugs,2",
    ]
    assert "snap 5 m" in result.stderr  # the table goes to stderr when the CSV is on stdout


def test_segments_errors_are_one_line(runner, url, tmp_path):
    result = runner.invoke(cli, ["--store", url, "segments", "--phenomenon", "nonsense"])
    assert result.exit_code == 1
    assert "unknown phenomenon 'nonsense'; known: burglary_dwelling, drugs, vandalism" in (
        result.stderr
    )
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = runner.invoke(cli, ["--store", empty, "segments"])
    assert result.exit_code == 1 and "import them first with mmm import streets" in result.stderr
    assert runner.invoke(cli, ["--store", url, "segments", "--snap", "0"]).exit_code == 2
