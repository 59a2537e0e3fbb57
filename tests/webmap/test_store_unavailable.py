"""A store the app cannot open (here: from before schema revisions) gives a 503, then recovers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mmm.store import migrate, migration_engine
from webmap import create_app

LEGACY = Path(__file__).parents[1] / "mmm" / "store" / "data" / "legacy_store_1d89ffc.sql"


def test_a_store_behind_the_schema_gives_503_and_the_app_recovers_after_the_upgrade(
    tmp_path, caplog
):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(LEGACY.read_text())
    url = f"sqlite:///{path}"
    app = create_app(
        {"TESTING": True, "MMM_STORE": url, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()

    credentials = {"name": "anna", "password": "correct horse battery"}
    page = client.post("/login", data=credentials)  # the first request that needs the store
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "serverlogboek" in text  # Dutch first, as every page
    assert str(path) not in text  # the store's name is for the log, not the page
    assert "mmm db upgrade" in caplog.text

    migrate.upgrade(migration_engine(url), url)
    assert client.post("/login", data=credentials).status_code == 302  # no restart needed
    assert client.get("/api/perimeters").status_code == 200

    # a logged-in API client meets the same store trouble as JSON
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as raw:
        raw.executescript(LEGACY.read_text())
    app.config["MMM_STORE"] = f"sqlite:///{other}"
    app.extensions.pop("mmm_store").close()
    api = client.get("/api/perimeters")
    assert api.status_code == 503 and "log" in api.get_json()["error"]
