"""Editor pages, the perimeter page's history, upload with its report, adopting a hotspot."""

from __future__ import annotations

import io
import json
import re
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from mmm.crs import WORKING_CRS
from mmm.perimeters.geometry import to_geojson
from mmm.store import open_store
from tests.webmap.pages import foreign_urls

X0, Y0 = 171_500.0, 173_500.0


def feature(name: str, size: float = 150.0, **props) -> dict:
    geometry = to_geojson(box(X0, Y0, X0 + size, Y0 + 120))
    return {"type": "Feature", "geometry": geometry, "properties": {"name": name, **props}}


def status_options(page: str) -> list[str]:
    block = re.search(r'<select name="status">(.*?)</select>', page, re.S)
    assert block is not None
    return re.findall(r'<option value="(\w+)"', block.group(1))


def editor_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="editor-data">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def test_the_editor_is_served_with_local_assets_only(login):
    client = login("analyst")
    page = client.get("/perimeters/new").get_data(as_text=True)
    assert foreign_urls(page) == []
    for src in re.findall(r'<script src="([^"]+)"', page):
        assert client.get(src).status_code == 200, src
    data = editor_data(page)
    assert data["perimeter"] is None and len(data["others"]["features"]) >= 10
    assert data["zone"]["type"] in ("Polygon", "MultiPolygon")
    assert status_options(page) == ["proposed", "active"]


def test_officers_get_proposed_only_and_partners_no_editor(login):
    page = login("officer").get("/perimeters/new").get_data(as_text=True)
    assert status_options(page) == ["proposed"]
    assert editor_data(page)["mayArchive"] is False
    for role in ("partner", "dpo"):
        assert login(role).get("/perimeters/new").status_code == 403
        assert login(role).get("/perimeters/1/edit").status_code == 403
    assert login("officer").get("/perimeters/1/edit").status_code == 403  # an active one
    assert login("analyst").get("/perimeters/99999/edit").status_code == 404


def test_history_shows_who_when_and_the_area_change_and_an_earlier_version(login):
    analyst = login("analyst")
    made = analyst.post("/api/perimeters", json=feature("Historiek", status="active"))
    pid = made.get_json()["properties"]["id"]
    analyst.put(
        f"/api/perimeters/{pid}", json=feature("Historiek", 200, status="active", version=1)
    )
    page = analyst.get(f"/perimeters/{pid}").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>", page)
    assert [(v, who) for v, _when, who in rows] == [("2", "analist"), ("1", "analist")]
    # Dutch number format (the analyst's language), each unit kept with its number
    assert "+6.000\u00a0m² (+33,3\u00a0%)" in page
    assert 'id="earlier-version"' not in page
    earlier = analyst.get(f"/perimeters/{pid}?version=1").get_data(as_text=True)
    shown = re.search(r'id="earlier-version">(.*?)</script>', earlier)
    assert shown is not None and json.loads(shown.group(1))["type"] == "Polygon"
    edit = analyst.get(f"/perimeters/{pid}/edit?version=1").get_data(as_text=True)
    assert editor_data(edit)["earlier"]["type"] == "Polygon"
    assert editor_data(edit)["perimeter"]["properties"]["version"] == 2


def test_partners_see_no_history(login, editor_store_url):
    store = open_store(editor_store_url)
    ids = dict(zip(store.perimeters()["name"], store.perimeters()["id"], strict=True))
    page = login("partner").get(f"/perimeters/{ids['Stationsbuurt']}").get_data(as_text=True)
    assert 'id="history"' not in page and 'id="edit-perimeter"' not in page
    analyst_page = login("analyst").get(f"/perimeters/{ids['Stationsbuurt']}")
    assert 'id="edit-perimeter"' in analyst_page.get_data(as_text=True)
    assert (
        login("partner").get(f"/api/perimeters/{ids['Stationsbuurt']}/versions").status_code == 403
    )


def _geojson_file(names: list[str]) -> bytes:
    frame = gpd.GeoDataFrame(
        {"name": names},
        geometry=[
            box(X0 + 300 * i, Y0 + 400, X0 + 300 * i + 200, Y0 + 600) for i in range(len(names))
        ],
        crs=WORKING_CRS,
    ).to_crs(4326)
    return frame.to_json().encode()


def test_upload_shows_the_import_report_and_dry_run_stores_nothing(login, editor_store_url):
    client = login("analyst")
    data = _geojson_file(["Opgeladen 1", "Opgeladen 2", "Stationsbuurt"])
    checked = client.post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(data), "nieuw.geojson"), "dry_run": "y"},
        content_type="multipart/form-data",
    )
    page = checked.get_data(as_text=True)
    assert (
        checked.status_code == 200 and "nieuw.geojson gecontroleerd (niets bewaard)" in page
    )  # nl
    assert "naam al bewaard: 1" in page  # the reason in Dutch (test_upload_words.py)
    assert "Opgeladen 1" not in set(open_store(editor_store_url).perimeters()["name"])
    done = client.post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(data), "nieuw.geojson")},
        content_type="multipart/form-data",
    )
    page = done.get_data(as_text=True)
    assert "nieuw.geojson geïmporteerd" in page
    assert re.search(r"Geïmporteerd</th><td class=\"num\">2<", page)
    store = open_store(editor_store_url)
    ids = dict(zip(store.perimeters()["name"], store.perimeters()["id"], strict=True))
    assert store.perimeter_history(ids["Opgeladen 2"])[0].actor == "web:analist"
    events = store.audit_events()
    assert "import" in set(events[events["entity"] == "perimeters"]["action"])


