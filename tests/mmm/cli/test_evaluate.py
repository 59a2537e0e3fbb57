"""``mmm evaluate`` end to end on the demo zone: JSON and table output, and errors as one line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from mmm.cli import cli
from mmm.demo import load_demo
from mmm.evaluate import COUNT_KEYS, evaluate_counts
from mmm.store import open_store

PERIODS = ["--before", "2024-01:2024-06", "--after", "2025-01:2025-06"]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store holding the demo zone (loaded once for this module)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('evaluate') / 'demo.sqlite'}"
    store = open_store(url)
    load_demo(store)
    store.close()
    yield url


def _run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", url, "evaluate", *args])


def test_json_has_every_figure_per_phenomenon(demo_url: str) -> None:
    result = _run(demo_url, "--perimeter", "Stationsbuurt", *PERIODS, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["perimeter"] == "Stationsbuurt" and doc["control"] == "zone"
    assert doc["before"] == {"from": "2024-01-01", "to": "2024-06-30"}
    assert doc["areas_km2"]["DC"] is None and doc["areas_km2"]["C"] > 30
    assert any("D_C term is left out" in note for note in doc["notes"])
    assert len(doc["phenomena"]) == 8
    for code, r in doc["phenomena"].items():
        assert {"wdq", "wdd", "wdd_se", "wdd_z", "wdd_p", "counts", "notes"} <= set(r), code
        assert list(r["counts"]) == list(COUNT_KEYS)
        assert r["counts"]["DCb"] is None and r["counts"]["DCa"] is None
        # the JSON figures are those of the pure function on the same counts
        again = evaluate_counts(r["counts"], phenomenon=code).to_dict()
        assert r["wdd"] == again["wdd"] and r["wdq"] == again["wdq"], code
    drugs = doc["phenomena"]["drugs"]
    assert not drugs["insufficient_data"] and drugs["counts"]["Rb"] > 100
    c = drugs["counts"]
    assert drugs["wdd"] == (c["Ra"] - c["Rb"]) - (c["Ca"] - c["Cb"]) + (c["Da"] - c["Db"])
    assert drugs["wdd_se"] ** 2 == pytest.approx(sum(c[k] for k in COUNT_KEYS[:6]))
    assert drugs["wdd_z"] == pytest.approx(drugs["wdd"] / drugs["wdd_se"])


def test_zone_control_counts_partition_the_zone(demo_url: str) -> None:
    """With the zone as control, R, D and C split every incident in the zone between them."""
    result = _run(demo_url, "--perimeter", "Stadspark", *PERIODS, "--json", "--buffer", "300")
    doc = json.loads(result.stdout)
    store = open_store(demo_url)
    try:
        incidents = store.incidents(start=pd.Timestamp("2024-01-01").date())
    finally:
        store.close()
    occurred = incidents["occurred"]
    before = incidents[(occurred < "2024-07-01")]
    after = incidents[(occurred >= "2025-01-01") & (occurred < "2025-07-01")]
    for code, r in doc["phenomena"].items():
        c = r["counts"]
        assert c["Rb"] + c["Db"] + c["Cb"] == (before["phenomenon"] == code).sum(), code
        assert c["Ra"] + c["Da"] + c["Ca"] == (after["phenomenon"] == code).sum(), code


def test_named_control_and_chosen_phenomena(demo_url: str) -> None:
    result = _run(
        demo_url, "--perimeter", "Stationsbuurt", *PERIODS, "--control", "Stadspark",
        "--phenomenon", "drugs", "--phenomenon", "vehicle_crime", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc["phenomena"]) == ["drugs", "vehicle_crime"]
    assert doc["areas_km2"]["DC"] > 0
    for r in doc["phenomena"].values():
        c = r["counts"]
        assert isinstance(c["DCb"], int) and isinstance(c["DCa"], int)
        expected = sum(c[k + "a"] - c[k + "b"] for k in ("R", "D")) - sum(
            c[k + "a"] - c[k + "b"] for k in ("C", "DC")
        )
        assert r["wdd"] == expected
        assert r["wdd_se"] ** 2 == pytest.approx(sum(c.values()))
    assert not any("D_C term" in note for note in doc["notes"])


def test_table_output(demo_url: str) -> None:
    result = _run(demo_url, "--perimeter", "Stationsbuurt", *PERIODS)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Evaluation of 'Stationsbuurt'" in out and "control C: the rest of the zone" in out
    header = next(line for line in out.splitlines() if "phenomenon" in line and "WDD" in line)
    assert header.split() == ["phenomenon", *COUNT_KEYS, "WDQ", "WDD", "SE", "z", "p"]
    assert "drugs: " in out and "Note: the control is the rest of the zone" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--before", "2024-13:2024-06", "--after", "2025-01:2025-06"], "'2024-13' is not"),
        (["--before", "2024-01", "--after", "2025-01:2025-06"], "is not a period"),
        (["--before", "2025-01:2025-06", "--after", "2024-01:2024-06"], "must end before"),
        ([*PERIODS, "--control", "Marktplein", "--buffer", "2000"], "overlaps the response"),
        ([*PERIODS, "--buffer", "-1"], "positive width"),
        ([*PERIODS, "--phenomenon", "fraud"], "unknown phenomenon 'fraud'"),
    ],
)
def test_errors_are_one_line(demo_url: str, args: list[str], message: str) -> None:
    result = _run(demo_url, "--perimeter", "Stationsbuurt", *args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert result.stdout == ""


def test_unknown_perimeter(demo_url: str) -> None:
    result = _run(demo_url, "--perimeter", "Nergens", *PERIODS)
    assert result.exit_code == 1 and "no perimeter named 'Nergens'" in result.stderr
