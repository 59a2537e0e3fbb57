"""Page parts kept per state of the data (:mod:`webmap.answers`): the zone map and a perimeter
page are built once per reader's role, scope and language, served again while the data stays
as it is, built anew after an import or a change of the phenomena's words, never one reader's
for another, never the incident points, and always with the request's own CSP nonce."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient

import webmap.maps.routes as map_routes
import webmap.perimeters.routes as perimeter_routes
import webmap.time_patterns as time_patterns
from mmm.access.partners import assign
from mmm.store import BatchInfo, open_store
from tests import disclosure_zone
from tests.webmap.conftest import make_app
from webmap.answers import Answers, forget_answers

PASSWORD = disclosure_zone.PASSWORD
MAP = "/map?from=2024-10&to=2024-12"
_NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.fixture
def zone_url(tmp_path: Path) -> str:
    return disclosure_zone.build_with_users(f"sqlite:///{tmp_path / 'zone.sqlite'}")


@pytest.fixture
def app(zone_url: str) -> Flask:
    return make_app(zone_url)


def _logged_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"name": name, "password": PASSWORD}).status_code == 302
    return client


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """Count the calls of ``module.name`` (still called through)."""
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _nonce_used(answer) -> str:  # type: ignore[no-untyped-def]
    """The CSP header's nonce, after checking every inline script the page runs carries it."""
    nonce = _NONCE.search(answer.headers["Content-Security-Policy"])
    assert nonce is not None
    page = answer.get_data(as_text=True)
    scripts = [
        s
        for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
        if "application/json" not in s
    ]  # fmt: skip  (data, not run)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in s for s in scripts), scripts
    return nonce.group(1)


