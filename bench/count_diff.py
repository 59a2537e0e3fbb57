"""Comparing two count tables row by row, and printing how they differ (shared by the counting
benchmarks aggregate.py and dask_scaling.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

KEYS = ["perimeter", "phenomenon", "period"]


@dataclass(frozen=True)
class CountDiff:
    """How two count tables differ on their (perimeter, phenomenon, period) rows."""

    rows_mmm: int
    rows_baseline: int
    only_mmm: int
    only_baseline: int
    different_count: int
    examples: pd.DataFrame

    @property
    def identical(self) -> bool:
        return self.only_mmm == self.only_baseline == self.different_count == 0


def compare_counts(mmm_table: pd.DataFrame, baseline: pd.DataFrame) -> CountDiff:
    """Compare the (perimeter, phenomenon, period, count) rows of both tables."""
    left = _plain_counts(mmm_table)
    right = _plain_counts(baseline)
    merged = left.merge(right, on=KEYS, how="outer", suffixes=("_mmm", "_baseline"), indicator=True)
    both = merged["_merge"] == "both"
    differs = both & (merged["count_mmm"] != merged["count_baseline"])
    wrong = merged[(merged["_merge"] != "both") | differs]
    return CountDiff(
        rows_mmm=len(left),
        rows_baseline=len(right),
        only_mmm=int((merged["_merge"] == "left_only").sum()),
        only_baseline=int((merged["_merge"] == "right_only").sum()),
        different_count=int(differs.sum()),
        examples=wrong.head(10),
    )


def _plain_counts(table: pd.DataFrame) -> pd.DataFrame:
    plain = table[[*KEYS, "count"]].copy()
    for key in KEYS:
        plain[key] = plain[key].astype(str)
    plain["count"] = plain["count"].astype(np.int64)
    return plain


def print_diff(diff: CountDiff) -> None:
    """The summary printed when two counts disagree."""
    print("counts identical: NO")
    print(
        f"  rows: mmm {diff.rows_mmm:,}, baseline {diff.rows_baseline:,}; "
        f"only in mmm {diff.only_mmm:,}, only in baseline {diff.only_baseline:,}, "
        f"different count {diff.different_count:,}"
    )
    print("  first differing rows:")
    print(diff.examples.to_string(index=False))
