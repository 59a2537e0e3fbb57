"""The benchmark script runs end to end on tiny sizes and agrees with the geopandas baseline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "aggregate.py"


def test_aggregate_bench_runs_and_counts_match() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--incidents",
            "20000",
            "--perimeters",
            "50",
            "--import-rows",
            "5000",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "counts identical: yes" in result.stdout
    assert re.search(r"speed-up: \d+\.\d×", result.stdout)
    assert re.search(r"import throughput: [\d,]+ rows/s", result.stdout)
    # The PostGIS side (a throwaway cluster): the SQL counts match mmm's, and are in the table.
    assert "PostGIS counts identical: yes" in result.stdout
    assert re.search(r"PostGIS ST_Covers \+ GROUP BY \(SQL\).*\d+\.\d{3} s", result.stdout)
    assert re.search(r"into PostGIS, total\s+\d+\.\d{3} s\s+[\d,]+ rows/s", result.stdout)
    # and on a local dask cluster of two workers
    assert "dask counts identical: yes" in result.stdout
    assert re.search(r"dask, 2 local workers.*\d+\.\d{3} s", result.stdout)
