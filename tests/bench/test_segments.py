"""The segment benchmark runs end to end on a small zone and agrees with sjoin_nearest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "segments.py"


def test_segments_bench_runs_and_assignments_match() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--incidents", "20000", "--segments", "500"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"assignments identical: yes \(\d+\.\d% of the incidents", result.stdout)
    assert re.search(r"speed-up: \d+\.\d×", result.stdout)
    assert re.search(r"mmm nearest_segments, 20,000 incidents × 500 segments\s+\d+\.\d{3} s",
                     result.stdout)  # fmt: skip
    assert re.search(r"baseline: sjoin_nearest\(max_distance=25\)\s+\d+\.\d{3} s", result.stdout)
