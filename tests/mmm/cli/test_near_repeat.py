"""``mmm near-repeat`` end to end: the JSON contract (rows = distance bands, columns = time bands)
equals the core on the same incidents, a seed reproduces the p-values, the tables are labelled,
and mistakes are one line."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from mmm.cli.group import cli
from mmm.hotspots.near_repeat import knox_table
from tests.mmm.cli import test_hotspots as hotspot_cli
from tests.mmm.hotspots.test_analysis import synthetic_incidents

store_url = hotspot_cli.store_url  # the synthetic zone of two years, imported from files


def _run(runner: CliRunner, url: str, *args: str):
    return runner.invoke(cli, ["--store", url, "near-repeat", "--phenomenon", "drugs", *args])


def test_json_contract_equals_the_core(runner: CliRunner, store_url: str) -> None:
    args = ("--distance-bands", "0,100,200,400", "--time-bands", "0,7,14,28", "--json")
    result = _run(runner, store_url, *args, "--permutations", "99", "--seed", "5")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["distance_bands"] == [0, 100, 200, 400] and doc["time_bands"] == [0, 7, 14, 28]
    for key in ("observed", "expected", "p"):
        assert len(doc[key]) == 4 and all(len(row) == 4 for row in doc[key])
    assert doc["distance_labels"][0] == "same spot (0 m)" and doc["time_labels"][1] == "1–7 days"
    assert doc["permutations"] == 99 and doc["seed"] == 5 and doc["phenomenon"] == "drugs"

    frame = synthetic_incidents()
    drugs = frame[frame["phenomenon"] == "drugs"]
    days = drugs["occurred"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    core = knox_table(
        drugs["x"].to_numpy(), drugs["y"].to_numpy(), days, [0, 100, 200, 400], [0, 7, 14, 28],
        permutations=99, seed=5,
    )  # fmt: skip
    assert doc["events"] == len(drugs) and doc["observed"] == core.observed.tolist()
    np.testing.assert_allclose(doc["expected"], core.expected, atol=1e-4)
    np.testing.assert_allclose(doc["p"], core.p)

    again = _run(runner, store_url, *args, "--permutations", "99", "--seed", "5")
    assert again.output == result.output  # the seed reproduces every p-value


def test_text_tables_and_period(runner: CliRunner, store_url: str) -> None:
    result = _run(runner, store_url, "--from", "2024-01-01", "--to", "2024-12-31",
                  "--permutations", "19", "--seed", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Near repeats of drugs:" in out and "Observed pairs" in out
    assert "Expected pairs without space-time interaction" in out
    assert "Knox ratio observed / expected and p-value (19 shuffles of the dates, seed 1)" in out
    assert "distance \\ time apart" in out and "> 400–500 m" in out and "50–56 days" in out
    whole = json.loads(_run(runner, store_url, "--permutations", "1", "--json").output)
    year = json.loads(
        _run(runner, store_url, "--from", "2024-01-01", "--to", "2024-12-31", "--json",
             "--permutations", "1").output
    )  # fmt: skip
    assert 0 < year["events"] < whole["events"] and year["from"] == "2024-01-01"


def test_mistakes_are_one_line(runner: CliRunner, store_url: str) -> None:
    unknown = runner.invoke(cli, ["--store", store_url, "near-repeat", "--phenomenon", "arson"])
    assert unknown.exit_code == 1 and "unknown phenomenon code arson" in unknown.output
    backwards = _run(runner, store_url, "--distance-bands", "200,100")
    assert backwards.exit_code == 1 and "increasing" in backwards.output
    fraction = _run(runner, store_url, "--time-bands", "3.5,7")
    assert fraction.exit_code == 2 and "whole days" in fraction.output
    words = _run(runner, store_url, "--distance-bands", "near,far")
    assert words.exit_code == 2 and "separated by commas" in words.output


def test_the_reach_in_words_and_json(runner: CliRunner, tmp_path) -> None:
    from mmm.hotspots.near_repeat_alerts import near_repeat_reach
    from tests.helpers import write_csv
    from tests.mmm.hotspots.test_near_repeat_alerts import _burglaries

    frame = _burglaries(1, True)
    frame.insert(0, "id", [f"B{i}" for i in range(len(frame))])
    csv = write_csv(tmp_path / "b.csv", frame.rename(columns={"occurred": "date"}))
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    imported = runner.invoke(
        cli, ["--store", url, "import", "incidents", str(csv), "--crs", "EPSG:31370"]
    )
    assert imported.exit_code == 0, imported.output
    args = ["--store", url, "near-repeat", "--phenomenon", "burglary", "--seed", "3",
            "--permutations", "99"]  # fmt: skip
    doc = json.loads(runner.invoke(cli, [*args, "--json"]).output)
    days = frame["occurred"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    core = knox_table(
        frame["x"].to_numpy(), frame["y"].to_numpy(), days,
        [0, 100, 200, 300, 400, 500], [0, 7, 14, 21, 28, 35, 42, 49, 56],
        permutations=99, seed=3,
    )  # fmt: skip
    reach = near_repeat_reach(core)
    assert reach is not None and doc["reach"] == {
        "distance_m": reach.distance_m,
        "days": reach.days,
    }
    text = runner.invoke(cli, args).output
    assert (
        f"In words: after a burglary incident, the risk nearby is raised within "
        f"{reach.distance_m:g} m for {reach.days} days"
    ) in text


def test_no_pattern_is_said_in_words(runner: CliRunner, store_url: str) -> None:
    """The synthetic drugs incidents have random dates: no space-time interaction to state."""
    result = _run(runner, store_url, "--permutations", "19", "--seed", "1", "--json")
    assert json.loads(result.output)["reach"] is None
    text = _run(runner, store_url, "--permutations", "19", "--seed", "1").output
    assert "In words: no near-repeat pattern" in text
