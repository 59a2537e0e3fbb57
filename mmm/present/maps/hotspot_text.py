"""What the hotspot page says beside its map: warnings, the hotspot table, co-location.

Why: the core's results hold numbers and English messages only; the page needs sentences and
tables in the user's language. They are built here from the result's numbers with
``translate``, so no English sentence of the core reaches the page; the map's own texts
(popups, legends) use the same helpers (:func:`phenomenon_label`, :func:`trend_names`) and
write numbers as :mod:`mmm.present.maps.numbers` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmm.hotspots.results import HotspotResult
from mmm.hotspots.trend import TRENDS
from mmm.present.maps.numbers import numbers_for
from mmm.present.style import Translate, untranslated


def phenomenon_label(phenomena: dict[str, str], code: str) -> str:
    """The display label of ``code``, or the code itself when ``phenomena`` has none."""
    return phenomena.get(code, code)


def trend_names(_: Translate) -> dict[str, str]:
    """Trend category (:data:`mmm.hotspots.trend.TRENDS`) → its name in the user's language."""
    names = [_("new"), _("intensifying"), _("persistent"), _("diminishing")]
    return dict(zip(TRENDS, names, strict=True))


def warning_messages(
    result: HotspotResult, phenomena: dict[str, str], translate: Translate = untranslated
) -> list[str]:
    """The result's insufficient-data warnings as sentences in the user's language.

    Built from the result's numbers (not from the core's English messages), one per warning,
    in the result's order; an unknown kind falls back to the core's message.
    """
    _ = translate
    fmt = numbers_for(_)
    o = result.options
    out = []
    for w in result.warnings:
        name = phenomenon_label(phenomena, w.phenomenon) if w.phenomenon else ""
        layer = result.layer(w.phenomenon) if w.phenomenon in result.phenomena else None
        values = {
            "phenomenon": name,
            "min_incidents": fmt.integer(o.min_incidents),
            "min_cells": fmt.integer(o.min_cells_with_data),
            "incidents": fmt.integer(layer.incidents if layer else 0),
            "cells": fmt.integer(layer.cells_with_data if layer else result.grid.n_cells),
            "size": fmt.metres(o.cell_m),
            "quarters": len(result.quarters),
        }
        texts = {
            "small_zone": _(
                "The zone holds too few cells of %(size)s m for hotspot statistics (%(cells)s, "
                "fewer than %(min_cells)s). Choose a smaller cell size."
            ),
            "no_incidents": _("%(phenomenon)s: no incidents in the period."),
            "few_incidents": _(
                "%(phenomenon)s: too few incidents in the period for a reliable hotspot map "
                "(%(incidents)s, fewer than %(min_incidents)s)."
            ),
            "few_cells": _(
                "%(phenomenon)s: incidents in too few cells for a reliable hotspot map "
                "(%(cells)s, fewer than %(min_cells)s)."
            ),
            "zero_variance": _(
                "%(phenomenon)s: every cell holds the same count, so no place stands out."
            ),
            "few_quarters": _(
                "Trends (new, intensifying, persistent, diminishing) need at least 4 quarters; "
                "this period covers %(quarters)s. Choose a longer period for them."
            ),
        }
        out.append(texts[w.kind] % values if w.kind in texts else w.message)
    return out


def hotspot_rows(
    result: HotspotResult,
    phenomena: dict[str, str],
    translate: Translate = untranslated,
    *,
    top: int = 20,
) -> list[dict[str, Any]]:
    """The ``top`` multi-phenomenon hotspot cells for a table, by hot phenomena then score.

    Each row: ``cell`` (id), ``hot`` (how many phenomena), ``composite`` (score),
    ``phenomena`` (``[(label, z, count, trend, borrowed), …]``, strongest z first, the trend
    translated, ``borrowed`` true when the cell holds no incident of it: hot through its
    neighbours only) and ``incidents`` (of its hot phenomena).
    """
    trends = trend_names(translate)
    table = result.hotspot_cells()
    table = table[table["multi_hotspot"]].head(top)
    rows = []
    for rec in table.to_dict("records"):
        codes = [c for c in str(rec["phenomena"]).split(", ") if c]
        parts = [
            (
                phenomenon_label(phenomena, c),
                float(rec[f"z_{c}"]),
                int(rec[f"count_{c}"]),
                trends.get(str(rec[f"trend_{c}"]), ""),
                int(rec[f"count_{c}"]) == 0,
            )
            for c in codes
        ]
        rows.append(
            {
                "cell": rec["cell"],
                "hot": int(rec["hot_phenomena"]),
                "composite": float(rec["composite"]),
                "phenomena": parts,
                "incidents": sum(p[2] for p in parts),
            }
        )
    return rows


def colocation_matrix(result: HotspotResult, phenomena: dict[str, str]) -> dict[str, Any] | None:
    """The co-location quotients as a matrix for a page table, or ``None`` when not computed.

    Returns ``labels`` (rows A and columns B, in the table's order), ``rows`` (per A, per B:
    ``(clq, p, pattern)`` with pattern ``colocated``, ``isolated``, ``not significant`` or
    ``""`` where undefined), ``permutations`` and ``alpha``.
    """
    table = result.colocation
    if table is None:
        return None
    frame = table.to_frame()
    k = len(table.phenomena)
    cells = [
        (float(c), float(p), str(pattern) if np.isfinite(c) else "")
        for c, p, pattern in zip(frame["clq"], frame["p_value"], frame["pattern"], strict=True)
    ]
    return {
        "labels": [phenomenon_label(phenomena, code) for code in table.phenomena],
        "rows": [cells[a * k : (a + 1) * k] for a in range(k)],
        "permutations": table.permutations,
        "alpha": table.alpha,
    }
