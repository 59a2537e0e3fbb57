"""Fixtures for the perimeter editor's web tests: a demo store of their own, never the shared one.

The other web tests read one session-wide demo store (``tests/webmap/conftest.py``); these
tests write perimeters, so each test module gets a fresh copy of the demo zone and its own app,
which ``client`` and ``login`` then use.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from tests.webmap.conftest import make_app


@pytest.fixture(scope="module")
def editor_store_url(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the session's SQLite demo zone (``tests/conftest.py``), for this module."""
    path = Path(tmp_path_factory.mktemp("editor-module")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def app(editor_store_url: str) -> Flask:
    return make_app(editor_store_url)
