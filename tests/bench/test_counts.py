"""The counts benchmark runs end to end on a tiny store: every figure next to its baseline, the
baselines answering the same, the verdicts printed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "counts.py"


def test_counts_bench_prints_each_figure_next_to_its_baseline() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--incidents",
            "3000",
            "--perimeters",
            "20",
            "--requests",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("machine: ")
    for label in ("zip + numpy (before)", "Arrow columns", "the columnar copy (now)"):
        assert re.search(rf"first read of 3,000 incidents: rows → {re.escape(label)}|"
                         rf"first read of 3,000 incidents: {re.escape(label)}", out), out  # fmt: skip
    assert re.search(r"^count cube, once per data version +\d+\.\d{3} s", out, re.M)
    assert re.search(r"GET /api/counts\?period=month: first / warm +\d+\.\d{3} s / \d+\.\d{3} s +"
                     r"baseline \d+\.\d{3} s", out)  # fmt: skip
    assert len(re.findall(r"^GET /map, .*baseline \d+\.\d{3} s; counts \d+ ms", out, re.M)) == 6
    for target in ("columnar first read", "/api/counts\\?period=month warm", "zone map warm"):
        assert re.search(rf"^target: {target}.*: (PASS|FAIL)", out, re.M), out
