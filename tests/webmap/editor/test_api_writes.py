"""The perimeter write API: every status code of its contract, on a demo store of its own."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import MultiPolygon, box

from mmm.demo import DEMO_PASSWORD
from mmm.perimeters.geometry import to_geojson
from mmm.store import open_store
from tests.webmap.conftest import make_app

X0, Y0 = 171_500.0, 173_500.0  # inside the demo zone (EPSG:31370)


def feature(name: str, geom=None, **props) -> dict:
    geometry = to_geojson(geom if geom is not None else box(X0, Y0, X0 + 150, Y0 + 120))
    return {"type": "Feature", "geometry": geometry, "properties": {"name": name, **props}}


def test_post_creates_version_one_with_counts_and_overlaps(login, editor_store_url):
    client = login("analyst")
    response = client.post("/api/perimeters", json=feature("Nieuw plein", status="active"))
    assert response.status_code == 201
    body = response.get_json()
    pid = body["properties"]["id"]
    assert response.headers["Location"].endswith(f"/api/perimeters/{pid}")
    assert body["properties"]["version"] == 1 and body["properties"]["status"] == "active"
    assert body["properties"]["area_m2"] == pytest.approx(18_000, rel=1e-3)
    assert body["properties"]["changed_by"] == "analist"
    assert re.fullmatch(r"\d{4}-\d{2}", body["counts"]["from"])
    assert sum(r["count"] for r in body["counts"]["rows"]) > 0
    store = open_store(editor_store_url)
    stored = store.perimeters().set_index("id").loc[pid]
    assert stored["name"] == "Nieuw plein" and stored.geometry.area == pytest.approx(18_000, 1e-3)
    assert client.get(f"/api/perimeters/{pid}").get_json()["properties"]["version"] == 1


def test_overlap_with_another_perimeter_is_allowed_and_reported(login, editor_store_url):
    store = open_store(editor_store_url)
    other = store.perimeters().iloc[0]
    inside = other.geometry.representative_point()
    geom = box(inside.x - 60, inside.y - 60, inside.x + 60, inside.y + 60)
    response = login("analyst").post("/api/perimeters", json=feature("Overlappend", geom))
    assert response.status_code == 201
    overlaps = {o["name"]: o["shared_m2"] for o in response.get_json()["overlaps"]}
    # the drawing travels as lon/lat with 6 decimals: its vertices move by up to ~0.06 m
    expected = geom.intersection(other.geometry).area
    assert overlaps[other["name"]] == pytest.approx(expected, rel=2e-3)


def test_put_saves_version_two_and_a_stale_put_gets_409_keeping_the_first(login):
    analyst, admin = login("analyst"), login("admin")
    made = analyst.post("/api/perimeters", json=feature("Conflict", status="active")).get_json()
    url = f"/api/perimeters/{made['properties']['id']}"
    bigger = box(X0, Y0, X0 + 200, Y0 + 120)
    first = analyst.put(url, json=feature("Conflict", bigger, status="active", version=1))
    assert first.status_code == 200 and first.get_json()["properties"]["version"] == 2
    second = admin.put(url, json=feature("Conflict", status="active", version=1))
    assert second.status_code == 409
    refusal = second.get_json()
    assert refusal["reason"].startswith("changed by analist at ")
    assert refusal["reason"].endswith("— reload")
    assert (refusal["version"], refusal["changed_by"]) == (2, "analist")
    now = admin.get(url).get_json()
    assert now["properties"]["version"] == 2
    assert analyst.get(f"{url}/versions").get_json()["features"][-1]["properties"][
        "area_m2"
    ] == pytest.approx(24_000, rel=1e-3)


def test_bow_tie_gets_422_with_the_crossing_point(login):
    x, y = X0, Y0
    web = to_geojson(box(x, y, x + 100, y + 100))["coordinates"][0]
    bow_tie = {"type": "Polygon", "coordinates": [[web[0], web[2], web[1], web[3], web[0]]]}
    body = {"type": "Feature", "geometry": bow_tie, "properties": {"name": "Strik"}}
    response = login("analyst").post("/api/perimeters", json=body)
    assert response.status_code == 422
    refusal = response.get_json()
    assert refusal["code"] == "bow_tie"  # the reason in the user's language (Dutch here)
    assert refusal["reason"].startswith("De omtrek kruist zichzelf")
    lon, lat = refusal["point"]
    assert lon == pytest.approx((web[0][0] + web[2][0]) / 2, abs=2e-5)
    assert lat == pytest.approx((web[0][1] + web[2][1]) / 2, abs=2e-5)


@pytest.mark.parametrize(
    "body,reason",
    [
        ({"type": "FeatureCollection"}, "send one GeoJSON Feature"),
        (feature(""), "give the perimeter a name"),
        (feature("X", status="approved"), "status must be one of"),
        (feature("X", start_date="1/3/2025"), "start_date must be a date"),
        (feature("Klein", box(X0, Y0, X0 + 5, Y0 + 5)), "kleiner dan het minimum van 100 m²"),
        (feature("Ver", box(X0 + 30_000, Y0, X0 + 30_100, Y0 + 100)), "km buiten de zone"),
    ],
)
def test_refused_properties_and_geometries_get_422_with_a_reason(login, body, reason):
    response = login("analyst").post("/api/perimeters", json=body)
    assert response.status_code == 422 and reason in response.get_json()["reason"]


def test_swapped_coordinates_get_422_naming_the_swap(login):
    body = feature("Omgedraaid")
    body["geometry"]["coordinates"] = [[c[::-1] for c in body["geometry"]["coordinates"][0]]]
    response = login("analyst").post("/api/perimeters", json=body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "outside_zone_swapped"
    assert "lengte- en breedtegraad lijken omgewisseld" in response.get_json()["reason"]


def test_put_without_version_duplicate_name_and_unknown_id(login):
    client = login("analyst")
    made = client.post("/api/perimeters", json=feature("Eerste")).get_json()
    client.post("/api/perimeters", json=feature("Tweede"))
    url = f"/api/perimeters/{made['properties']['id']}"
    missing = client.put(url, json=feature("Eerste"))
    assert missing.status_code == 422 and "version" in missing.get_json()["reason"]
    taken = client.put(url, json=feature("Tweede", version=1))
    assert taken.status_code == 422 and "exists already" in taken.get_json()["reason"]
    assert client.put("/api/perimeters/99999", json=feature("Z", version=1)).status_code == 404
    dup = client.post("/api/perimeters", json=feature("Eerste"))
    assert dup.status_code == 422


def test_officer_proposes_only_partner_and_dpo_cannot_edit(login):
    officer = login("officer")
    refused = officer.post("/api/perimeters", json=feature("Voorstel", status="active"))
    assert refused.status_code == 403 and "proposed" in refused.get_json()["reason"]
    proposed = officer.post("/api/perimeters", json=feature("Voorstel"))
    assert proposed.status_code == 201
    assert proposed.get_json()["properties"]["status"] == "proposed"
    pid = proposed.get_json()["properties"]["id"]
    again = officer.put(f"/api/perimeters/{pid}", json=feature("Voorstel 2", version=1))
    assert again.status_code == 200
    active = login("analyst").put(
        f"/api/perimeters/{pid}", json=feature("Voorstel 2", status="active", version=2)
    )
    assert active.status_code == 200
    locked = officer.put(f"/api/perimeters/{pid}", json=feature("Voorstel 3", version=3))
    assert locked.status_code == 403 and "only an analyst" in locked.get_json()["reason"]
    for role in ("partner", "dpo"):
        client = login(role)
        assert client.post("/api/perimeters", json=feature(f"Van {role}")).status_code == 403
        put = client.put(f"/api/perimeters/{pid}", json=feature("X", version=3))
        assert put.status_code == 403


def test_writes_need_a_login_and_the_csrf_header(app, editor_store_url):
    anonymous = app.test_client()
    assert anonymous.post("/api/perimeters", json=feature("Anoniem")).status_code == 401
    assert anonymous.put("/api/perimeters/1", json=feature("Anoniem")).status_code == 401
    csrf_app = make_app(editor_store_url, WTF_CSRF_ENABLED=True)
    # the login check comes first: no session → 401, whether or not a token is sent
    assert (
        csrf_app.test_client().post("/api/perimeters", json=feature("Anoniem")).status_code == 401
    )
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)
    assert token is not None
    data = {"name": "analist", "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=data).status_code == 302
    page = client.get("/perimeters/new").get_data(as_text=True)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert meta is not None
    without = client.post("/api/perimeters", json=feature("Zonder token"))
    assert without.status_code == 400 and without.is_json
    with_token = client.post(
        "/api/perimeters", json=feature("Met token"), headers={"X-CSRFToken": meta.group(1)}
    )
    assert with_token.status_code == 201


def test_every_write_is_audited(login, editor_store_url):
    client = login("analyst")
    made = client.post("/api/perimeters", json=feature("Geaudit", status="active")).get_json()
    pid = made["properties"]["id"]
    archived = feature("Geaudit", status="archived", version=1)
    archived["geometry"] = None  # a PUT without geometry keeps the stored one
    done = client.put(f"/api/perimeters/{pid}", json=archived)
    assert done.status_code == 200
    assert done.get_json()["geometry"] == made["geometry"]
    assert done.get_json()["properties"]["status"] == "archived"
    events = open_store(editor_store_url).audit_events()
    mine = events[(events["entity"] == "perimeter") & (events["entity_id"] == str(pid))]
    assert list(mine["action"]) == ["create", "archive"]
    assert set(mine["actor"]) == {"web:analist"}
    page = login("admin").get("/audit/?action=archive").get_data(as_text=True)
    assert "gearchiveerd" in page and f'<a href="/perimeters/{pid}">Geaudit</a>' in page
    # the zone map leaves an archived perimeter out; its own page stays
    assert "Geaudit" not in client.get("/map").get_data(as_text=True)
    assert client.get(f"/perimeters/{pid}").status_code == 200


def test_split_a_part_off_into_a_new_perimeter_in_one_go(login, editor_store_url):
    client = login("analyst")
    two = MultiPolygon([box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 300, Y0, X0 + 400, Y0 + 150)])
    made = client.post("/api/perimeters", json=feature("Twee delen", two, status="active"))
    pid = made.get_json()["properties"]["id"]
    url = f"/api/perimeters/{pid}/split"
    one_part = client.post("/api/perimeters", json=feature("Een deel")).get_json()
    single = client.post(f"/api/perimeters/{one_part['properties']['id']}/split",
                         json={"version": 1, "part": 0, "name": "X"})  # fmt: skip
    assert single.status_code == 422 and "one part" in single.get_json()["reason"]
    assert client.post(url, json={"version": 1, "part": 5, "name": "X"}).status_code == 422
    done = client.post(url, json={"version": 1, "part": 1, "name": "Afgesplitst"})
    assert done.status_code == 201
    body = done.get_json()
    assert body["kept"]["properties"]["version"] == 2
    assert body["kept"]["geometry"]["type"] == "Polygon"
    assert body["new"]["properties"]["name"] == "Afgesplitst"
    assert body["new"]["properties"]["status"] == "active"
    assert body["new"]["properties"]["area_m2"] == pytest.approx(15_000, rel=2e-3)
    assert done.headers["Location"].endswith(f"/api/perimeters/{body['new']['properties']['id']}")
    stale = client.post(url, json={"version": 1, "part": 0, "name": "Nog een"})
    assert stale.status_code == 409
    names = set(open_store(editor_store_url).perimeters()["name"])
    assert "Afgesplitst" in names and "Nog een" not in names
    assert (
        login("partner").post(url, json={"version": 2, "part": 0, "name": "P"}).status_code == 403
    )
