"""Before/after evaluation with a control area and displacement: the "Check" of a PDCA cycle.

Four areas, each incident counted in at most one of them:

``R`` (response area)
    The perimeter where the action plan ran.
``D`` (buffer ring)
    The ring of width ``buffer_m`` around R — ``R.buffer(b) − R`` — clipped to the zone: where
    displaced incidents (or a diffusion of benefits) would show first.
``C`` (control area)
    By default the rest of the zone, ``zone − R.buffer(b)``; or another perimeter chosen by
    name, which must not overlap ``R ∪ D``.
``D_C`` (control's buffer ring)
    For a named control perimeter only: the ring of the same width around C, clipped to the
    zone and without ``R ∪ D`` (Wheeler & Ratcliffe 2018 compare the two rings). With the
    zone as control it is not defined and its term is left out of the WDD (and a note says so).

An incident counts in an area when the area *covers* it (its boundary included). A point on a
shared boundary goes to the first area in the order R, D, C, D_C, so the four counts never
overlap. The two periods are inclusive date ranges written ``FROM:TO`` (see
:meth:`DateRange.parse`). For each phenomenon the eight counts ``Rb, Ra, Cb, Ca, Db, Da, DCb,
DCa`` (b before, a after) give:

* the **Weighted Displacement Quotient** of Bowers & Johnson (2003), with its success measure
  and buffer displacement measure (:func:`wdq`);
* the **Weighted Displacement Difference** of Wheeler & Ratcliffe (2018), its standard error,
  z-score, two-sided p-value and 95 % interval (:func:`wdd`).

With small counts (fewer than :data:`MIN_RESPONSE` incidents in R over both periods, or no
incident in C in either period) the result says "insufficient data" and shows only the counts.

The geometry work is vectorised: incidents of both periods are selected with numpy masks, each
area tests the points not yet claimed with one prepared ``intersects_xy`` pass
(:func:`mmm.aggregate.covered_mask`), and the counts are one ``bincount``.

References
----------
Bowers, K. J., & Johnson, S. D. (2003). Measuring the geographical displacement and diffusion
of benefit effects of crime prevention activity. *Journal of Quantitative Criminology*, 19(3),
275–301.

Wheeler, A. P., & Ratcliffe, J. H. (2018). A simple weighted displacement difference test to
evaluate place based crime interventions. *Crime Science*, 7(1), 11.

Wheeler, A. P. (2021). The WDD test with different pre/post time periods (blog post, 9 January
2021) and The WDD test with different area sizes (23 February 2021), andrewpwheeler.com.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from shapely.geometry.base import BaseGeometry

from mmm.aggregate import covered_mask
from mmm.errors import InvalidGeometry, InvalidPeriod, NotFound
from mmm.store import Store

#: Fewest incidents in R (before + after) for a figure to be shown: below it the normal
#: approximation of the Poisson counts behind the WDD z-score is poor (Wheeler & Ratcliffe
#: 2018 warn against very small counts) and one incident more or less swings the WDQ.
MIN_RESPONSE = 20
#: A control holding more than this many times R's incidents (or less than its inverse) gets a
#: note: the WDD subtracts counts, so it assumes a control with comparable counts.
CONTROL_RATIO = 3.0
#: Overlap (m²) between a named control perimeter and ``R ∪ D`` that is still tolerated
#: (shared edges of digitised polygons).
OVERLAP_TOLERANCE_M2 = 1.0
#: The eight counts, in the order they are printed.
COUNT_KEYS = ("Rb", "Ra", "Db", "Da", "Cb", "Ca", "DCb", "DCa")
#: The four areas, in the order of precedence on shared boundaries.
AREAS = ("R", "D", "C", "DC")
_Z95 = float(norm.ppf(0.975))
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidControlArea(InvalidGeometry):
    """The control area cannot be used (it overlaps the response area or its buffer, or is
    empty)."""


# -- periods ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days, ``start`` to ``end``."""

    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> DateRange:
        """Read ``FROM:TO``; each side is ``YYYY-MM-DD`` or ``YYYY-MM`` (a whole month).

        A month as ``FROM`` means its first day, as ``TO`` its last day: ``2024-01:2024-06`` is
        1 January to 30 June 2024. Both ends are included.

        Raises
        ------
        InvalidPeriod
            For any other form, an impossible date, or a range that ends before it starts.
        """
        parts = str(text).strip().split(":")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InvalidPeriod(
                f"{text!r} is not a period: write FROM:TO with YYYY-MM-DD or YYYY-MM, "
                "e.g. 2024-01:2024-06"
            )
        start, end = _day(parts[0].strip(), last=False), _day(parts[1].strip(), last=True)
        if start > end:
            raise InvalidPeriod(f"the period {text!r} starts after it ends")
        return cls(start, end)

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int | None:
        """Number of calendar months when the range is whole months, else ``None``."""
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        if self.start.day != 1 or self.end.day != last:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


