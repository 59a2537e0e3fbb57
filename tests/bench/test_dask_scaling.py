"""The dask scaling benchmark runs end to end on tiny sizes and its counts match in-process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "dask_scaling.py"


def test_dask_scaling_bench_runs_and_counts_match() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--incidents",
            "20000",
            "--perimeters",
            "50",
            "--chunk-rows",
            "4000",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical: yes (" in result.stdout and "4 dask tables" in result.stdout
    assert re.search(r"dask, 2 workers: partitions on the workers +\d+\.\d{3} s", result.stdout)
    assert re.search(r"scaling 1 → 2 workers +\d+\.\d\d×", result.stdout)
