"""Every CSV out is safe to open in a spreadsheet: formula-like text gets a leading ``'``, numbers
stay numbers. Each file is read back with pandas, as a partner's spreadsheet would read it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from mmm.cli.group import cli
from mmm.io.imports import IncidentColumns, import_incidents, import_perimeters, write_rejects
from mmm.io.writers import WRITERS, csv_bytes, spreadsheet_safe
from mmm.present.export import export
from mmm.store import Store, open_store
from tests.helpers import write_csv

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+32 2 123",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\tx",
]


def test_text_cells_and_headers_are_neutralised_numbers_are_not(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "name": [*HOSTILE, "Markt"],
            "gi_z": [-2.5, -0.1, 0.0, 1.5, 3.25, -7.0],
            "count": [-3, 4, 5, 6, 7, 8],
            "mixed": ["<5", 12, "-3", "=1", -4, "1e-3"],
            "=evil()": ["a"] * 6,
        }
    )
    path = WRITERS["csv"](frame, tmp_path / "t.csv", "t")
    back = pd.read_csv(path, keep_default_na=False)
    assert back["name"].tolist() == [f"'{v}" for v in HOSTILE] + ["Markt"]
    assert back["gi_z"].dtype == float and back["gi_z"].tolist()[0] == -2.5
    assert back["count"].dtype == "int64" and back["count"].min() == -3
    assert back["mixed"].tolist() == ["<5", "12", "-3", "'=1", "-4", "1e-3"]
    assert list(back.columns)[-1] == "'=evil()"
    assert (spreadsheet_safe(frame)["gi_z"] == frame["gi_z"]).all()  # numbers untouched
    assert csv_bytes(frame).decode().splitlines()[1].startswith("\"'=HYPERLINK")
    assert spreadsheet_safe(pd.DataFrame({"a": ["\rx", "x"]}))["a"].tolist() == ["'\rx", "x"]


@pytest.fixture
def store(tmp_path: Path, incidents_frame: pd.DataFrame) -> Iterator[Store]:
    """A store with a perimeter whose name is a formula, and incidents in it."""
    s = open_store(f"sqlite:///{tmp_path / 'csv.sqlite'}")
    per = gpd.GeoDataFrame(
        {"name": ['=HYPERLINK("http://evil")', "-Markt"]},
        geometry=[box(171_900, 173_900, 172_150, 174_150), box(171_400, 173_400, 171_600, 173_600)],
        crs="EPSG:31370",
    )
    pyogrio.write_dataframe(per, tmp_path / "per.gpkg")
    import_perimeters(s, tmp_path / "per.gpkg")
    cols = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
    import_incidents(s, write_csv(tmp_path / "inc.csv", incidents_frame), crs="31370", columns=cols)
    yield s
    s.close()


def test_the_counts_export_and_the_aggregate_command_neutralise_names(store, tmp_path) -> None:
    export(store, "counts", tmp_path / "counts.csv", actor="test", purpose="analysis")
    runner = CliRunner()
    out = tmp_path / "aggregate.csv"
    url = str(store.engine.url)
    done = runner.invoke(cli, ["--store", url, "aggregate", "--period", "all", "--out", str(out)])
    assert done.exit_code == 0, done.output
    for path in (tmp_path / "counts.csv", out):
        table = pd.read_csv(path)
        assert set(table["perimeter"]) <= {'\'=HYPERLINK("http://evil")', "'-Markt"}
        assert '\'=HYPERLINK("http://evil")' in set(table["perimeter"])
        assert table["count"].dtype == "int64"
    listed = runner.invoke(cli, ["--store", url, "aggregate", "--period", "all"]).stdout
    assert "\n\"'=HYPERLINK" in listed and "\n'-Markt" in listed


def test_rejected_rows_are_written_safely(store, tmp_path, incidents_frame) -> None:
    bad = incidents_frame.assign(id=["=1+1", "@x", "-y", "+z", "PV-9"], x="=cmd()")
    path = write_csv(tmp_path / "bad.csv", bad)
    cols = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
    report = import_incidents(store, path, crs="31370", columns=cols)
    written = write_rejects(report, tmp_path / "bad.rejects.csv")
    assert written is not None
    back = pd.read_csv(written)
    assert back["id"].tolist() == ["'=1+1", "'@x", "'-y", "'+z", "PV-9"]
    assert set(back["x"]) == {"'=cmd()"} and back["row"].dtype == "int64"