def _day(text: str, *, last: bool) -> date:
    month = _MONTH.match(text)
    try:
        if month:
            year, mon = int(month.group(1)), int(month.group(2))
            day = calendar.monthrange(year, mon)[1] if last else 1
            return date(year, mon, day)
        if _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass  # e.g. month 13 or 31 February: reported below
    raise InvalidPeriod(f"{text!r} is not a date (YYYY-MM-DD) or a month (YYYY-MM)")


def time_weight(before: DateRange, after: DateRange) -> float:
    """Length of ``before`` in units of ``after``: months when both are whole months, else days.

    1.0 for periods of equal length (e.g. January–June of two years, 182 and 181 days).
    """
    b, a = before.months, after.months
    if b is not None and a is not None:
        return b / a
    return before.days / after.days


# -- statistics on counts --------------------------------------------------------------------
@dataclass(frozen=True)
class WDQ:
    """The Weighted Displacement Quotient and its two parts (Bowers & Johnson 2003).

    Attributes
    ----------
    success
        Success measure ``Ra/Ca − Rb/Cb``: negative when R fell relative to the control.
    buffer_displacement
        Buffer displacement measure ``Da/Ca − Db/Cb``: positive suggests displacement into
        the buffer, negative a diffusion of benefits.
    value
        ``buffer_displacement / success``; ``None`` when it is not defined or not to be read
        (then ``note`` says why).
    reading
        The paper's reading of ``value`` in words (empty when ``value`` is ``None``).
    """

    success: float | None
    buffer_displacement: float | None
    value: float | None
    reading: str
    note: str | None = None


def wdq(rb: float, ra: float, db: float, da: float, cb: float, ca: float) -> WDQ:
    """Weighted Displacement Quotient ``(Da/Ca − Db/Cb) / (Ra/Ca − Rb/Cb)``.

    Parameters
    ----------
    rb, ra, db, da, cb, ca
        Counts before (b) and after (a) in the response area R, its buffer D and the control C.
        Each ratio compares two counts of the same period, so periods of different length need
        no correction.

    Returns
    -------
    WDQ
        Read as Bowers & Johnson (2003): ``> 1`` diffusion of benefits larger than the direct
        effect; ``0 < WDQ ≤ 1`` diffusion of benefits; ``0`` neither; ``−1 ≤ WDQ < 0``
        displacement smaller than the direct effect (a net benefit); ``< −1`` displacement
        larger than the direct effect (a net loss).

    Notes
    -----
    The quotient measures displacement *relative to a success*: it is only read when the
    success measure is negative (R improved relative to the control). With a success measure
    of 0 or more there is no effect to displace, the sign of the quotient would be inverted, and
    ``value`` is ``None`` with a note, as the paper advises. A control count of 0 leaves the
    ratios undefined (``None`` throughout).
    """
    if cb <= 0 or ca <= 0:
        note = "WDQ not defined: the control area has no incident in one of the periods"
        return WDQ(None, None, None, "", note)
    success = ra / ca - rb / cb
    displacement = da / ca - db / cb
    if success >= 0:
        note = (
            f"WDQ not read: no decrease in the response area relative to the control "
            f"(success measure {success:+.4f} ≥ 0), so there is no effect to displace "
            "(Bowers & Johnson 2003)"
        )
        return WDQ(success, displacement, None, "", note)
    value = displacement / success
    return WDQ(success, displacement, value, _wdq_reading(value))


