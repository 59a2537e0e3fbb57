"""Meeting mode: who may run it, the slides, and small counts hidden with partners present."""

from __future__ import annotations

import re

import pytest

from mmm.plans import list_plans
from mmm.store import open_store


def _counts(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r'class="num count">([^<]*)<', html)]


@pytest.mark.parametrize("role", ["partner", "dpo"])
def test_only_staff_run_a_meeting(login, role: str) -> None:
    client = login(role)
    assert client.get("/meeting/").status_code == 403
    assert client.get("/meeting/walk?plan=1").status_code == 403
    assert 'href="/meeting/"' not in client.get("/map").get_data(as_text=True)


def test_the_choice_lists_plans_and_perimeters(login) -> None:
    html = login("officer").get("/meeting/").get_data(as_text=True)
    assert 'name="plan"' in html and 'name="perimeter"' in html
    assert "Veilige Stationsbuurt" in html and "Samen sterk in De Linde" in html


def test_a_walk_shows_one_slide_per_perimeter_without_the_app_navigation(
    login, demo_store_url: str
) -> None:
    plans = {p.perimeter: p.id for p in list_plans(open_store(demo_store_url))}
    shapes = open_store(demo_store_url).perimeters()
    other = int(shapes.loc[~shapes["name"].isin(list(plans)), "id"].iloc[0])
    url = f"/meeting/walk?plan={plans['Stationsbuurt']}&perimeter={other}&partners=0"
    response = login("analyst").get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('<section class="slide') == 2
    assert 'class="top"' not in html  # no app header on the shared screen
    assert html.count("leaflet.js") <= 1 and "meeting.js" in html
    assert "1 / 2" in html and "Lopende acties per partner" in html  # Dutch first
    assert "Preventiedienst Demostad" in html  # an owner of open actions
    assert "&lt;20" not in html


def test_with_partners_in_the_room_small_counts_are_hidden(login, demo_store_url: str) -> None:
    plan = {p.perimeter: p.id for p in list_plans(open_store(demo_store_url))}["Stationsbuurt"]
    client = login("analyst")
    shapes = open_store(demo_store_url).perimeters()
    quiet = int(shapes["id"].iloc[-1])
    staff_only = client.get(f"/meeting/walk?perimeter={quiet}&partners=0").get_data(as_text=True)
    assert any(c.isdigit() and int(c) < 20 for c in _counts(staff_only))
    for query in (f"plan={plan}&perimeter={quiet}", f"plan={plan}&perimeter={quiet}&partners=1"):
        html = client.get(f"/meeting/walk?{query}").get_data(as_text=True)
        for text in _counts(html):
            # released cells hold 20 or more each: a lower bound is 0 (all hidden) or ≥ 20
            assert text.startswith("&lt;") or text in ("—", "≥0") or int(text.lstrip("≥")) >= 20


def test_a_bad_choice_is_answered_clearly(login) -> None:
    client = login("admin")
    assert client.get("/meeting/walk").status_code == 404
    assert client.get("/meeting/walk?plan=9999").status_code == 404
    assert client.get("/meeting/walk?perimeter=abc").status_code == 400


def test_a_passed_evaluation_and_overdue_actions_are_flagged(login, demo_store_url: str) -> None:
    from datetime import date

    from mmm.plans import next_check
    from mmm.present import lateness

    store = open_store(demo_store_url)
    plan = {p.perimeter: p for p in list_plans(store)}["Stationsbuurt"]
    html = login("analyst").get(f"/meeting/walk?plan={plan.id}&partners=0").get_data(as_text=True)
    today = date.today()
    late = lateness(next_check(store, plan.id), today)
    if late is None:
        assert "evaluatie" not in html.split("Volgende evaluatie", 1)[1].split("</p>", 1)[0]
    elif late.months:
        word = "maand" if late.months == 1 else "maanden"
        assert f'<span class="late">evaluatie {late.months} {word} te laat</span>' in html
    overdue = [a for a in plan.open_actions() if lateness(a.ends_on, today)]
    assert html.count('<li class="overdue">') == len(overdue)
