"""The plans blueprint: every route per role, writing a plan and its PDCA steps through the
forms, stale edits, the survey upload, and what a partner sees."""

from __future__ import annotations

import io
import re

import pytest

from mmm.plans import cycles, get_plan, list_plans
from mmm.store import open_store

ROUTES = {  # route → roles that get 200 (the others 403)
    "/plans/": {"admin", "analyst", "officer", "partner"},
    "/plans/new": {"admin", "analyst"},
    "/plans/surveys": {"admin", "analyst"},
}


def _plan_ids(url: str) -> dict[str, int]:
    store = open_store(url)
    ids = {p.perimeter: p.id for p in list_plans(store)}
    store.close()
    return ids


@pytest.mark.parametrize("role", ["admin", "analyst", "officer", "partner", "dpo"])
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_route_by_role(login, role, route):
    assert login(role).get(route).status_code == (200 if role in ROUTES[route] else 403)


@pytest.mark.parametrize("role", ["admin", "analyst", "officer", "partner", "dpo"])
def test_plan_page_by_role(login, demo_store_url, role):
    ids = _plan_ids(demo_store_url)
    station, linde = ids["Stationsbuurt"], ids["Sociale woonwijk De Linde"]
    client = login(role)
    expected = {"dpo": (403, 403), "partner": (200, 404)}.get(role, (200, 200))
    assert (client.get(f"/plans/{station}").status_code,
            client.get(f"/plans/{linde}").status_code) == expected  # fmt: skip
    edit = client.get(f"/plans/{station}/edit").status_code
    assert edit == (200 if role in {"admin", "analyst"} else 403)


def test_plan_page_shows_monitoring_targets_and_the_pdca_timeline(login, demo_store_url):
    station = _plan_ids(demo_store_url)["Stationsbuurt"]
    page = login("analyst").get(f"/plans/{station}").get_data(as_text=True)
    assert "Veilige Stationsbuurt" in page
    assert 'id="chart-incidents"' in page and 'id="chart-survey"' in page  # side by side
    assert "Straatroof −20 % tegenover de basislijn" in page
    assert "Cyclus 1" in page and "Cyclus 2" in page  # Dutch by default
    assert "WDQ" in page and "Rb" in page  # the stored Check, with the eight counts
    assert "Minder straatroof" in page  # the Act's findings
    assert "Politiezone Demostad" in page and "Preventiedienst Demostad" in page
    assert 'src="/static/vendor/' in page and "cdn" not in page.lower()


def test_officer_records_actions_but_not_plans(login, demo_store_url):
    station = _plan_ids(demo_store_url)["Stationsbuurt"]
    officer = login("officer")
    page = officer.get(f"/plans/{station}").get_data(as_text=True)
    assert "Actie toevoegen" in page and "Streefwaarde toevoegen" not in page
    data = {"title": "Buurtwandeling met bewoners", "approach": "communication",
            "owner": "Politiezone Demostad", "starts_on": "2025-09-01",
            "ends_on": "2025-09-30", "status": "planned"}  # fmt: skip
    response = officer.post(f"/plans/{station}/actions", data=data)
    assert response.status_code == 302
    store = open_store(demo_store_url)
    titles = [a.title for a in get_plan(store, station).actions]
    audit = store.audit_events().query("entity == 'plan_action'").iloc[-1]
    store.close()
    assert "Buurtwandeling met bewoners" in titles
    assert audit["actor"] == "web:wijkinspecteur" and audit["action"] == "create"
    assert officer.post(f"/plans/{station}/indicators", data={}).status_code == 403
    assert officer.post(f"/plans/{station}/cycles", data={}).status_code == 403


