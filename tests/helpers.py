"""Small builders shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from shapely.geometry import box

#: A small zone around (172 000, 174 000) in EPSG:31370, 2 km × 2 km.
ZONE = box(171_000, 173_000, 173_000, 175_000)


def write_csv(path: Path, frame: pd.DataFrame, *, sep: str = ",") -> Path:
    """Write ``frame`` as a CSV file without index and return its path."""
    frame.to_csv(path, index=False, sep=sep)
    return path
