"""Web app fixtures: one demo store per test session (read-mostly), a client per role.

``client`` and ``login`` use ``app``; a folder whose tests need another app overrides ``app`` in
its own conftest (``editor/``: a copy of the demo zone to write to; ``reports/``: a suppression
threshold of 20).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mmm.demo import DEMO_PASSWORD, add_demo_partners, add_demo_plans, add_demo_users, load_demo
from mmm.store import open_store
from webmap import create_app

ROLE_USERS = {
    "dpo": "privacy",
    "admin": "admin",
    "analyst": "analist",
    "officer": "wijkinspecteur",
    "partner": "partner",
}


def make_app(store_url: str, **config: object) -> Flask:
    """An app on ``store_url`` (CSRF off unless ``WTF_CSRF_ENABLED=True`` is passed)."""
    settings = {"TESTING": True, "MMM_STORE": store_url, "SECRET_KEY": "t"}
    return create_app({**settings, "WTF_CSRF_ENABLED": False, **config})


@pytest.fixture(scope="session")
def demo_store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo zone in a SQLite file, or on PostGIS with ``MMM_TEST_BACKEND=postgis``.

    ``make test`` runs the web tests twice, once on each backend, so the app cannot come to
    depend on one of them.
    """
    if os.environ.get("MMM_TEST_BACKEND", "sqlite") == "postgis":
        url = request.getfixturevalue("pg_cluster").new_database("mmm_web_demo")
    else:
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('web')) / 'demo.sqlite'}"
    store = open_store(url)
    load_demo(store)
    add_demo_partners(store)
    add_demo_plans(store)
    add_demo_users(store)
    store.close()
    return url


@pytest.fixture(scope="session")
def app(demo_store_url: str) -> Flask:
    return make_app(demo_store_url)


@pytest.fixture
def csrf_app(demo_store_url: str) -> Flask:
    """An app on the demo store that checks CSRF tokens, as in production."""
    return make_app(demo_store_url, WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(app: Flask) -> Iterator[Callable[[str], FlaskClient]]:
    """``login(role)`` → a client logged in as the demo user of that role."""

    def make(role: str) -> FlaskClient:
        client = app.test_client()
        name = ROLE_USERS.get(role, role)  # a role, or a demo user name such as "ocmw"
        response = client.post("/login", data={"name": name, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    yield make
