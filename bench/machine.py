"""What machine a benchmark ran on, and the libraries it used (shared by the scripts in bench/)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or what ``platform`` knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gb() -> float:
    """Total memory in GB from /proc/meminfo (0 when unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return 0.0


def machine_line(*, memory: bool = False) -> str:
    """``machine: CPU, cores[, memory] (architecture, system)``: the first line of a report."""
    ram = f", {memory_gb():.0f} GB RAM" if memory else ""
    return (
        f"machine: {cpu_model()}, {os.cpu_count()} cores{ram} "
        f"({platform.machine()}, {platform.system()})"
    )


def geo_stack_line() -> str:
    """Python and the libraries the counting benchmarks run on (aggregate.py, dask_scaling.py)."""
    return (
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"geopandas {gpd.__version__}, pyogrio {pyogrio.__version__} "
        f"(GDAL {pyogrio.__gdal_version_string__})"
    )