def test_the_zone_map_is_built_once_per_reader_and_data_state(
    app: Flask, zone_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _count_calls(monkeypatch, map_routes.maps, "zone_map")
    ana = _logged_in(app, "ana")
    first, second = ana.get(MAP), ana.get(MAP)
    assert first.status_code == second.status_code == 200
    assert len(built) == 1  # the second page came from the kept parts
    assert _nonce_used(first) != _nonce_used(second)  # each with its own request's nonce
    assert _logged_in(app, "ana").get(MAP).status_code == 200 and len(built) == 1  # same reader

    french = _logged_in(app, "anne").get(MAP).get_data(as_text=True)
    assert len(built) == 2 and "Tous les phénomènes" in french  # another language: its own
    partner = _logged_in(app, "buurt").get(MAP).get_data(as_text=True)
    assert len(built) == 3 and "Station" not in partner  # a partner never gets staff parts
    assert "Station" in second.get_data(as_text=True)
    assert ana.get(MAP + "&phenomenon=drugs").status_code == 200 and len(built) == 4

    store = open_store(zone_url)
    store.set_label("phenomenon", "drugs", "nl", "Drugsoverlast", actor="test")
    assert "Drugsoverlast" in ana.get(MAP).get_data(as_text=True) and len(built) == 5
    more = pd.DataFrame({"source_id": ["NEW-1"], "phenomenon": ["drugs"],
                         "occurred": np.array(["2024-12-05T10:00:00"], dtype="datetime64[s]"),
                         "x": [172_600.0], "y": [174_600.0]})  # fmt: skip
    store.add_incidents(more, BatchInfo("incidents", "more", "test", 1, 0))
    assert ana.get(MAP).status_code == 200 and len(built) == 6  # an import: built anew
    store.close()


def test_a_perimeter_page_is_kept_but_not_its_points_nor_its_project_group(
    app: Flask, zone_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _count_calls(monkeypatch, perimeter_routes, "perimeter_overview")
    store = open_store(zone_url)
    station = int(store.perimeters().set_index("name").loc["Station", "id"])
    page = f"/perimeters/{station}?from=2024-10&to=2024-12"
    ana = _logged_in(app, "ana")
    first = ana.get(page)
    assert first.status_code == 200 and ana.get(page).status_code == 200
    assert len(made) == 1
    _nonce_used(ana.get(page))

    assert "Buurtwerk" not in first.get_data(as_text=True)
    assign(store, "Buurtwerk", perimeter="Station", phenomenon="drugs", responsibility="lead")
    assert "Buurtwerk" in ana.get(page).get_data(as_text=True)  # the group is read per request
    assert len(made) == 1

    assert "markerClusterGroup" not in first.get_data(as_text=True)
    reads = len(store.audit_events())
    for _ in range(2):
        shown = ana.post(page, data={"purpose": "operations"})
        assert shown.status_code == 200 and "markerClusterGroup" in shown.get_data(as_text=True)
    assert len(made) == 3  # points are made for each request that states a purpose
    assert len(store.audit_events()) == reads + 2  # and each read is audited
    assert ana.get(page).status_code == 200 and len(made) == 3  # the page without them: kept
    store.close()


def test_staff_of_other_roles_share_a_perimeters_hour_tables_but_not_its_page(
    app: Flask, zone_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _count_calls(monkeypatch, perimeter_routes, "perimeter_overview")
    tables = _count_calls(monkeypatch, time_patterns, "place_heat_tables")
    park = int(open_store(zone_url).perimeters().set_index("name").loc["Park", "id"])
    page = f"/perimeters/{park}?from=2024-10&to=2024-12"
    analyst, officer = _logged_in(app, "ana"), _logged_in(app, "wijk")
    for client in (analyst, officer):
        assert 'id="when"' in client.get(page).get_data(as_text=True)
    assert len(pages) == 2  # other rights: a page of their own
    assert len(tables) == 1  # the same tables: counted once
    theirs = _logged_in(app, "buurt").get(page)
    assert theirs.status_code == 200 and 'id="when"' not in theirs.get_data(as_text=True)
    assert len(tables) == 1  # a partner's page never asks for them


def test_the_warm_up_builds_each_kind_of_readers_pages_ahead(
    app: Flask, zone_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webmap import ahead

    built = ahead.build_ahead(app)
    # ana and anne differ in language, wijk in rights, buurt in scope: four kinds of reader;
    # each gets the zone map and the default page of every perimeter it may see (4, 4, 4, 3)
    assert built == 4 + 4 * 3 + 3
    pages = _count_calls(monkeypatch, perimeter_routes, "_page_parts")
    maps = _count_calls(monkeypatch, map_routes, "_zone_parts")
    ids = open_store(zone_url).perimeters().set_index("name")["id"]
    for name in ("ana", "anne", "wijk", "buurt"):
        client = _logged_in(app, name)
        assert client.get("/map").status_code == 200
        for perimeter in ("Park", "Pond", "Corner") + (() if name == "buurt" else ("Station",)):
            assert client.get(f"/perimeters/{int(ids[perimeter])}").status_code == 200
    assert pages == [] and maps == []  # every first visit was served what the warm-up built

    monkeypatch.setattr(ahead, "MAX_PAGES", 3)
    forget_answers(app)
    assert ahead.build_ahead(app) == 3  # bounded


def test_fifty_askers_at_once_make_an_answer_once() -> None:
    kept, made = Answers(), []

    def make() -> str:
        made.append(1)
        time.sleep(0.05)
        return "answer"

    found: list[str] = []
    start = threading.Barrier(50)

    def ask() -> None:
        start.wait()
        found.append(kept.obtain("question", make, len))

    askers = [threading.Thread(target=ask) for _ in range(50)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert found == ["answer"] * 50 and made == [1]


def test_kept_answers_stay_within_their_budget_least_recently_used_first_out() -> None:
    kept = Answers(budget=10)
    kept.put("a", "aaaa", 4)
    kept.put("b", "bbbb", 4)
    assert kept.get("a") == "aaaa"  # a is now the most recently used
    kept.put("c", "cccc", 4)
    assert kept.get("b") is None and kept.get("a") == "aaaa" and kept.get("c") == "cccc"
    kept.put("big", "x" * 11, 11)
    assert kept.get("big") is None  # larger than the whole budget: never kept
    failed: list[int] = []

    def broken() -> str:
        failed.append(1)
        raise ValueError("no answer")

    for _ in range(2):
        with pytest.raises(ValueError):
            kept.obtain("broken", broken, len)
    assert failed == [1, 1]  # a failure is not kept
