"""``/api/counts`` answers from the count cube and keeps its bytes per reader while the data stays
as it is: the same bytes as a fresh answer, nothing recounted, a new answer after an import or a
perimeter edit, and never one reader's answer for another."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from flask.testing import FlaskClient

import webmap.api.routes as api_routes
from mmm.store import BatchInfo, open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests import disclosure_zone
from tests.webmap.conftest import make_app

PASSWORD = disclosure_zone.PASSWORD


@pytest.fixture
def zone_url(tmp_path: Path) -> str:
    return disclosure_zone.build_with_users(f"sqlite:///{tmp_path / 'zone.sqlite'}")


def _client(url: str, name: str) -> FlaskClient:
    client = make_app(url).test_client()
    answer = client.post("/login", data={"name": name, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def test_answers_are_kept_per_reader_until_the_data_changes(
    zone_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(zone_url)
    analyst, partner = app.test_client(), app.test_client()
    for client, name in ((analyst, "ana"), (partner, "buurt")):
        assert client.post("/login", data={"name": name, "password": PASSWORD}).status_code == 302
    made: list[str] = []
    real = api_routes.count_table

    def counted(store, scope, period, span=None):  # type: ignore[no-untyped-def]
        made.append(period)
        return real(store, scope, period, span)

    monkeypatch.setattr(api_routes, "count_table", counted)
    first = analyst.get("/api/counts?period=month")
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert analyst.get("/api/counts?period=month").data == first.data
    assert made == ["month"]  # the second answer was kept
    fresh = _client(zone_url, "ana").get("/api/counts?period=month")  # another app: counted anew
    assert fresh.data == first.data and len(made) == 2

    theirs = partner.get("/api/counts?period=month").get_json()
    assert len(made) == 3  # the partner's own answer, never the analyst's
    assert {r["perimeter"] for r in theirs} == {"Park", "Pond", "Corner"}
    assert analyst.get("/api/counts?period=year").get_json() != first.get_json()

    store = open_store(zone_url)
    more = pd.DataFrame({"source_id": ["NEW-1"], "phenomenon": ["drugs"],
                         "occurred": np.array(["2024-12-05T10:00:00"], dtype="datetime64[s]"),
                         "x": [172_600.0], "y": [174_600.0]})  # fmt: skip
    store.add_incidents(more, BatchInfo("incidents", "more", "test", 1, 0))
    after_import = analyst.get("/api/counts?period=month").get_json()
    station = {r["period"]: r["count"] for r in after_import
               if (r["perimeter"], r["phenomenon"]) == ("Station", "drugs")}  # fmt: skip
    assert station["2024-12"] == 13  # 12 + the new one

    saved = store.perimeters().set_index("name").loc["Station"]
    store.update_perimeter(int(saved["id"]), PerimeterFields("Station", status="active"),
                           shapely.box(172_400, 174_400, 172_500, 174_500),
                           based_on=int(saved["version"]), actor="test")  # fmt: skip
    after_edit = analyst.get("/api/counts?period=month").get_json()
    assert not [r for r in after_edit if r["perimeter"] == "Station"]  # it holds none now
    store.close()
