"""Shared fixtures: small real datasets in real files and a real SQLite store (no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from mmm.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield s
    s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def incidents_frame() -> pd.DataFrame:
    """Five good incidents in EPSG:31370, one of them undated."""
    return pd.DataFrame(
        {
            "id": ["PV-1", "PV-2", "PV-3", "PV-4", "PV-5"],
            "phenomenon": ["drugs", "drugs", "vandalism", "burglary_dwelling", "drugs"],
            "date": ["2024-01-15 10:00", "2024-02-01", "2024-03-31 23:59", "2024-04-01", ""],
            "x": [172_000.0, 172_050.5, 172_100.25, 171_500.0, 172_010.0],
            "y": [174_000.0, 174_020.0, 174_040.0, 173_500.0, 174_010.0],
        }
    )
