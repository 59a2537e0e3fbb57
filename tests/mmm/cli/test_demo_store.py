"""``mmm demo`` only on a demo store; demo log-ins only there; ``mmm serve`` says when it is one."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from mmm.access.users import add_user, user_names
from mmm.cli.group import cli
from mmm.demo import ZONE_NAME, add_demo_users, demo_store_refusal, is_demo_store
from mmm.errors import MMMError
from mmm.store import BatchInfo, open_store
from tests.helpers import ZONE
from webmap import serving


def _zone(url: str, name: str, source: str) -> None:
    store = open_store(url)
    store.set_zone(name, ZONE, BatchInfo("zone", source, "cli:test", 1, 0))
    store.close()


def _snapshot(url: str) -> tuple[dict[str, int], set[str]]:
    store = open_store(url)
    try:
        return store.totals(), user_names(store)
    finally:
        store.close()


@pytest.mark.parametrize(
    "prepare,reason",
    [
        (lambda url: _zone(url, "PZ Echtstad", "zone.geojson"), "holds the zone 'PZ Echtstad'"),
        (lambda url: _zone(url, ZONE_NAME, "zone.geojson"), "imported from 'zone.geojson'"),
        (
            lambda url: add_user(open_store(url), "anna", "correct horse battery", role="admin"),
            "users who are not the demo's (anna)",
        ),
    ],
    ids=["real zone", "real import", "real user"],
)
def test_demo_refuses_a_store_holding_anything_else(runner, tmp_path: Path, prepare, reason):
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    prepare(url)
    before = _snapshot(url)
    result = runner.invoke(cli, ["--store", url, "demo"])
    assert result.exit_code == 1
    assert result.stdout == ""  # refused before anything was loaded or printed
    [line] = result.stderr.strip().splitlines()
    assert reason in line and "store of its own" in line
    assert _snapshot(url) == before  # nothing changed: no data, no audit event, no user


def test_demo_users_only_in_a_demo_store(tmp_path: Path, sqlite_demo_url: str) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    _zone(url, "PZ Echtstad", "zone.geojson")
    store = open_store(url)
    with pytest.raises(MMMError, match="no demo log-ins here: this store holds the zone"):
        add_demo_users(store)
    assert user_names(store) == set()
    assert not is_demo_store(store)
    demo = open_store(sqlite_demo_url)
    assert demo_store_refusal(demo) is None and is_demo_store(demo)
    empty = open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert demo_store_refusal(empty) is None and not is_demo_store(empty)  # may become one


def test_serve_says_when_the_store_is_a_demo_store(runner, monkeypatch, tmp_path, sqlite_demo_url):
    servers: list[dict[str, object]] = []

    class Server:
        def __init__(self, app: Flask, **options: object) -> None:
            servers.append({"app": app, **options})

        def run(self) -> None:
            servers[-1]["ran"] = True

    monkeypatch.setattr(serving, "production_server", Server)
    monkeypatch.setattr(serving, "development_server", Server)
    monkeypatch.setattr(Server, "serve_forever", Server.run, raising=False)
    demo = runner.invoke(cli, ["--store", sqlite_demo_url, "serve", "--threads", "8"])
    assert demo.exit_code == 0, demo.output
    assert "This is a demo store" in demo.stdout and ZONE_NAME in demo.stdout
    assert "waitress, 8 threads" in demo.stdout
    assert servers[0]["threads"] == 8 and servers[0]["ran"] is True
    real = f"sqlite:///{tmp_path / 'real.sqlite'}"
    _zone(real, "PZ Echtstad", "zone.geojson")
    served = runner.invoke(cli, ["--store", real, "serve", "--dev"])
    assert served.exit_code == 0 and "demo" not in served.stdout
    assert "development server" in served.stdout and "threads" not in servers[1]
    assert servers[1]["ran"] is True