def test_write_a_plan_and_walk_a_cycle_through_the_forms(login, demo_store_url):
    analyst = login("analyst")
    form = {
        "perimeter": "Stadspark", "zvp_period": "2020-2025", "title": "Zomer in het park",
        "starts_on": "2025-01-01", "ends_on": "2025-12-31", "status": "active",
        "phenomena": ["drugs", "public_nuisance"], "problem": "Overlast op zomeravonden",
    }  # fmt: skip
    response = analyst.post("/plans/new", data=form)
    assert response.status_code == 302
    plan_id = int(response.headers["Location"].rsplit("/", 1)[1])
    # a second plan for the same perimeter and ZVP period is refused, nothing stored
    again = analyst.post("/plans/new", data={**form, "title": "Dubbel"})
    assert again.status_code == 200 and "heeft al een actieplan voor ZVP" in again.get_data(
        as_text=True
    )
    edit = {**form, "title": "Zomer in het Stadspark", "version": "1"}
    assert analyst.post(f"/plans/{plan_id}/edit", data=edit).status_code == 302
    stale = analyst.post(f"/plans/{plan_id}/edit", data={**edit, "title": "Oud", "version": "1"})
    assert stale.status_code == 409 and "Iemand anders heeft dit gewijzigd" in stale.get_data(
        as_text=True
    )
    cycle = {"period_start": "2025-01-01", "period_end": "2025-06-30",
             "planned_check": "2025-07-10", "control": "zone", "buffer_m": "250"}  # fmt: skip
    assert analyst.post(f"/plans/{plan_id}/cycles", data=cycle).status_code == 302
    store = open_store(demo_store_url)
    cycle_id = cycles(store, plan_id)[0].id
    store.close()
    base = f"/plans/{plan_id}/cycles/{cycle_id}"
    analyst.post(f"{base}/close", data={"on": "2025-07-20", "version": "1"})  # refused: no Check
    analyst.post(f"{base}/start", data={"on": "2025-01-02", "version": "1"})
    analyst.post(f"{base}/check", data={"on": "2025-07-10", "version": "2"})
    act = {"on": "2025-07-15", "version": "3", "findings": "Minder overlast", "adjustments": ""}
    login("officer").post(f"{base}/act", data=act)  # officers record the findings
    analyst.post(f"{base}/close", data={"on": "2025-07-20", "version": "4"})
    store = open_store(demo_store_url)
    done = cycles(store, plan_id)[0]
    plan = get_plan(store, plan_id)
    steps = store.audit_events().query(
        "entity == 'plan_cycle' and entity_id == @cycle_id.__str__()"
    )
    store.close()
    assert plan.title == "Zomer in het Stadspark" and plan.version == 2
    assert done.status == "closed" and done.findings == "Minder overlast"
    assert set(done.evaluation["phenomena"]) == {"drugs", "public_nuisance"}
    assert steps["action"].tolist() == ["create", "do", "check", "act", "closed"]
    assert steps["actor"].tolist()[3] == "web:wijkinspecteur"


