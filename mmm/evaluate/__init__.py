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
(:func:`mmm.counting.count.covered_mask`), and the counts are one ``bincount``.

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

from mmm.evaluate.areas import InvalidControlArea, StudyAreas, area_codes, study_areas
from mmm.evaluate.periods import DateRange, time_weight
from mmm.evaluate.run import EvaluationReport, evaluate
from mmm.evaluate.statistics import (
    CONTROL_BUFFER_LEFT_OUT,
    COUNT_KEYS,
    MIN_RESPONSE,
    WDD,
    WDQ,
    Evaluation,
    evaluate_counts,
    wdd,
    wdq,
)

__all__ = [
    "CONTROL_BUFFER_LEFT_OUT",
    "COUNT_KEYS",
    "MIN_RESPONSE",
    "WDD",
    "WDQ",
    "DateRange",
    "Evaluation",
    "EvaluationReport",
    "InvalidControlArea",
    "StudyAreas",
    "area_codes",
    "evaluate",
    "evaluate_counts",
    "study_areas",
    "time_weight",
    "wdd",
    "wdq",
]
