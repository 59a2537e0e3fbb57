"""The dossier and the PDF report their steps to a listener (the page that waits for them)."""

from __future__ import annotations

from datetime import date

from mmm.access.rules import EVERYTHING
from mmm.plans import list_plans
from mmm.present.dossier import perimeter_dossier
from mmm.present.pdf import html_to_pdf
from mmm.settings import load_settings
from mmm.store import Store
from tests.mmm.present.test_dossier import _id, store, store_url  # noqa: F401 (fixtures)


def test_the_dossier_reports_counts_team_and_each_plan(store: Store) -> None:  # noqa: F811
    steps: list[tuple[str, int, int]] = []
    perimeter = _id(store, "Stationsbuurt")
    found = perimeter_dossier(
        store, perimeter, EVERYTHING, today=date(2025, 6, 1), progress=lambda *s: steps.append(s)
    )
    plans = [p for p in list_plans(store) if p.perimeter_id == perimeter]
    assert plans and len(found.plans) == len(plans)
    assert [s[0] for s in steps] == ["counts", "team"] + ["plan"] * len(plans)
    assert [s[1] for s in steps] == list(range(len(steps)))
    assert {s[2] for s in steps[1:]} == {2 + len(plans)}


def test_the_pdf_says_when_it_waits_for_the_printer_and_when_it_prints() -> None:
    steps: list[tuple[str, int, int]] = []
    chromium = load_settings().chromium
    pdf = html_to_pdf("<p>x</p>", chromium=chromium, progress=lambda *s: steps.append(s))
    assert pdf.startswith(b"%PDF")
    assert steps == [("queue", 0, 2), ("print", 1, 2)]
