"""The map page benchmark runs end to end on a tiny size, in Debian's Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "mappage.py"


def test_mappage_bench_runs_and_prints_the_table() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "2000", "--baseline-max", "2000"]
        + ["--segments", "2000"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("machine: ")
    assert re.search(r"^N incidents +zone map HTML +zone map load s +baseline HTML", out, re.M)
    # 2,000 incidents: both pages measured, with a weight, a load time and the two ratios.
    row = r"^2,000 +[\d.]+ MB +\d+\.\d{3} +[\d.]+ MB +\d+\.\d{3} +[\d,.]+× +[\d,.]+×$"
    assert re.search(row, out, re.M), out
    hotspots = r"^2,000 +\d+\.\d{3} +\d+\.\d{3}( +\d+\.\d{3}){6} +[\d,]+ +[\d,]+ \(\d+\)$"
    assert re.search(r"^Hotspot page /hotspots", out, re.M)
    assert re.search(hotspots, out, re.M), out
    assert re.search(r"^target: zone map HTML < 2 MB at 2,000 incidents: (PASS|FAIL)", out, re.M)
    assert re.search(r"^target: zone map load < 1\.5 s at 2,000 incidents: (PASS|FAIL)", out, re.M)
    # The streets: their tiles weighed, the editor's frames without and with them.
    assert re.search(r"^Streets at 2,000 incidents and 2,000 segments", out, re.M)
    assert re.search(r"^street tiles, as sent \(gzip\) +[\d,]+ B +JSON [\d,]+ B$", out, re.M)
    assert re.search(r"^editor p95 frame, with / without +\d+\.\d\d×", out, re.M), out