def test_upload_of_a_zipped_shapefile_and_a_geopackage(login, tmp_path, editor_store_url):
    frame = gpd.GeoDataFrame(
        {"name": ["Shape 1"]}, geometry=[box(X0, Y0 + 900, X0 + 150, Y0 + 1000)], crs=WORKING_CRS
    )
    pyogrio.write_dataframe(frame, tmp_path / "shape.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in tmp_path.glob("shape.*"):
            archive.write(part, part.name)
    client = login("admin")
    zipped = client.post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(buffer.getvalue()), "shape.zip")},
        content_type="multipart/form-data",
    )
    assert "shape.zip geïmporteerd" in zipped.get_data(as_text=True)
    frame["name"] = ["Pakket 1"]
    pyogrio.write_dataframe(frame, tmp_path / "pakket.gpkg")
    gpkg = client.post(
        "/perimeters/upload",
        data={"file": ((tmp_path / "pakket.gpkg").open("rb"), "pakket.gpkg")},
        content_type="multipart/form-data",
    )
    assert "pakket.gpkg geïmporteerd" in gpkg.get_data(as_text=True)
    assert {"Shape 1", "Pakket 1"} <= set(open_store(editor_store_url).perimeters()["name"])


def test_upload_refusals_and_roles(login):
    client = login("analyst")
    wrong = client.post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(b"x"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 400 and "gezipte Shapefile" in wrong.get_data(as_text=True)
    broken = client.post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(b"{not json"), "kapot.geojson")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 400 and "kan niet gelezen worden" in broken.get_data(as_text=True)
    for role in ("officer", "partner", "dpo"):
        assert login(role).get("/perimeters/upload").status_code == 403


@pytest.mark.parametrize(
    ("role", "candidate"), [("analyst", "Kandidaat 1"), ("officer", "Kandidaat 3")]
)
def test_adopting_a_hotspot_candidate_makes_a_proposed_perimeter(
    login, editor_store_url, role, candidate
):
    client = login(role)
    query = "from=2025-01&to=2025-12"
    page = client.get(f"/hotspots?{query}").get_data(as_text=True)
    assert 'id="adopt-0"' in page  # the table's form
    assert 'form=\\"adopt-0\\"' in page  # the popup's button (inside the map's JSON)
    assert "mmm import perimeters" not in page  # the page adopts; no command to run
    before = len(open_store(editor_store_url).perimeters())
    # the demo's perimeters lie on its hotspots: the overlap is said, linked, nothing stored yet
    asked = client.post(f"/hotspots/adopt?{query}", data={"candidate": candidate})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 409 and f"{candidate} overlapt met bestaande perimeters" in text
    assert re.search(r'<td><a href="/perimeters/\d+">[^<]+</a></td>', text)
    assert 'name="despite" value="1"' in text  # not the same place: may be adopted anyway
    assert len(open_store(editor_store_url).perimeters()) == before
    response = client.post(
        f"/hotspots/adopt?{query}", data={"candidate": candidate, "despite": "1"}
    )
    assert response.status_code == 302 and re.search(r"/perimeters/\d+/edit$", response.location)
    pid = int(response.location.split("/")[-2])
    saved = open_store(editor_store_url).perimeter_history(pid)
    assert saved[0].fields.status == "proposed" and saved[0].fields.name == candidate
    assert saved[0].actor == f"web:{'analist' if role == 'analyst' else 'wijkinspecteur'}"
    description = saved[0].fields.description  # in the adopter's words, no codes
    assert description.startswith("Meervoudige hotspot (") and "_" not in description
    missing = client.post(f"/hotspots/adopt?{query}", data={"candidate": "Kandidaat 999"})
    assert missing.status_code == 404


def test_adopting_the_same_candidate_again_links_the_first_and_makes_no_copy(
    login, editor_store_url
):
    client = login("admin")
    query = "from=2025-01&to=2025-12"
    first = client.post(
        f"/hotspots/adopt?{query}", data={"candidate": "Kandidaat 2", "despite": "1"}
    )
    assert first.status_code == 302
    pid = int(first.location.split("/")[-2])
    for form in ({"candidate": "Kandidaat 2"}, {"candidate": "Kandidaat 2", "despite": "1"}):
        again = client.post(f"/hotspots/adopt?{query}", data=form)
        text = again.get_data(as_text=True)
        assert again.status_code == 409
        assert "dezelfde plaats als de perimeter Kandidaat 2" in text
        assert f'<a href="/perimeters/{pid}">Kandidaat 2</a>' in text
        assert f'href="/perimeters/{pid}/edit"' in text and 'name="despite"' not in text
    names = list(open_store(editor_store_url).perimeters()["name"])
    assert names.count("Kandidaat 2") == 1 and "Kandidaat 2 (2)" not in names
    assert (
        login("partner").post(f"/hotspots/adopt?{query}", data={"candidate": "x"}).status_code
        == 403
    )
