"""The command's bounds: a hotspot grid too fine, a reach too far, reversed dates — each one
line on stderr and a non-zero exit, never a traceback; an unexpected error is one line too."""

from __future__ import annotations

import pytest
import shapely.errors
from click.testing import CliRunner

from mmm.cli.group import cli


def _one_line_error(result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--cell", "1"],
            "48,000,000 cells, more than 250,000: choose a cell size of at least 14 m",
        ),
        (["--cell", "1e-320"], "more than 250,000"),
        (["--distance", "100000"], "the Gi* distance of 100000 m reaches more than 20 cells"),
        (["--kde-bandwidth", "5000"], "the KDE bandwidth of 5000 m reaches more than 20 cells"),
        (["--cell", "inf"], "the cell size must be positive (and finite)"),
    ],
)
def test_hotspots_beyond_the_limits_is_one_line(runner: CliRunner, sqlite_demo_url, args, message):
    result = runner.invoke(cli, ["--store", sqlite_demo_url, "hotspots", *args])
    assert message in _one_line_error(result)


@pytest.mark.parametrize("command", [["aggregate"], ["export", "counts", "--out", "{tmp}/c.csv"]])
def test_reversed_dates_are_refused(runner: CliRunner, sqlite_demo_url, command, tmp_path):
    args = [a.format(tmp=tmp_path) for a in command] + [
        "--from",
        "2025-01-01",
        "--to",
        "2024-01-01",
    ]
    result = runner.invoke(cli, ["--store", sqlite_demo_url, *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "2024-01-01 lies before --from 2025-01-01" in result.stderr
    assert not (tmp_path / "c.csv").exists()


def test_an_unexpected_error_is_one_line_and_its_traceback_is_asked_for(
    runner: CliRunner, sqlite_demo_url, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise shapely.errors.GEOSException("std::bad_alloc\n  at somewhere deep")

    monkeypatch.setattr("mmm.counting.count.aggregate", broken)
    result = runner.invoke(cli, ["--store", sqlite_demo_url, "aggregate"])
    line = _one_line_error(result, code=2)
    assert line.startswith("Error: GEOSException: std::bad_alloc (unexpected: run again with")
    debug = runner.invoke(cli, ["--debug", "--store", sqlite_demo_url, "aggregate"])
    assert isinstance(debug.exception, shapely.errors.GEOSException)