def _wdq_reading(value: float) -> str:
    if value > 1:
        return "diffusion of benefits, larger than the direct effect"
    if value > 0:
        return "diffusion of benefits"
    if value == 0:
        return "no displacement or diffusion"
    if value >= -1:
        return "displacement, smaller than the direct effect"
    return "displacement, larger than the direct effect"


@dataclass(frozen=True)
class WDD:
    """The Weighted Displacement Difference test (Wheeler & Ratcliffe 2018).

    Attributes
    ----------
    estimate
        ``ΔR − ΔC + ΔD − ΔD_C`` (``Δ`` = after − before, with the weights applied): negative
        means fewer incidents in R (and its buffer) than the control's change predicts.
    se
        Standard error: the square root of the sum of the (weighted) counts.
    z, p
        ``estimate / se`` and its two-sided p-value (``None`` when ``se`` is 0).
    ci_low, ci_high
        95 % normal interval of the estimate.
    local, local_se
        The local part ``ΔR − ΔC`` and its standard error.
    displacement, displacement_se
        The displacement part ``ΔD − ΔD_C`` (``ΔD`` alone when the control buffer is left out),
        ``None`` when no buffer counts were given.
    control_buffer_left_out
        True when the ``ΔD_C`` term was left out.
    """

    estimate: float
    se: float
    z: float | None
    p: float | None
    ci_low: float
    ci_high: float
    local: float
    local_se: float
    displacement: float | None
    displacement_se: float | None
    control_buffer_left_out: bool


#: ``(before, after)`` counts of one area.
Pair = Sequence[float]


def wdd(
    *,
    response: Pair,
    control: Pair,
    buffer: Pair | None = None,
    control_buffer: Pair | None = None,
    time_weights: tuple[float, float] = (1.0, 1.0),
    area_weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0),
) -> WDD:
    """Weighted Displacement Difference ``ΔR − ΔC + ΔD − ΔD_C``, its SE, z and p.

    Parameters
    ----------
    response, control, buffer, control_buffer
        ``(before, after)`` counts in R, C, D and D_C. ``buffer=None`` leaves the displacement
        part out; ``control_buffer=None`` leaves only the ``ΔD_C`` term out.
    time_weights
        Length of the ``(before, after)`` periods in any common unit; a count is divided by
        its period's weight (Wheeler 2021), so ``(2, 1)`` compares half the before count with
        the after count. Equal weights give the published test.
    area_weights
        Weights of ``(R, C, D, D_C)`` (e.g. their areas, for densities: Wheeler 2021).

    Returns
    -------
    WDD
        With the variance ``Σ count / weight²`` — the sum of the counts when unweighted: each
        count is taken as Poisson, so its variance is itself.

    Examples
    --------
    The check published by Wheeler & Ratcliffe (2018):

    >>> r = wdd(response=(207, 110), control=(308, 318), buffer=(178, 157),
    ...         control_buffer=(150, 140))
    >>> r.estimate, round(r.se**2, 9), round(r.z, 2)
    (-118.0, 1568.0, -2.98)
    """
    tb, ta = time_weights
    wr, wc, wd, wdc = area_weights

    def delta(pair: Pair, area_w: float) -> tuple[float, float]:
        before, after = float(pair[0]), float(pair[1])
        wb, wa = tb * area_w, ta * area_w
        return after / wa - before / wb, after / wa**2 + before / wb**2

    d_r, v_r = delta(response, wr)
    d_c, v_c = delta(control, wc)
    local, local_var = d_r - d_c, v_r + v_c
    displacement: float | None = None
    disp_var = 0.0
    if buffer is not None:
        displacement, disp_var = delta(buffer, wd)
        if control_buffer is not None:
            d_dc, v_dc = delta(control_buffer, wdc)
            displacement, disp_var = displacement - d_dc, disp_var + v_dc
    estimate = local + (displacement or 0.0)
    se = math.sqrt(local_var + disp_var)
    z = estimate / se if se > 0 else None
    p = float(2 * norm.sf(abs(z))) if z is not None else None
    return WDD(
        estimate=estimate,
        se=se,
        z=z,
        p=p,
        ci_low=estimate - _Z95 * se,
        ci_high=estimate + _Z95 * se,
        local=local,
        local_se=math.sqrt(local_var),
        displacement=displacement,
        displacement_se=math.sqrt(disp_var) if buffer is not None else None,
        control_buffer_left_out=buffer is not None and control_buffer is None,
    )


