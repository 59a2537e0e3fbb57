"""Small-count suppression: "<5" instead of the number, and no recovery by subtraction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mmm.access.disclosure import suppress_long, suppress_matrix


def test_long_tables_hide_small_counts_and_their_densities():
    table = pd.DataFrame(
        {
            "perimeter": ["A", "A", "B"],
            "phenomenon": ["drugs", "intrafamily_violence", "drugs"],
            "count": [4, 7, 5],
            "per_km2": [8.0, 14.0, 10.0],
        }
    )
    out = suppress_long(table, {"drugs": 5, "intrafamily_violence": 10})
    assert out["count"].tolist() == ["<5", "<10", 5]
    assert out["per_km2"].tolist() == [None, None, 10.0]
    assert table["count"].tolist() == [4, 7, 5]  # the input is left alone


def test_a_total_never_reveals_a_suppressed_part():
    # rows: total, drugs, nuisance
    counts = np.array([[23, 3, 20], [40, 15, 25], [2, 1, 1]])
    shown, text = suppress_matrix(counts, ["drugs", "nuisance"], {"drugs": 5, "nuisance": 5})
    assert text.tolist() == [["≥20", "<5", "20"], ["40", "15", "25"], ["≥0", "<5", "<5"]]
    assert shown.tolist() == [[20, -1, 20], [40, 15, 25], [0, -1, -1]]
    # what a reader can compute from the shown row does not give the hidden 3
    visible_total, visible_nuisance = shown[0, 0], shown[0, 2]
    assert visible_total - visible_nuisance == 0 != counts[0, 1]
