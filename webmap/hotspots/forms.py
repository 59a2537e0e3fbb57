"""The hotspot page's parameters: read from the query string, checked, turned into options.

A plain GET form (no CSRF: it changes nothing), parsed by hand because its fields depend on the
store (one checkbox and one weight per phenomenon, the months with data). Every bad value gives
one translated sentence; the view answers it with a 400.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from flask_babel import format_number
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from mmm.counting.months import MonthRange, choose_range
from mmm.errors import InvalidPeriod, PeriodOutOfRange
from mmm.hotspots import HotspotOptions
from mmm.hotspots.emerging import MIN_STEPS
from mmm.hotspots.options import grid_cells, smallest_cell
from mmm.limits import MAX_GRID_CELLS, MAX_NEIGHBOURHOOD_CELLS
from mmm.store.base import MAX_WEIGHT
from webmap.limits import period_message

#: Cell sizes the page accepts (m); the CLI takes any. Below 50 m a zone's page gets heavy.
CELL_RANGE = (50.0, 1000.0)
#: Cell sizes offered in the form's list.
CELL_CHOICES = (50, 100, 150, 200, 250, 500)
#: The Gi* distance may reach :data:`mmm.limits.MAX_NEIGHBOURHOOD_CELLS` cells, and at most:
MAX_DISTANCE_M = 5000.0
#: Months in the default period (the latest ones with data): four quarters for the trends.
DEFAULT_MONTHS = 12


class InvalidParameter(ValueError):
    """A parameter the page cannot use; the message is translated and meant for the user."""


@dataclass(frozen=True)
class HotspotForm:
    """The checked parameters, as the form shows them again."""

    cell_m: float = 100.0
    distance_m: float | None = None
    period: MonthRange = MonthRange("1970-01", "1970-01")
    phenomena: tuple[str, ...] = ()
    min_hot: int = 2
    weights: dict[str, float] = field(default_factory=dict)
    fdr: bool = True
    confidence: int = 95
    colocation: bool = False
    presentation: bool = False
    emerging: str = ""  # "", "month" or "quarter": Esri's emerging hot spot patterns

    def options(self) -> HotspotOptions:
        """The run's options (hashable: the cache key together with the data version)."""
        return HotspotOptions(
            cell_m=self.cell_m,
            distance_m=self.distance_m,
            start=self.period.start,
            end=self.period.end,
            phenomena=self.phenomena,
            min_hot=self.min_hot,
            confidence=self.confidence,
            fdr=self.fdr,
            weights=tuple(sorted((c, w) for c, w in self.weights.items() if w != 1.0)),
            colocation=self.colocation,
            emerging_step=self.emerging or None,
        )

    def query(self) -> list[tuple[str, Any]]:
        """The parameters as query items (for the download links: the same run)."""
        items: list[tuple[str, Any]] = [
            ("cell", _number(self.cell_m)),
            ("from", self.period.first),
            ("to", self.period.last),
            ("min_hot", self.min_hot),
            ("confidence", self.confidence),
            ("fdr", int(self.fdr)),
        ]
        if self.distance_m is not None:
            items.append(("distance", _number(self.distance_m)))
        if self.emerging:
            items.append(("emerging", self.emerging))
        items += [("phenomenon", code) for code in self.phenomena]
        # Every weight, 1 included: a weight left out would fall back to the zone's stored one.
        items += [(f"w_{c}", _number(w)) for c, w in self.weights.items()]
        return items


def _number(value: float) -> str:
    return f"{value:g}"


