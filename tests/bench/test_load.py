"""The load benchmark runs end to end on a tiny store: both servers, every kind of request."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def test_load_bench_runs_both_servers_and_prints_the_tables() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--incidents", "2000", "--users", "4", "--requests", "4"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("machine: ")
    assert re.search(r"^server +requests +errors +p50 s +p95 s +p99 s +req/s +wall s", out, re.M)
    for server in ("waitress", "dev server"):  # 4 users × 4 requests, none failed
        row = rf"^{server} +16 +0( +\d+\.\d{{3}}){{3}} +\d+\.\d +\d+\.\d +[\d,]+$"
        assert re.search(row, out, re.M), out
    for kind in ("zone map", "perimeter page", "/api/counts", "/api/perimeters"):
        assert re.search(rf"^{re.escape(kind)}( +\d+\.\d{{3}}){{6}}$", out, re.M), out
    assert re.search(
        r"^target: waitress p95 < 0\.5 s with 0 errors at 2,000 incidents: (PASS|FAIL)", out, re.M
    )
