"""Every route × every role against ``mmm.access.RULES``, through the table of
``webmap.route_rules`` — and the data that leaves with a page: the zone map's grid, incident
points and zone comparisons, each only for the roles its rule allows.

The expected answers come from ``RULES`` itself, never from a list of roles written here: a
role the rule allows must not be refused (403), any other role must be; anonymous visitors are
sent to log in. A route missing from the table fails :func:`test_every_route_has_a_rule`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from shapely.geometry import box

from mmm.access import RULES
from mmm.demo import DEMO_PASSWORD, add_demo_plans
from mmm.store import open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests.webmap.conftest import ROLE_USERS, make_app
from webmap.route_rules import ROUTE_RULES

ROLES = ("admin", "analyst", "officer", "partner", "dpo")
PUBLIC = {"auth.login", "static"}
#: Values for the URL parts (``proposed``: the id of a perimeter an officer may still edit).
SAMPLES = {
    "perimeter_id": 1,
    "plan_id": 1,
    "user_id": 1,
    "action_id": 1,
    "cycle_id": 1,
    "indicator_id": 1,
    "step": "start",
    "collection_id": "counts",  # OGC API – Features
    "dataset": "perimeters",
    "fmt": "csv",
    "what": "cells",
    "filename": "app.css",
    "z": 0,  # a basemap tile (none configured here: an empty 404 for whoever is logged in)
    "x": 0,
    "y": 0,
    "job_id": "none",  # nobody's job: a 404 for whoever is logged in (webmap.jobs)
}
EDITS_A_PERIMETER = {"perimeters.edit", "api.update_perimeter", "api.split_perimeter"}


@pytest.fixture(scope="module")
def walk_app(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A copy of the demo zone with its plans and one proposed perimeter: the walk posts empty
    forms, which must change nothing, but never on the store other tests read."""
    path = Path(tmp_path_factory.mktemp("walk")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    store = open_store(f"sqlite:///{path}")
    add_demo_plans(store)
    proposed = store.create_perimeter(
        PerimeterFields("Voorstel", status="proposed"),
        box(151_000, 171_000, 151_200, 171_200),
        actor="test",
    )
    store.close()
    app = make_app(f"sqlite:///{path}")
    app.config["WALK_PROPOSED"] = proposed.perimeter_id
    return app


@pytest.fixture(scope="module")
def clients(walk_app: Flask) -> Iterator[dict[str | None, FlaskClient]]:
    found: dict[str | None, FlaskClient] = {None: walk_app.test_client()}
    for role in ROLES:
        found[role] = _log_in(walk_app, role)
    yield found


def _log_in(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    answer = client.post("/login", data={"name": ROLE_USERS[role], "password": DEMO_PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


def _allowed(role: str, actions: tuple[str, ...]) -> bool:
    return all(role in RULES[action] for action in actions)


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    """``(endpoint, method, url)`` of every route, its URL built from :data:`SAMPLES`."""
    found = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
            values = {a: SAMPLES[a] for a in rule.arguments}
            if rule.endpoint in EDITS_A_PERIMETER:
                values["perimeter_id"] = app.config["WALK_PROPOSED"]
            url = url_for(rule.endpoint, **values)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    return found


def test_every_route_has_a_rule(walk_app: Flask) -> None:
    endpoints = {rule.endpoint for rule in walk_app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTE_RULES)) == [], "add these to webmap/route_rules.py"
    assert sorted(set(ROUTE_RULES) - endpoints) == [], "no such routes any more"
    unknown = {a for actions in ROUTE_RULES.values() for a in actions} - set(RULES)
    assert not unknown, f"not actions of mmm.access.RULES: {unknown}"


def test_every_route_answers_every_role_as_the_rules_say(walk_app, clients) -> None:
    wrong = []
    for endpoint, method, url in _routes(walk_app):
        if endpoint == "auth.logout":
            continue  # ends the session: walked last, below
        actions = ROUTE_RULES[endpoint]
        anonymous = clients[None].open(url, method=method)
        if endpoint in PUBLIC:
            expected_anonymous = anonymous.status_code < 400
        else:
            expected_anonymous = anonymous.status_code in (302, 401) and (
                anonymous.status_code == 401 or "/login" in anonymous.headers["Location"]
            )
        if not expected_anonymous:
            wrong.append(f"anonymous {method} {url}: {anonymous.status_code}")
        for role in ROLES:
            status = clients[role].open(url, method=method).status_code
            allowed = _allowed(role, actions)
            if status >= 500 or (status == 403) == allowed:
                wrong.append(f"{role} {method} {url}: {status} (allowed: {allowed})")
    for role in ROLES:
        status = clients[role].post("/logout").status_code
        if status >= 400:
            wrong.append(f"{role} POST /logout: {status}")
    assert not wrong, "\n".join(wrong)


def _grid_cells(page: str) -> int:
    """The number of grid cells a zone map page carries (its ``"grid"`` payload)."""
    found = re.search(r'"grid":\s*\{"n":\s*(\[.*?\]),\s*"c":', page, re.S)
    assert found is not None, "the zone map page carries no grid payload at all"
    return found.group(1).count("[") - 1


@pytest.mark.parametrize("role", ROLES)
def test_the_data_on_a_page_follows_the_rules(walk_app: Flask, role: str) -> None:
    client = _log_in(walk_app, role)
    zone_map = client.get("/map?from=2025-01&to=2025-12").get_data(as_text=True)
    assert (_grid_cells(zone_map) > 0) == (role in RULES["view_grid"])

    page = client.post("/perimeters/1", data={"purpose": "analysis"}).get_data(as_text=True)
    assert ("markerClusterGroup" in page) == (role in RULES["view_incidents"])
    assert ("Aandeel in zone" in page) == (role in RULES["view_zone_comparisons"])


def test_a_route_without_a_rule_is_refused(walk_app: Flask, monkeypatch) -> None:
    monkeypatch.delitem(ROUTE_RULES, "maps.zone")
    response = _log_in(walk_app, "admin").get("/map")
    assert response.status_code == 403
