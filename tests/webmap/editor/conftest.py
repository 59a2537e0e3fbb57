"""Fixtures for the perimeter editor's web tests: a demo store of their own, never the shared one.

The other web tests read one session-wide demo store (``tests/webmap/conftest.py``); these
tests write perimeters, so each test module gets a fresh copy of the demo zone and its own app.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mmm.demo.zone import DEMO_PASSWORD, add_demo_partners, add_demo_users, load_demo
from mmm.store import open_store
from webmap import create_app

ROLE_USERS = {
    "dpo": "privacy",
    "admin": "admin",
    "analyst": "analist",
    "officer": "wijkinspecteur",
    "partner": "partner",
}


@pytest.fixture(scope="session")
def editor_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo zone in a SQLite file, made once; each module works on a copy."""
    path = Path(tmp_path_factory.mktemp("editor")) / "template.sqlite"
    store = open_store(f"sqlite:///{path}")
    load_demo(store)
    add_demo_partners(store)
    add_demo_users(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def editor_store_url(editor_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("editor-module")) / "demo.sqlite"
    shutil.copyfile(editor_template, path)
    return f"sqlite:///{path}"


def make_app(store_url: str, **config: object) -> Flask:
    """An app on ``store_url`` (CSRF off unless ``WTF_CSRF_ENABLED=True`` is passed)."""
    settings = {"TESTING": True, "MMM_STORE": store_url, "SECRET_KEY": "editor-tests"}
    return create_app({**settings, "WTF_CSRF_ENABLED": False, **config})


@pytest.fixture(scope="module")
def editor_app(editor_store_url: str) -> Flask:
    return make_app(editor_store_url)


@pytest.fixture
def login_as(editor_app: Flask) -> Iterator[Callable[..., FlaskClient]]:
    """``login_as(role)`` → a client of ``editor_app`` logged in as that role's demo user."""

    def make(role: str, app: Flask | None = None) -> FlaskClient:
        client = (app or editor_app).test_client()
        name = ROLE_USERS.get(role, role)
        response = client.post("/login", data={"name": name, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    yield make