@dataclass(frozen=True)
class Evaluation:
    """Before/after figures of one phenomenon.

    Attributes
    ----------
    phenomenon
        Its code.
    counts
        ``Rb, Ra, Db, Da, Cb, Ca, DCb, DCa`` (``DCb``/``DCa`` are ``None`` when D_C is not
        defined, i.e. with the zone as control).
    success, buffer_displacement, wdq, wdq_reading
        See :class:`WDQ`.
    wdd, wdd_se, wdd_z, wdd_p, wdd_ci95, wdd_local, wdd_displacement
        See :class:`WDD` (``wdd_ci95`` is ``(low, high)``).
    verdict
        A few words: significance of the WDD and the WDQ's reading, or "insufficient data".
    insufficient_data
        True when the counts are too small: every figure is then ``None``, only the counts stay.
    notes
        Why a figure is missing or how to read it (e.g. the control buffer left out).
    """

    phenomenon: str
    counts: dict[str, int | None]
    success: float | None = None
    buffer_displacement: float | None = None
    wdq: float | None = None
    wdq_reading: str = ""
    wdd: float | None = None
    wdd_se: float | None = None
    wdd_z: float | None = None
    wdd_p: float | None = None
    wdd_ci95: tuple[float, float] | None = None
    wdd_local: float | None = None
    wdd_displacement: float | None = None
    verdict: str = ""
    insufficient_data: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready values (``None`` for what is not defined)."""
        return {
            "counts": dict(self.counts),
            "wdq": self.wdq,
            "wdq_reading": self.wdq_reading,
            "success_measure": self.success,
            "buffer_displacement_measure": self.buffer_displacement,
            "wdd": self.wdd,
            "wdd_se": self.wdd_se,
            "wdd_z": self.wdd_z,
            "wdd_p": self.wdd_p,
            "wdd_ci95": list(self.wdd_ci95) if self.wdd_ci95 is not None else None,
            "wdd_local": self.wdd_local,
            "wdd_displacement": self.wdd_displacement,
            "verdict": self.verdict,
            "insufficient_data": self.insufficient_data,
            "notes": list(self.notes),
        }


CONTROL_BUFFER_LEFT_OUT = (
    "the control is the rest of the zone, which has no buffer ring of its own: the D_C term "
    "is left out of the WDD (ΔR − ΔC + ΔD) and its variance (six counts)"
)


def evaluate_counts(
    counts: Mapping[str, int | None],
    *,
    phenomenon: str = "",
    time_weight: float = 1.0,
    min_response: int = MIN_RESPONSE,
) -> Evaluation:
    """WDQ and WDD of one phenomenon from its eight counts (a pure function).

    Parameters
    ----------
    counts
        ``Rb, Ra, Db, Da, Cb, Ca`` and, when the control has a buffer ring, ``DCb, DCa``
        (missing or ``None``: the D_C term is left out, with a note).
    time_weight
        Length of the before period in units of the after period (:func:`time_weight`); the
        WDD scales the before counts by it. The WDQ needs no scaling.
    min_response
        Fewest incidents in R over both periods for figures to be shown.

    Returns
    -------
    Evaluation
        ``insufficient_data`` when R holds fewer than ``min_response`` incidents or C has none
        in a period: then only the counts are given.
    """
    full = {key: counts.get(key) for key in COUNT_KEYS}
    missing = [k for k in COUNT_KEYS[:6] if full[k] is None]
    if missing:
        raise ValueError(f"counts {', '.join(missing)} are missing")
    c = {k: int(v) for k, v in full.items() if v is not None}
    has_dc = "DCb" in c and "DCa" in c
    if not has_dc:
        full["DCb"] = full["DCa"] = None
    notes: list[str] = [] if has_dc else [CONTROL_BUFFER_LEFT_OUT]
    problems = []
    if c["Rb"] + c["Ra"] < min_response:
        problems.append(
            f"{c['Rb'] + c['Ra']} incidents in the response area over both periods "
            f"(fewer than {min_response})"
        )
    if c["Cb"] == 0 or c["Ca"] == 0:
        problems.append("no incident in the control area in one of the periods")
    if problems:
        notes.insert(0, "insufficient data: " + "; ".join(problems))
        return Evaluation(
            phenomenon,
            full,
            verdict="insufficient data",
            insufficient_data=True,
            notes=tuple(notes),
        )

    q = wdq(c["Rb"], c["Ra"], c["Db"], c["Da"], c["Cb"], c["Ca"])
    if q.note:
        notes.append(q.note)
    d = wdd(
        response=(c["Rb"], c["Ra"]),
        control=(c["Cb"], c["Ca"]),
        buffer=(c["Db"], c["Da"]),
        control_buffer=(c["DCb"], c["DCa"]) if has_dc else None,
        time_weights=(time_weight, 1.0),
    )
    ratio = (c["Cb"] + c["Ca"]) / (c["Rb"] + c["Ra"])
    if not 1 / CONTROL_RATIO <= ratio <= CONTROL_RATIO:
        notes.append(
            f"the control holds {ratio:.2g}× the response area's incidents: the WDD subtracts "
            "counts, so it assumes a control with comparable counts (Wheeler & Ratcliffe 2018); "
            "read it with the WDQ, or choose a comparable control perimeter"
        )
    return Evaluation(
        phenomenon,
        full,
        success=q.success,
        buffer_displacement=q.buffer_displacement,
        wdq=q.value,
        wdq_reading=q.reading,
        wdd=d.estimate,
        wdd_se=d.se,
        wdd_z=d.z,
        wdd_p=d.p,
        wdd_ci95=(d.ci_low, d.ci_high),
        wdd_local=d.local,
        wdd_displacement=d.displacement,
        verdict=_verdict(d, q),
        notes=tuple(notes),
    )


def _verdict(d: WDD, q: WDQ) -> str:
    if d.p is not None and d.p < 0.05:
        words = "significant " + ("decrease" if d.estimate < 0 else "increase") + " (p < 0.05)"
    else:
        words = "no significant change"
    return f"{words}; {q.reading}" if q.reading else words


# -- areas -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StudyAreas:
    """R, D, C and D_C (EPSG:31370); ``control_buffer`` is ``None`` with the zone as control."""

    response: BaseGeometry
    buffer: BaseGeometry
    control: BaseGeometry
    control_buffer: BaseGeometry | None
    buffer_m: float

    def in_order(self) -> tuple[BaseGeometry | None, ...]:
        """The geometries in the order of :data:`AREAS` (the precedence on boundaries)."""
        return (self.response, self.buffer, self.control, self.control_buffer)

    def areas_km2(self) -> dict[str, float | None]:
        """Surface of each area in km² (``None`` for an undefined D_C)."""
        return {
            name: (round(geom.area / 1e6, 4) if geom is not None else None)
            for name, geom in zip(AREAS, self.in_order(), strict=True)
        }


def study_areas(
    response: BaseGeometry,
    zone: BaseGeometry,
    *,
    buffer_m: float = 250.0,
    control: BaseGeometry | None = None,
    control_name: str = "the control perimeter",
) -> StudyAreas:
    """Build R, D, C and D_C around ``response`` (see the module docstring).

    Parameters
    ----------
    response
        The response area R (a perimeter), EPSG:31370.
    zone
        The zone outline; D, D_C and the default C are clipped to it.
    buffer_m
        Width of the buffer rings in metres (> 0).
    control
        A control perimeter; ``None`` uses the rest of the zone, ``zone − R.buffer(b)``.
    control_name
        How error messages name ``control``.

    Raises
    ------
    ValueError
        For a buffer width that is not a positive number.
    InvalidControlArea
        When ``control`` overlaps ``R ∪ D`` by more than :data:`OVERLAP_TOLERANCE_M2`, or the
        control area is empty.
    """
    if not math.isfinite(buffer_m) or buffer_m <= 0:
        raise ValueError(f"the buffer must be a positive width in metres, not {buffer_m:g}")
    grown = response.buffer(buffer_m)
    ring = grown.difference(response).intersection(zone)
    if control is None:
        rest = zone.difference(grown)
        if rest.is_empty or rest.area == 0:
            raise InvalidControlArea(
                f"the response area and its {buffer_m:g} m buffer cover the whole zone: "
                "no control area is left; choose a control perimeter or a smaller buffer"
            )
        return StudyAreas(response, ring, rest, None, buffer_m)
    if control.is_empty or control.area == 0:
        raise InvalidControlArea(f"{control_name} is empty")
    overlap = control.intersection(grown).area
    if overlap > OVERLAP_TOLERANCE_M2:
        raise InvalidControlArea(
            f"{control_name} overlaps the response area or its {buffer_m:g} m buffer "
            f"({overlap:,.0f} m²): choose a control area away from it, or a smaller buffer"
        )
    control_ring = control.buffer(buffer_m).difference(control).difference(grown)
    return StudyAreas(response, ring, control, control_ring.intersection(zone), buffer_m)


def area_codes(x: np.ndarray, y: np.ndarray, areas: StudyAreas) -> np.ndarray:
    """Index in :data:`AREAS` of the area each point falls in, ``-1`` for none.

    A point covered by several areas (on a shared boundary) goes to the first in the order
    R, D, C, D_C. Each area tests only the points no earlier area claimed.
    """
    codes = np.full(len(x), -1, dtype=np.int8)
    for code, geom in enumerate(areas.in_order()):
        if geom is None or geom.is_empty:
            continue
        free = np.flatnonzero(codes < 0)
        if not len(free):
            break
        codes[free[covered_mask(x[free], y[free], geom)]] = code
    return codes


# -- the evaluation of a perimeter -----------------------------------------------------------
@dataclass(frozen=True)
class EvaluationReport:
    """The evaluation of one perimeter: its areas, periods and one result per phenomenon.

    Attributes
    ----------
    perimeter
        Name of the response area R.
    control
        ``"zone"`` or the name of the control perimeter.
    buffer_m
        Width of the buffer rings.
    before, after
        The two periods.
    time_weight
        Length of ``before`` in units of ``after`` (1.0 when equal), see :func:`time_weight`.
    areas_km2
        ``R``, ``D``, ``C``, ``DC`` in km².
    results
        One :class:`Evaluation` per phenomenon, by code.
    notes
        Notes on the whole evaluation (zone outline, data coverage, period lengths, D_C).
    """

    perimeter: str
    control: str
    buffer_m: float
    before: DateRange
    after: DateRange
    time_weight: float
    areas_km2: dict[str, float | None]
    results: tuple[Evaluation, ...]
    notes: tuple[str, ...] = field(default=())

    def result(self, phenomenon: str) -> Evaluation:
        """The result of one phenomenon (``KeyError`` when it was not evaluated)."""
        for r in self.results:
            if r.phenomenon == phenomenon:
                return r
        raise KeyError(phenomenon)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document; per phenomenon :meth:`Evaluation.to_dict`."""
        return {
            "perimeter": self.perimeter,
            "control": self.control,
            "buffer_m": self.buffer_m,
            "before": {"from": self.before.start.isoformat(), "to": self.before.end.isoformat()},
            "after": {"from": self.after.start.isoformat(), "to": self.after.end.isoformat()},
            "time_weight": self.time_weight,
            "areas_km2": dict(self.areas_km2),
            "min_response": MIN_RESPONSE,
            "notes": list(self.notes),
            "phenomena": {r.phenomenon: r.to_dict() for r in self.results},
        }


