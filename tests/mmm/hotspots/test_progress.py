"""A run reports its steps in order, each ``done`` of one ``total`` (a page shows them)."""

from __future__ import annotations

from mmm.hotspots import HotspotOptions, analyse_hotspots
from tests.mmm.hotspots.test_analysis import ZONE, synthetic_incidents


def test_a_run_reports_every_step_in_order() -> None:
    steps: list[tuple[str, int, int]] = []
    options = HotspotOptions(cell_m=100.0, colocation=True, permutations=9)
    result = analyse_hotspots(
        synthetic_incidents(), ZONE, options, lambda *step: steps.append(step)
    )
    codes = [code for code, _done, _total in steps]
    assert codes == [
        "grid",
        "phenomenon:burglary",
        "phenomenon:drugs",
        "phenomenon:nuisance",
        "candidates",
        "colocation",
    ]
    assert [done for _code, done, _total in steps] == list(range(6))
    assert {total for _code, _done, total in steps} == {6}
    assert len(result.layers) == 3


def test_without_a_listener_the_run_is_the_same() -> None:
    options = HotspotOptions(cell_m=100.0)
    heard = analyse_hotspots(synthetic_incidents(), ZONE, options, lambda *step: None)
    quiet = analyse_hotspots(synthetic_incidents(), ZONE, options)
    assert (heard.multi == quiet.multi).all() and heard.candidates.equals(quiet.candidates)
