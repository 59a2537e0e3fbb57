"""Small-count suppression: partners see counts below a threshold as "<5", never the number.

A suppressed count must not be recoverable by subtraction: where a total is shown next to its
parts and a part is suppressed, the total is shown as a lower bound ("≥ 12", the sum of the
visible parts) instead of its value. Thresholds are per phenomenon (e.g. higher for intrafamily
violence).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

Thresholds = Mapping[str, int]


def label(threshold: int) -> str:
    """How a suppressed count is shown: ``<5`` for a threshold of 5."""
    return f"<{threshold}"


def suppress_long(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """A count table (``phenomenon``, ``count``…) with small counts replaced by ``"<N"``.

    Derived columns that would reveal the count (``per_km2``) are blanked on those rows.
    """
    out = table.copy()
    if out.empty:
        return out
    limit = out["phenomenon"].map(lambda code: thresholds.get(code, 0)).to_numpy(dtype=int)
    small = out["count"].to_numpy(dtype=int) < limit
    counts = out["count"].astype(object)
    counts[small] = [label(int(n)) for n in limit[small]]
    out["count"] = counts
    if "per_km2" in out:
        out["per_km2"] = out["per_km2"].astype(object).where(~small, None)
    return out


def suppress_matrix(
    counts: np.ndarray, codes: list[str], thresholds: Thresholds
) -> tuple[np.ndarray, np.ndarray]:
    """Suppress a rows × (total, *codes) count matrix for display.

    Returns ``(shown, text)``: ``shown`` holds the numbers it is safe to colour by (``-1`` for a
    suppressed part; the total becomes the sum of the visible parts), ``text`` what to print.
    """
    parts = counts[:, 1:]
    limits = np.array([thresholds.get(c, 0) for c in codes], dtype=int)
    small = parts < limits
    shown = counts.copy()
    shown[:, 1:][small] = -1
    text = counts.astype(str).astype(object)  # object: "≥120" must not be cut to a width
    for col, limit in enumerate(limits, start=1):
        text[small[:, col - 1], col] = label(int(limit))
    visible = np.where(small, 0, parts).sum(axis=1)
    hidden_any = small.any(axis=1)
    shown[hidden_any, 0] = visible[hidden_any]
    text[hidden_any, 0] = [f"≥{v}" for v in visible[hidden_any]]
    return shown, text