def evaluate(
    store: Store,
    perimeter: str,
    *,
    before: DateRange | str,
    after: DateRange | str,
    control: str = "zone",
    buffer_m: float = 250.0,
    phenomena: Sequence[str] | None = None,
) -> EvaluationReport:
    """Evaluate a perimeter before/after against a control area, with displacement.

    Parameters
    ----------
    store
        Where the zone, perimeters and incidents are.
    perimeter
        Name of the response area R.
    before, after
        The periods (a :class:`DateRange` or ``FROM:TO`` text, see :meth:`DateRange.parse`);
        ``before`` must end before ``after`` starts.
    control
        ``"zone"`` (default: the rest of the zone outside R and its buffer) or the name of a
        perimeter that does not overlap R or its buffer.
    buffer_m
        Width of the buffer rings D and D_C in metres.
    phenomena
        Codes to evaluate (default: every phenomenon in the store).

    Returns
    -------
    EvaluationReport

    Raises
    ------
    InvalidPeriod
        For a period that cannot be read, or periods out of order.
    NotFound
        For an unknown perimeter or phenomenon, or a store without zone and data.
    InvalidControlArea
        For a control perimeter that overlaps R or its buffer (or is R itself).
    """
    before = before if isinstance(before, DateRange) else DateRange.parse(before)
    after = after if isinstance(after, DateRange) else DateRange.parse(after)
    if before.end >= after.start:
        raise InvalidPeriod(
            f"the before period ({before}) must end before the after period ({after}) starts"
        )
    zone = store.zone()
    if zone is None:
        raise NotFound("the store holds no zone outline and no data: import them first")
    shapes = store.perimeters()
    response = _perimeter(shapes, perimeter)
    notes: list[str] = []
    if zone.derived:
        notes.append(
            "no zone outline was imported: the zone is the convex hull of the data, so the "
            "control area and the buffers are clipped to that (mmm import zone)"
        )
    control_geom = None
    if control != "zone":
        if control == perimeter:
            raise InvalidControlArea("the control perimeter cannot be the response area itself")
        control_geom = _perimeter(shapes, control)
    areas = study_areas(
        response,
        zone.geometry,
        buffer_m=buffer_m,
        control=control_geom,
        control_name=f"the control perimeter {control!r}",
    )
    if control_geom is None:
        notes.append(CONTROL_BUFFER_LEFT_OUT)

    codes = _phenomena(store, phenomena)
    incidents = store.incidents()
    notes += _coverage_notes(incidents["occurred"], before, after)
    weight = time_weight(before, after)
    if weight != 1.0:
        notes.append(
            f"the periods differ in length (before {_length(before, after)[0]}, after "
            f"{_length(before, after)[1]}): the WDD compares the before counts scaled to the "
            "after period's length (Wheeler 2021); the WDQ compares within each period"
        )
    table = _count(incidents, codes, before, after, areas)
    results = []
    for i, code in enumerate(codes):
        counts: dict[str, int | None] = {
            f"{area}{when}": int(table[i, a, p])
            for a, area in enumerate(AREAS)
            for p, when in enumerate("ba")
        }
        if control_geom is None:
            counts["DCb"] = counts["DCa"] = None
        results.append(evaluate_counts(counts, phenomenon=code, time_weight=weight))
    return EvaluationReport(
        perimeter=perimeter,
        control=control,
        buffer_m=float(buffer_m),
        before=before,
        after=after,
        time_weight=weight,
        areas_km2=areas.areas_km2(),
        results=tuple(results),
        notes=tuple(notes),
    )


