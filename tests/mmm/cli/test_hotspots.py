"""``mmm hotspots`` end to end: files in, summary and files out, candidates adopted by
``mmm import perimeters``; errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from mmm.cli.group import cli
from mmm.cli.hotspots import zone_weights
from mmm.demo import load_demo
from mmm.store import open_store
from tests.mmm.hotspots.test_analysis import ZONE, synthetic_incidents


@pytest.fixture
def store_url(tmp_path: Path, runner: CliRunner) -> str:
    """A store holding the synthetic zone with its two planted blobs, imported from files."""
    url = f"sqlite:///{tmp_path / 'mmm.sqlite'}"
    zone = tmp_path / "zone.gpkg"  # in EPSG:31370, so the outline stays on the cell edges
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs=31370), zone)
    frame = synthetic_incidents()
    frame.insert(0, "id", [f"PV-{i}" for i in range(len(frame))])
    frame["occurred"] = frame["occurred"].dt.strftime("%Y-%m-%d")
    csv = tmp_path / "incidents.csv"
    frame.rename(columns={"occurred": "date"}).to_csv(csv, index=False)
    for args in (
        ["import", "zone", str(zone)],
        ["import", "incidents", str(csv), "--crs", "EPSG:31370"],
    ):
        result = runner.invoke(cli, ["--store", url, *args])
        assert result.exit_code == 0, result.output
    return url


def _run(runner: CliRunner, url: str, *args: str):
    return runner.invoke(cli, ["--store", url, "hotspots", *args])


def test_summary_files_and_adoption_of_the_candidates(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    cells = tmp_path / "out" / "cells.gpkg"
    candidates = tmp_path / "out" / "candidates.geojson"
    result = _run(
        runner, store_url, "--cells-out", str(cells), "--out", str(candidates), "--colocation",
        "--permutations", "19", "--split", "2024-01-01", "--weights", "drugs=2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert "900 cells of 100 m" in out and "FDR correction on" in out
    assert "hot = 95 % confidence" in out and "only the bins are FDR-corrected" in out
    assert "Multi-phenomenon hotspots (hot for 2 or more phenomena):" in out
    assert "Candidate perimeters: 2" in out and "Kandidaat 2" in out
    assert "Co-location quotients A → B" in out and "Hit rate and PAI" in out

    table = gpd.read_file(cells)
    assert table.crs.to_epsg() == 31370 and len(table) == 900 * 3
    assert {"phenomenon", "count", "gi_z", "gi_p", "gi_bin"} <= set(table.columns)
    assert table["count"].sum() == 1800  # every incident, once per phenomenon row
    cands = json.loads(candidates.read_text())
    assert "crs" not in cands  # RFC 7946: EPSG:4326 implied
    lon, lat = cands["features"][0]["geometry"]["coordinates"][0][0]
    assert 2 < lon < 7 and 49 < lat < 52
    assert sorted(f["properties"]["phenomena"] for f in cands["features"]) == [
        "burglary, drugs",
        "drugs, nuisance",
    ]

    adopted = runner.invoke(cli, ["--store", store_url, "import", "perimeters", str(candidates)])
    assert adopted.exit_code == 0, adopted.output
    assert "imported           2" in adopted.output
    store = open_store(store_url)
    try:
        perimeters = store.perimeters()
        assert sorted(perimeters["name"]) == ["Kandidaat 1", "Kandidaat 2"]
        assert perimeters["description"].str.startswith("Meervoudige hotspot").all()
        audit = store.audit_events()
        assert {"hotspot_cells", "hotspot_candidates"} <= set(audit["entity"])
    finally:
        store.close()


def test_csv_with_wkt_and_options(runner: CliRunner, store_url: str, tmp_path: Path) -> None:
    cells = tmp_path / "cells.csv"
    result = _run(
        runner, store_url, "--cell", "200", "--distance", "400", "--from", "2024-01-01",
        "--to", "2024-12-31", "--phenomenon", "drugs", "--phenomenon", "nuisance",
        "--min-hot", "1", "--no-fdr", "--confidence", "90", "--kde-bandwidth", "500",
        "--cells-out", str(cells),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cells of 200 m" in result.output and "within 400 m" in result.output
    assert "FDR correction off" in result.output and "2024-01-01 – 2024-12-31" in result.output
    table = pd.read_csv(cells)
    assert set(table["phenomenon"]) == {"drugs", "nuisance"}
    assert table["wkt"].str.startswith("POLYGON").all()
    assert set(table["gi_bin"]) <= {-3, -2, -1, 0, 1, 2, 3}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--phenomenon", "ghost"], "unknown phenomenon code ghost"),
        (["--weights", "drugs"], "CODE=WEIGHT"),
        (["--weights", "ghost=2"], "weights given for unknown phenomena: ghost"),
        (["--out", "x.shp"], "use one of"),
        (["--cell", "0"], "cell size must be positive"),
        (["--split", "2030-01-01", "--to", "2024-12-31"], "must not come after the end"),
    ],
)
def test_errors_are_one_line(
    runner: CliRunner, store_url: str, args: list[str], message: str
) -> None:
    result = _run(runner, store_url, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_empty_store_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    result = _run(runner, f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert result.exit_code == 1
    assert "import them first" in result.output


def test_the_demo_store_default_run_finds_multi_phenomenon_hotspots(
    runner: CliRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    store = open_store(url)
    try:
        load_demo(store)
    finally:
        store.close()
    result = _run(runner, url)
    assert result.exit_code == 0, result.output
    line = next(s for s in result.output.splitlines() if s.startswith("Multi-phenomenon hotspots"))
    assert int(line.rsplit(":", 1)[1].split()[0].replace(",", "")) >= 1
    assert "Kandidaat 1" in result.output
    assert "warning" not in result.output


def _weight_column(output: str) -> dict[str, float]:
    """The ``weight`` column of the summary's per-phenomenon table."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["phenomenon"])
    names = lines[header].split()
    rows = [line.split() for line in lines[header + 1 : header + 4]]
    return {row[0]: float(row[names.index("weight")]) for row in rows}