def _float(args: MultiDict[str, str], name: str, message: str) -> float | None:
    text = (args.get(name) or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidParameter(message) from None
    if not math.isfinite(value):
        raise InvalidParameter(message)
    return value


def default_period(months: list[str]) -> MonthRange:
    """The last :data:`DEFAULT_MONTHS` months with data (fewer when the data is shorter)."""
    if not months:
        return choose_range(months, None, None)
    return MonthRange(months[max(len(months) - DEFAULT_MONTHS, 0)], months[-1])


def parse_weights(
    args: MultiDict[str, str], codes: Iterable[str], defaults: Mapping[str, float]
) -> dict[str, float]:
    """``w_<code>`` per code (a number from 0 to :data:`MAX_WEIGHT`; empty: its default)."""
    message = _("A weight must be a number from 0 to %(top)s.") % {"top": _number(MAX_WEIGHT)}
    weights = {}
    for code in codes:
        weight = _float(args, f"w_{code}", message)
        weight = defaults.get(code, 1.0) if weight is None else weight
        if not 0 <= weight <= MAX_WEIGHT:
            raise InvalidParameter(message)
        weights[code] = weight
    return weights


def parse_form(
    args: MultiDict[str, str],
    *,
    codes: list[str],
    months: list[str],
    weights: Mapping[str, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> HotspotForm:
    """Check the query parameters of the hotspot page.

    Parameters
    ----------
    args
        ``cell``, ``distance`` (m, empty: 2 cells), ``from``/``to`` (``YYYY-MM``), ``phenomenon``
        (repeated; none: all), ``min_hot``, ``w_<code>`` (weights, default ``weights``), ``fdr`` (1/0),
        ``confidence`` (90/95/99), ``colocation`` and ``presentation`` (1 when ticked),
        ``emerging`` (empty, ``month`` or ``quarter``: at least ten of them in the period).
    codes
        The phenomenon codes the store knows.
    months
        The months with data (``YYYY-MM``), for the default period.
    weights
        The zone's stored weight per code (from its ZVP priorities); 1 for a code not in it.
    bounds
        The zone's bounding box (EPSG:31370): the grid over it may hold at most
        :data:`mmm.limits.MAX_GRID_CELLS` cells, so a large zone needs larger cells.

    Raises
    ------
    InvalidParameter
        With a translated sentence naming the parameter and what it accepts.
    """
    low, high = CELL_RANGE
    cell = _float(
        args,
        "cell",
        _("The cell size must be a number of metres from %(low)s to %(high)s.")
        % {"low": _number(low), "high": _number(high)},
    )
    cell = 100.0 if cell is None else cell
    if not low <= cell <= high:
        raise InvalidParameter(
            _("The cell size must be a number of metres from %(low)s to %(high)s.")
            % {"low": _number(low), "high": _number(high)}
        )
    if bounds is not None and grid_cells(bounds, cell) > MAX_GRID_CELLS:
        raise InvalidParameter(
            _(
                "For this zone the cell size must be at least %(low)s m: a grid holds at most "
                "%(cells)s cells."
            )
            % {"low": smallest_cell(bounds), "cells": format_number(MAX_GRID_CELLS)}
        )
    top = min(MAX_NEIGHBOURHOOD_CELLS * cell, MAX_DISTANCE_M)
    distance_message = _(
        "The Gi* distance must be empty (two cells) or a number of metres from the cell size "
        "(%(cell)s) to %(top)s."
    ) % {"cell": _number(cell), "top": _number(top)}
    distance = _float(args, "distance", distance_message)
    if distance is not None and not cell <= distance <= top:
        raise InvalidParameter(distance_message)

    first, last = args.get("from") or None, args.get("to") or None
    try:
        period = choose_range(months, first, last) if first or last else default_period(months)
    except InvalidPeriod:
        raise InvalidParameter(
            _("Choose the months as YYYY-MM, the first not after the last.")
        ) from None
    except PeriodOutOfRange as error:
        raise InvalidParameter(period_message(error)) from None

    chosen = list(dict.fromkeys(args.getlist("phenomenon")))
    if any(code not in codes for code in chosen):
        raise InvalidParameter(_("Unknown phenomenon."))
    phenomena = tuple(code for code in codes if code in chosen) if chosen else tuple(codes)

    n = max(len(phenomena), 1)
    min_hot_message = _(
        "“Hot for at least” must be a whole number from 1 to the number of phenomena "
        "chosen (%(n)s)."
    ) % {"n": n}
    given = _float(args, "min_hot", min_hot_message)
    min_hot = float(min(2, n)) if given is None else given
    if min_hot != int(min_hot) or not 1 <= min_hot <= n:
        raise InvalidParameter(min_hot_message)

    chosen_weights = parse_weights(args, phenomena, weights or {})

    fdr = args.get("fdr", "1")
    if fdr not in ("0", "1"):
        raise InvalidParameter(_("The FDR correction is either on or off."))
    confidence = args.get("confidence", "95")
    if confidence not in ("90", "95", "99"):
        raise InvalidParameter(_("Choose a confidence of 90, 95 or 99."))
    emerging = _emerging_step(args.get("emerging", ""), period)
    return HotspotForm(
        cell_m=cell,
        distance_m=distance,
        period=period,
        phenomena=() if set(phenomena) == set(codes) else phenomena,  # all: as the CLI
        min_hot=int(min_hot),
        weights=chosen_weights,
        fdr=fdr == "1",
        confidence=int(confidence),
        colocation=args.get("colocation") == "1",
        presentation=args.get("presentation") == "1",
        emerging=emerging,
    )


def _emerging_step(step: str, period: MonthRange) -> str:
    """The emerging analysis' step (``""``: none), refused when the period holds fewer than
    :data:`mmm.hotspots.emerging.MIN_STEPS` of them."""
    if step not in ("", "month", "quarter"):
        raise InvalidParameter(_("Emerging hot spots go by months or by quarters."))
    if not step:
        return step
    first, last = pd.Period(period.first, "M"), pd.Period(period.last, "M")
    steps = (
        period.months
        if step == "month"
        else (last.qyear * 4 + last.quarter) - (first.qyear * 4 + first.quarter) + 1
    )
    if steps < MIN_STEPS:
        message = (
            _("Emerging hot spots need at least %(n)s months: choose a longer period.")
            if step == "month"
            else _(
                "Emerging hot spots need at least %(n)s quarters: choose a longer period or months."
            )
        )
        raise InvalidParameter(message % {"n": MIN_STEPS})
    return step


def month_choices(months: list[str], period: MonthRange) -> list[str]:
    """The months offered in the selects: the data's, plus the chosen ones if outside it."""
    return sorted(set(months) | {period.first, period.last}, key=lambda m: pd.Period(m, "M"))