def test_survey_upload_reports_rejected_rows(login, demo_store_url):
    csv = (
        "perimeter;period;indicator;value;unit;respondents\n"
        "Stadspark;2025;feeling_unsafe;41;percent;88\n"
        "Nergens;2025;feeling_unsafe;41;percent;88\n"
        "Stadspark;2025;satisfaction_neighbourhood;140;percent;88\n"
    )
    data = {"file": (io.BytesIO(csv.encode()), "enquete.csv")}
    response = login("analyst").post(
        "/plans/surveys", data=data, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 van 3 rijen ingevoerd." in page  # Dutch by default
    rejected = re.search(r'<table class="data rejected">(.*?)</table>', page, re.S).group(1)
    assert "Nergens" in rejected and "0–100" in rejected
    store = open_store(demo_store_url)
    events = store.audit_events().query("entity == 'survey_results'")
    store.close()
    assert (
        events.iloc[-1]["actor"] == "web:analist" and '"imported": 1' in events.iloc[-1]["detail"]
    )
    bad = login("analyst").post(
        "/plans/surveys", data={"file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert bad.status_code == 400 and "missing columns" in bad.get_data(as_text=True)


def test_partner_sees_only_its_plan_phenomena_with_small_counts_suppressed(login, demo_store_url):
    ids = _plan_ids(demo_store_url)
    partner = login("partner")  # Preventiedienst: drugs and public nuisance in Stationsbuurt
    listing = partner.get("/plans/").get_data(as_text=True)
    assert "Veilige Stationsbuurt" in listing and "Samen sterk in De Linde" not in listing
    page = partner.get(f"/plans/{ids['Stationsbuurt']}").get_data(as_text=True)
    assert "Straatroof" not in page  # a phenomenon of the plan it is not assigned to
    assert "Drugs" in page and "Overlast" in page
    months = re.search(r'<table class="data months">(.*?)</table>', page, re.S).group(1)
    for value in re.findall(r'<td class="num">(.*?)</td>', months):
        assert value.startswith("&lt;") or int(value) >= 5, value
    assert "&lt;5" in page  # the complaints count of 3 in the survey table
    assert ">3<" not in page.replace(" ", "")
    assert "DCb" not in page and "WDD" not in page  # no zone counts of the Check
    assert "Bewerken" not in page and '<form method="post" class="stack"' not in page


def test_an_action_target_or_cycle_of_another_plan_is_not_changed_through_this_one(
    login, demo_store_url
):
    ids = _plan_ids(demo_store_url)
    station, linde = ids["Stationsbuurt"], ids["Sociale woonwijk De Linde"]
    store = open_store(demo_store_url)
    action = get_plan(store, linde).actions[0]
    cycle = cycles(store, linde)[-1]
    analyst = login("analyst")  # (a login is audited too)
    events = len(store.audit_events())
    status = {"status": "cancelled", "version": str(action.version)}
    assert analyst.post(f"/plans/{station}/actions/{action.id}", data=status).status_code == 404
    step = {"on": "2025-12-01", "version": str(cycle.version)}
    assert analyst.post(f"/plans/{station}/cycles/{cycle.id}/close", data=step).status_code == 404
    assert analyst.post(f"/plans/{station}/indicators/999999/remove", data={}).status_code == 404
    assert get_plan(store, linde).actions[0] == action
    assert len(store.audit_events()) == events
    store.close()


@pytest.mark.parametrize("role", ["analyst", "officer", "partner"])
def test_plan_page_links_its_report_dossier_and_meeting_mode(login, demo_store_url, role):
    station = _plan_ids(demo_store_url)["Stationsbuurt"]
    client = login(role)
    page = client.get(f"/plans/{station}").get_data(as_text=True)
    assert f'href="/reports/plans/{station}"' in page
    staff = role != "partner"
    assert ('name="purpose"' in page and "/dossier.html" in page) == staff
    assert ('href="/meeting/"' in client.get("/plans/").get_data(as_text=True)) == staff


def test_analysts_adjust_a_target_from_the_plan_page(login, demo_store_url):
    from mmm.plans import indicators

    station = _plan_ids(demo_store_url)["Stationsbuurt"]
    store = open_store(demo_store_url)
    target = indicators(store, station)[0]
    store.close()
    analyst = login("analyst")
    page = analyst.get(f"/plans/{station}").get_data(as_text=True)
    url = f"/plans/{station}/indicators/{target.id}"
    assert f'action="{url}"' in page
    data = {"label": target.label, "target": "-35", "deadline": str(target.deadline),
            "version": str(target.version)}  # fmt: skip
    assert login("officer").post(url, data=data).status_code == 403
    assert analyst.post(url, data=data).status_code == 302
    store = open_store(demo_store_url)
    after = next(i for i in indicators(store, station) if i.id == target.id)
    store.close()
    assert (after.target, after.version) == (-35.0, target.version + 1)
    stale = analyst.post(url, data={**data, "target": "-50"}, follow_redirects=True)
    assert 'class="flash error"' in stale.get_data(as_text=True)


def test_an_incomplete_form_is_reported_not_ignored(login, demo_store_url):
    station = _plan_ids(demo_store_url)["Stationsbuurt"]
    store = open_store(demo_store_url)
    action = get_plan(store, station).actions[0]
    store.close()
    page = login("analyst").post(
        f"/plans/{station}/actions/{action.id}", data={"status": "done"}, follow_redirects=True
    )  # no version: the form is refused with a message, and nothing changes
    assert 'class="flash error"' in page.get_data(as_text=True)
    store = open_store(demo_store_url)
    assert get_plan(store, station).actions[0] == action
    store.close()