def test_stored_zone_weights_are_the_default_and_the_command_line_overrides_them(
    runner: CliRunner, store_url: str
) -> None:
    shown = runner.invoke(cli, ["--store", store_url, "weights"])
    assert shown.exit_code == 0, shown.output
    assert [line.split() for line in shown.output.splitlines()] == [
        ["burglary", "1"],
        ["drugs", "1"],
        ["nuisance", "1"],
    ]
    saved = runner.invoke(cli, ["--store", store_url, "weights", "drugs=3", "nuisance=0.5"])
    assert saved.exit_code == 0, saved.output
    assert "drugs                          3" in saved.output

    assert _weight_column(_run(runner, store_url).output) == {
        "burglary": 1.0,
        "drugs": 3.0,
        "nuisance": 0.5,
    }
    overridden = _run(runner, store_url, "--weights", "drugs=1")
    assert _weight_column(overridden.output) == {"burglary": 1.0, "drugs": 1.0, "nuisance": 0.5}
    # a run on some phenomena keeps only their stored weights (no refusal for the others)
    only = _run(runner, store_url, "--phenomenon", "burglary", "--phenomenon", "drugs")
    assert only.exit_code == 0, only.output

    store = open_store(store_url)
    try:
        event = store.audit_events().query("action == 'set_weights'").iloc[-1]
        assert json.loads(event["detail"]) == {"weights": {"drugs": 3.0, "nuisance": 0.5}}
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["ghost=2"], "unknown phenomenon code ghost"), (["drugs=101"], "from 0 to 100: drugs")],
)
def test_bad_weights_are_refused_and_nothing_changes(
    runner: CliRunner, store_url: str, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["--store", store_url, "weights", "burglary=2", *args])
    assert result.exit_code == 1
    assert message in result.output
    store = open_store(store_url)
    try:
        assert set(store.phenomenon_weights().values()) == {1.0}
    finally:
        store.close()


def test_zone_weights_merge() -> None:
    stored = {"drugs": 2.0, "nuisance": 1.0, "burglary": 4.0}
    assert zone_weights(stored, ()) == (("burglary", 4.0), ("drugs", 2.0))
    assert zone_weights(stored, (("drugs", 1.0),)) == (("burglary", 4.0), ("drugs", 1.0))
    assert zone_weights(stored, (), ("drugs", "nuisance")) == (("drugs", 2.0),)


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_candidates_hold_what_their_adopted_perimeters_count(
    runner: CliRunner, store_url: str, tmp_path: Path, fmt: str
) -> None:
    """The counts a candidate shows are those of the perimeter adopted from it (file round
    trip through ``mmm import perimeters``, then the count every page uses); the web's adopt
    button goes through the same geometry checks (tests/webmap/editor)."""
    from mmm.counting.count import count_incidents

    out = tmp_path / f"candidates.{fmt}"
    result = _run(runner, store_url, "--from", "2023-01-01", "--to", "2024-06-30",
                  "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "each holds at least 10 incidents of its phenomena inside its own polygon" in (
        result.output
    )
    written = pd.DataFrame(gpd.read_file(out)) if fmt == "gpkg" else pd.read_csv(out)
    crs = ["--crs", "EPSG:31370"] if fmt == "csv" else []
    adopted = runner.invoke(cli, ["--store", store_url, "import", "perimeters", str(out), *crs])
    assert adopted.exit_code == 0, adopted.output
    store = open_store(store_url)
    try:
        counted = count_incidents(
            store.incidents(),
            store.perimeters(),
            period="all",
            start=pd.Timestamp("2023-01-01").date(),
            end=pd.Timestamp("2024-06-30").date(),
        )
    finally:
        store.close()
    assert len(written) == 2
    for row in written.itertuples():
        mine = counted[counted["perimeter"] == row.name].set_index("phenomenon")["count"]
        for code in ("burglary", "drugs", "nuisance"):
            assert int(mine.get(code, 0)) == getattr(row, f"count_{code}"), (row.name, code)
        assert row.incidents >= 10


def test_min_incidents_sets_candidates_aside_and_says_why(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "candidates.geojson"
    result = _run(runner, store_url, "--min-incidents", "100000", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Candidate perimeters: 0 (each holds at least 100000 incidents" in result.output
    assert "Set aside: 2 outlines of hot cells" in result.output
    assert "inside its outline: fewer than 100000" in result.output
    assert json.loads(out.read_text())["features"] == []
    bad = _run(runner, store_url, "--min-incidents", "-1")
    assert bad.exit_code == 2 and "-1" in bad.output


def test_cells_hot_through_their_neighbours_are_marked(
    runner: CliRunner, store_url: str, tmp_path: Path
) -> None:
    cells = tmp_path / "cells.csv"
    result = _run(runner, store_url, "--cells-out", str(cells))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(cells)
    borrowed = table[table["through_neighbours"]]
    assert len(borrowed) >= 1  # the planted blobs' rims: hot cells without an incident
    assert (borrowed["count"] == 0).all() and borrowed["hot"].all()
    expected = table["hot"] & (table["count"] == 0)
    assert (table["through_neighbours"] == expected).all()
    assert f"{len(borrowed)} hot cell × phenomenon pairs hold no incident" in result.output
    assert "hot through their neighbours only (column through_neighbours)" in result.output
