"""The Gi* benchmark runs end to end on tiny grids and agrees with esda."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "hotspots.py"


def test_hotspots_bench_runs_and_matches_esda() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "20", "40"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "results identical (|Δz|, |Δp| ≤ 1e-09): yes" in result.stdout
    assert re.search(
        r"40×40: mmm [\d.]+ s, esda weights [\d.]+ s \+ G_Local [\d.]+ s", result.stdout
    )
    assert re.search(r"speed-up: [\d.]+×", result.stdout)


def test_hotspots_bench_skips_esda_when_it_would_take_too_long(capsys, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH.parent))  # the script imports bench/machine.py
    spec = importlib.util.spec_from_file_location("bench_hotspots", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_hotspots"] = bench  # dataclasses look their module up
    try:
        spec.loader.exec_module(bench)
        assert bench.main(["--sizes", "12", "24", "--esda-limit", "0"]) == 0
    finally:
        del sys.modules["bench_hotspots"]
    out = capsys.readouterr().out
    assert "skipped" in out and "esda predicted" in out