def _perimeter(shapes: pd.DataFrame, name: str) -> BaseGeometry:
    found = shapes[shapes["name"] == name]
    if found.empty:
        names = ", ".join(map(repr, shapes["name"].head(12)))
        more = " …" if len(shapes) > 12 else ""
        known = f": choose one of {names}{more}" if len(shapes) else ": none are stored"
        raise NotFound(f"no perimeter named {name!r}{known}")
    geom: BaseGeometry = found.geometry.iloc[0]
    return geom


def _phenomena(store: Store, wanted: Sequence[str] | None) -> list[str]:
    known = [str(c) for c in store.phenomena()["code"]]
    if not wanted:
        return known
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NotFound(
            f"unknown phenomenon {', '.join(map(repr, unknown))}: choose from {', '.join(known)}"
        )
    return list(dict.fromkeys(wanted))


def _length(before: DateRange, after: DateRange) -> tuple[str, str]:
    if before.months is not None and after.months is not None:
        return f"{before.months} months", f"{after.months} months"
    return f"{before.days} days", f"{after.days} days"


def _coverage_notes(occurred: pd.Series, before: DateRange, after: DateRange) -> list[str]:
    dated = pd.to_datetime(occurred).dropna()
    if dated.empty:
        return ["the store holds no dated incidents"]
    first, last = dated.min().date(), dated.max().date()
    notes = []
    if before.start < first:
        notes.append(
            f"the incidents start on {first}, after the before period starts ({before.start}): "
            "the before counts may be incomplete"
        )
    if after.end > last:
        notes.append(
            f"the incidents end on {last}, before the after period ends ({after.end}): "
            "the after counts may be incomplete"
        )
    return notes


