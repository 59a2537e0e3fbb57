"""The Weighted Displacement Quotient and the Weighted Displacement Difference test.

References and readings: see :mod:`mmm.evaluate`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scipy.stats import norm

#: Fewest incidents in R (before + after) for a figure to be shown: below it the normal
#: approximation of the Poisson counts behind the WDD z-score is poor (Wheeler & Ratcliffe
#: 2018 warn against very small counts) and one incident more or less swings the WDQ.
MIN_RESPONSE = 20
#: A control holding more than this many times R's incidents (or less than its inverse) gets a
#: note: the WDD subtracts counts, so it assumes a control with comparable counts.
CONTROL_RATIO = 3.0
#: The eight counts, in the order they are printed.
COUNT_KEYS = ("Rb", "Ra", "Db", "Da", "Cb", "Ca", "DCb", "DCa")
_Z95 = float(norm.ppf(0.975))


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
