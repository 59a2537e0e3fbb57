"""The figure a partner is shown: "<5", "≥M" from released cells only, and no change from a bound."""

from __future__ import annotations

from mmm.access.disclosure import NOTHING, Figure, aggregate, change


def test_a_figure_says_how_it_is_known() -> None:
    assert [f.text for f in (Figure("exact", 12), Figure("at_least", 12))] == ["12", "≥12"]
    assert [f.text for f in (Figure("below", 5), Figure("withheld", 0))] == ["<5", "×"]
    assert [f.number for f in (Figure("exact", 3), Figure("at_least", 3))] == [3, None]
    shades = [Figure(kind, 7).shade for kind in ("exact", "at_least", "below", "withheld")]
    assert shades == [7, 7, -1, -1] and Figure("at_least", 0).shade == -1


def test_a_sum_is_exact_only_when_every_cell_is_released() -> None:
    assert aggregate([Figure("exact", 18), Figure("exact", 7)]) == Figure("exact", 25)
    hidden = aggregate([Figure("exact", 18), Figure("exact", 7), Figure("below", 5)])
    assert hidden == Figure("at_least", 25)  # December = 4 is not "29 − 25"
    assert aggregate([Figure("withheld", 0), Figure("exact", 40)]) == Figure("at_least", 40)
    assert aggregate([Figure("below", 5), Figure("below", 5)]) == Figure("at_least", 0)
    assert aggregate([Figure("below", 10)]) == Figure("below", 10)  # one cell is itself
    assert aggregate([]) == NOTHING


def test_two_ranges_that_differ_by_a_hidden_month_give_nothing_back() -> None:
    oct_, nov, dec = Figure("exact", 18), Figure("exact", 7), Figure("below", 5)
    longer, shorter = aggregate([nov, dec]), aggregate([nov])
    assert (longer.value - shorter.value, longer.exact) == (0, False)
    quarter = aggregate([oct_, nov, dec])
    assert quarter.value - oct_.value - nov.value == 0


def test_a_change_needs_two_exact_figures() -> None:
    found = change(Figure("exact", 12), Figure("exact", 16))
    assert found is not None and (found.difference, found.percent) == (-4, -25.0)
    new = change(Figure("exact", 3), Figure("exact", 0))
    assert new is not None and new.percent is None
    assert change(Figure("at_least", 0), Figure("exact", 18)) is None  # no "−18 (−100 %)"
    assert change(Figure("exact", 20), Figure("below", 5)) is None
