"""Who does what: the matrix per role, co-partners only where shared, admin edits, CSV."""

from __future__ import annotations

import io

import pandas as pd

from mmm.store import open_store


def test_matrix_for_staff_shows_every_partner(login):
    page = login("officer").get("/partners/").get_data(as_text=True)
    for name in ("Preventiedienst Demostad", "OCMW Demostad", "Basisschool Sint-Jan"):
        assert name in page
    assert "Sociale woonwijk De Linde" in page
    assert 'action="/partners/assign"' not in page  # editing is for admins


def test_partner_sees_co_partners_only_where_it_works_itself(login):
    page = login("partner").get("/partners/").get_data(as_text=True)
    assert "Preventiedienst Demostad" in page
    assert "OCMW Demostad" in page  # co-partner on Stationsbuurt × drugs
    assert "Woonmaatschappij De Linde" not in page  # works only where the partner does not
    assert "Basisschool Sint-Jan" not in page
    assert "Sociale woonwijk De Linde" not in page
    table = pd.read_csv(io.BytesIO(login("partner").get("/partners/who-does-what.csv").data))
    assert set(table["perimeter"]) == {"Stationsbuurt", "Stadspark", "Winkelstraat"}
    assert set(table["partner"]) == {
        "Preventiedienst Demostad",
        "OCMW Demostad",
        "Handelaarsvereniging Centrum",
    }


def test_admin_adds_a_partner_and_an_assignment_then_removes_it(login, demo_store_url):
    admin = login("admin")
    page = admin.get("/partners/").get_data(as_text=True)
    assert 'action="/partners/assign"' in page
    response = admin.post(
        "/partners/add",
        data={
            "name": "Straathoekwerk Demostad",
            "type": "street_work",
            "contact": "shw@demostad.example",
        },
    )
    assert response.status_code == 302
    data = {
        "partner": "Straathoekwerk Demostad",
        "perimeter": "Stadspark",
        "phenomenon": "drugs",
        "responsibility": "contributes",
        "description": "outreach",
    }
    admin.post("/partners/assign", data=data)
    store = open_store(demo_store_url)
    from mmm.access.partners import assignments

    mine = assignments(store).query("partner == 'Straathoekwerk Demostad'")
    assert mine[["perimeter", "phenomenon", "responsibility"]].values.tolist() == [
        ["Stadspark", "drugs", "contributes"]
    ]
    admin.post(
        "/partners/unassign", data={k: data[k] for k in ("partner", "perimeter", "phenomenon")}
    )
    assert assignments(store).query("partner == 'Straathoekwerk Demostad'").empty
    store.close()


def test_a_refused_edit_is_a_message_and_changes_nothing(login, demo_store_url):
    admin = login("admin")
    admin.post("/partners/add", data={"name": "Bad Mail", "type": "school", "contact": "nope"})
    page = admin.get("/partners/").get_data(as_text=True)
    assert "is geen e-mailadres (gebruik dat van de organisatie)" in page  # in Dutch
    store = open_store(demo_store_url)
    from mmm.access.partners import partners

    assert "Bad Mail" not in set(partners(store)["name"])
    store.close()


def test_only_admins_edit(login):
    for role in ("analyst", "officer", "partner"):
        client = login(role)
        assert client.post("/partners/add", data={"name": "X", "type": "school"}).status_code == 403
        assert client.post("/partners/assign", data={}).status_code == 403
        assert client.post("/partners/unassign", data={}).status_code == 403
