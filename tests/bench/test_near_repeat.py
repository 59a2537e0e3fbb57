"""The near-repeat benchmark runs end to end on few events and agrees with pointpats' Knox."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "near_repeat.py"


def test_near_repeat_bench_runs_and_matches_pointpats() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--events", "400", "--permutations", "9",
         "--pointpats-permutations", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same observed counts: yes; same expected: yes" in result.stdout
    assert re.search(r"speed-up: [\d.]+×", result.stdout)
    assert "mmm table 6 × 9, 9 permutations" in result.stdout
