"""The web app's bounds (mmm.limits): month ranges, request size, JSON bodies, text fields,
vertices, uploads, CSV downloads. Each case here was a 500, a minutes-long request or a stored
oddity before; each is now a 4xx with a translated reason."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from mmm.access.partners import add_partner, assign, partners
from mmm.demo import DEMO_PASSWORD
from mmm.perimeters.geometry import to_geojson
from mmm.store import open_store
from tests.webmap.conftest import make_app
from webmap.hotspots.forms import InvalidParameter, parse_form


# -- month ranges ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/perimeters/1", "/map", "/hotspots"])
def test_a_range_of_ten_thousand_years_is_a_quick_400_naming_the_months(login, path) -> None:
    role = "analyst" if path == "/hotspots" else "partner"
    response = login(role).get(f"{path}?from=0001-01&to=9999-12")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Kies maanden van 2023-01 tot 2025-12" in page, page  # the demo users read Dutch


def test_a_range_in_the_data_still_works(login) -> None:
    assert login("partner").get("/perimeters/1?from=2023-01&to=2025-12").status_code in (200, 404)
    assert login("analyst").get("/map?from=2023-01&to=2025-12").status_code == 200


# -- request size and JSON bodies -----------------------------------------------------------
@pytest.fixture
def small_app(demo_store_url: str) -> Flask:
    return make_app(demo_store_url, MAX_CONTENT_LENGTH=64 * 1024)


def _logged_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"name": name, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_a_body_over_the_limit_is_413_with_a_reason(small_app: Flask) -> None:
    client = _logged_in(small_app, "analist")
    body = json.dumps({"type": "Feature", "properties": {"description": "x" * 100_000}})
    api = client.post("/api/perimeters", data=body, content_type="application/json")
    assert api.status_code == 413
    assert api.get_json() == {
        "error": "request too large",
        "reason": "Het verzoek is te groot: er kan hoogstens 0.0625 MB tegelijk worden verstuurd.",
    }
    upload = client.post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(b"x" * 100_000), "p.geojson")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 413 and "0.0625 MB" in upload.get_data(as_text=True)


def test_the_default_limit_is_the_setting(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024


@pytest.mark.parametrize(
    "body", ["[" * 100_000 + "]" * 100_000, "{not json", '{"a": ' * 40 + "1" + "}" * 40]
)
def test_malformed_or_too_deep_json_is_400_json(login, body: str) -> None:
    response = login("analyst").post("/api/perimeters", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed JSON"


# -- perimeter fields and vertices through the API ------------------------------------------
def _circle(vertices: int) -> dict[str, object]:
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    ring = np.column_stack([152_000 + 150 * np.cos(angles), 170_000 + 150 * np.sin(angles)])
    return to_geojson(shapely.Polygon(ring))


@pytest.mark.parametrize(
    "props,geometry,reason",
    [
        ({"name": "Nul\x00byte"}, None, "the name holds a control character (U+0000)"),
        ({"name": "x" * 201}, None, "the name is longer than 200 characters"),
        ({"name": "Lang", "description": "d" * 2001}, None, "longer than 2,000 characters"),
        ({"name": "Veel hoeken"}, 20_000, "20.001 hoekpunten, meer dan de 10.000"),  # nl
    ],
)
def test_refused_fields_and_geometries_are_422_with_the_reason(login, props, geometry, reason):
    feature = {
        "type": "Feature",
        "properties": props,
        "geometry": _circle(geometry or 8),
    }
    response = login("analyst").post("/api/perimeters", json=feature)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert reason in response.get_json()["reason"]


# -- uploads ----------------------------------------------------------------------------------
def test_an_unreadable_upload_shows_no_server_path(login) -> None:
    response = login("analyst").post(
        "/perimeters/upload",
        data={"file": (io.BytesIO(b"garbage\x00"), "p.gpkg"), "dry_run": "y"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "p.gpkg kan niet gelezen worden" in page  # Dutch
    assert "/tmp" not in page


def test_an_empty_survey_file_is_refused_not_a_500(login) -> None:
    response = login("analyst").post(
        "/plans/surveys",
        data={"file": (io.BytesIO(b""), "survey.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "survey.csv is empty" in response.get_data(as_text=True)


# -- hotspot grid ------------------------------------------------------------------------------
def test_the_hotspot_form_asks_larger_cells_of_a_large_zone(app: Flask) -> None:
    national = (20_000.0, 20_000.0, 300_000.0, 250_000.0)
    with app.test_request_context():
        with pytest.raises(
            InvalidParameter, match="minstens 509 m zijn: een raster telt hoogstens 250.000"
        ):
            parse_form(
                MultiDict({"cell": "100"}), codes=["drugs"], months=["2024-01"], bounds=national
            )
        parse_form(MultiDict({"cell": "600"}), codes=["drugs"], months=["2024-01"], bounds=national)


# -- CSV downloads ------------------------------------------------------------------------------
@pytest.fixture
def own_app(sqlite_demo_url: str, tmp_path: Path) -> Flask:
    """An app on a copy of the demo zone, to write a partner whose name is a formula."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    return make_app(f"sqlite:///{path}")


def test_the_who_does_what_csv_neutralises_formulas(own_app: Flask) -> None:
    store = open_store(own_app.config["MMM_STORE"])
    add_partner(store, '=HYPERLINK("http://evil","klik")', type="other")
    name = store.perimeters()["name"].iloc[0]
    assign(store, '=HYPERLINK("http://evil","klik")', perimeter=name, phenomenon="drugs",
           responsibility="lead", description="-1+1")  # fmt: skip
    store.close()
    response = _logged_in(own_app, "analist").get("/partners/who-does-what.csv")
    table = pd.read_csv(io.BytesIO(response.data))
    mine = table[table["partner"].str.contains("HYPERLINK")]
    assert mine["partner"].tolist() == ['\'=HYPERLINK("http://evil","klik")']
    assert mine["description"].tolist() == ["'-1+1"]


def test_a_partner_name_with_nul_is_refused_by_the_form(own_app: Flask) -> None:
    client = _logged_in(own_app, "admin")
    response = client.post("/partners/add", data={"name": "OCMW\x00", "type": "other"})
    assert response.status_code in (302, 400)
    store = open_store(own_app.config["MMM_STORE"])
    assert not partners(store)["name"].str.contains("\x00").any()
    store.close()