def _count(
    incidents: pd.DataFrame,
    codes: list[str],
    before: DateRange,
    after: DateRange,
    areas: StudyAreas,
) -> np.ndarray:
    """Counts as an array ``(phenomenon, area, period)``; one vectorised pass per area."""
    stamps = pd.to_datetime(incidents["occurred"]).to_numpy(dtype="datetime64[s]")
    period = np.full(len(incidents), -1, dtype=np.int8)
    for p, rng in enumerate((before, after)):
        start = np.datetime64(rng.start, "s")
        stop = np.datetime64(rng.end, "s") + np.timedelta64(1, "D")
        period[(stamps >= start) & (stamps < stop)] = p  # NaT compares False: undated left out
    found, uniques = incidents["phenomenon"].factorize()  # -1 for a missing code
    lookup = np.append(pd.Index(codes).get_indexer(pd.Index(uniques, dtype=object)), -1)
    phen = lookup[found]  # the index in ``codes``, -1 when not evaluated
    keep = np.flatnonzero((period >= 0) & (phen >= 0))
    x = incidents["x"].to_numpy(dtype=float)[keep]
    y = incidents["y"].to_numpy(dtype=float)[keep]
    area = area_codes(x, y, areas).astype(np.int64)
    inside = area >= 0
    n_areas = len(AREAS)
    key = (phen[keep].astype(np.int64) * n_areas + area) * 2 + period[keep]
    flat = np.bincount(key[inside], minlength=len(codes) * n_areas * 2)
    return flat.reshape(len(codes), n_areas, 2)
