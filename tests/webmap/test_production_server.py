"""``mmm serve`` for real: waitress serves ``/api`` and OGC API – Features to GDAL's OAPIF driver
(the client QGIS builds on) and to OWSLib with an API token, under the token's user's rules, and
refuses them without one. Also: the reverse proxy's ``X-Forwarded-For`` reaches the app through
waitress exactly when ``MMM_PROXY_HOPS`` says so, and ``--dev`` is Werkzeug's server.

The server runs as its own process (``mmm serve``), as deployed: pyogrio holds the GIL while
GDAL reads, so a server thread in the test's process could not answer it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyogrio
import pytest
import requests
from click.testing import CliRunner
from owslib import ogcapi
from owslib.ogcapi.features import Features
from pyogrio.errors import DataSourceError

from mmm.cli.group import cli
from mmm.store import open_store
from tests.webmap.conftest import make_app
from webmap.serving import development_server, production_server, running

PARTNER_PAIRS = {
    ("Stationsbuurt", "drugs"),
    ("Stationsbuurt", "public_nuisance"),
    ("Stadspark", "drugs"),
    ("Stadspark", "public_nuisance"),
    ("Winkelstraat", "street_robbery"),
}


@pytest.fixture(scope="module")
def store_url(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("served")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def secrets(store_url: str) -> dict[str, str]:
    """A token per user, made with ``mmm token create`` (the secret: its output's 2nd line)."""
    made = {}
    for user in ("analist", "partner", "privacy"):
        result = CliRunner().invoke(
            cli, ["--store", store_url, "token", "create", "t", "--user", user]
        )
        assert result.exit_code == 0, result.output
        made[user] = result.stdout.splitlines()[1]
    return made


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    """``mmm serve`` (waitress) on a free port; yields its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from mmm.cli import main; main()", "--store", store_url,
               "serve", "--port", str(port), "--threads", "4"]  # fmt: skip
    env = {**os.environ, "MMM_SECRET_KEY": "test"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{url}/login", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("mmm serve did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        assert process.stdout is not None
        banner = process.stdout.read()
        assert f"MMM Planner on {url}/  (waitress, 4 threads" in banner


@pytest.fixture
def gdal_token() -> Iterator[Callable[[str | None], None]]:
    """``gdal_token(secret)``: GDAL sends it as ``Authorization: Bearer``; unset after the test.

    (``GDAL_HTTP_HEADERS`` would be the obvious option, but the OAPIF driver passes headers of its
    own, which take its place; ``GDAL_HTTP_AUTH=BEARER`` adds to them.)
    """

    def use(secret: str | None) -> None:
        bearer = {"GDAL_HTTP_AUTH": "BEARER", "GDAL_HTTP_BEARER": secret} if secret else {}
        pyogrio.set_gdal_config_options(
            {"GDAL_HTTP_AUTH": None, "GDAL_HTTP_BEARER": None, **bearer}
        )

    yield use
    use(None)


def test_the_production_server_answers_with_a_token_and_refuses_without(server, secrets) -> None:
    headers = {"Authorization": f"Bearer {secrets['analist']}"}
    counts = requests.get(f"{server}/api/counts?period=year", headers=headers, timeout=30)
    assert counts.status_code == 200 and counts.headers["Server"] == "MMM Planner"
    assert {r["period"] for r in counts.json()} >= {"2023", "2024", "2025"}
    refused = requests.get(f"{server}/api/counts", timeout=30)
    assert refused.status_code == 401 and refused.json() == {"error": "login required"}
    assert "Set-Cookie" not in counts.headers


def test_gdal_reads_the_collections_with_a_token(server, secrets, gdal_token) -> None:
    source = f"OAPIF:{server}/ogc"
    gdal_token(secrets["analist"])
    assert pyogrio.list_layers(source).tolist() == [
        ["perimeters", "Polygon"],
        ["counts", "Polygon"],
    ]
    perimeters = pyogrio.read_dataframe(source, layer="perimeters")
    assert len(perimeters) == 10 and perimeters.crs.to_epsg() == 4326
    assert perimeters.total_bounds[0] > 4.5 and perimeters.total_bounds[3] < 51.0
    counts = pyogrio.read_dataframe(source, layer="counts", columns=["name", "drugs", "vandalism"])
    assert len(counts) == 10 and counts["drugs"].dtype.kind == "i" and counts["drugs"].sum() > 0

    gdal_token(secrets["partner"])  # the partner's token: its pairs only, figures as text
    counts = pyogrio.read_dataframe(source, layer="counts")
    assert set(counts["name"]) == {name for name, _ in PARTNER_PAIRS}
    codes = [c for c in counts.columns if c not in ("id", "name", "from", "to", "geometry")]
    shown = {
        (row["name"], c) for _, row in counts.iterrows() for c in codes if isinstance(row[c], str)
    }
    assert shown == PARTNER_PAIRS

    gdal_token(None)
    with pytest.raises(DataSourceError, match="401"):
        pyogrio.read_dataframe(source, layer="perimeters")


def test_owslib_reads_the_collections_with_a_token(server, secrets, monkeypatch) -> None:
    # OWSLib updates its module's default headers in place (each new Features changes those of
    # the earlier ones too): keep them out of other tests, and use one Features at a time.
    monkeypatch.setattr(ogcapi, "REQUEST_HEADERS", dict(ogcapi.REQUEST_HEADERS))
    staff = Features(f"{server}/ogc", headers={"Authorization": f"Bearer {secrets['privacy']}"})
    assert [c["id"] for c in staff.collections()["collections"]] == ["perimeters", "counts"]
    page = staff.collection_items("perimeters", limit=4)
    assert (page["numberMatched"], page["numberReturned"]) == (10, 4)
    assert staff.collection_item("perimeters", 5)["properties"]["name"] == "Marktplein"

    partner = Features(f"{server}/ogc", headers={"Authorization": f"Bearer {secrets['partner']}"})
    items = partner.collection_items("counts", period="2025")
    assert {f["properties"]["name"] for f in items["features"]} == {n for n, _ in PARTNER_PAIRS}
    with pytest.raises(RuntimeError, match="no counts item 5"):  # a 404: Marktplein is not theirs
        partner.collection_item("counts", 5)

    with pytest.raises(RuntimeError, match="login required"):
        Features(f"{server}/ogc", headers={"Authorization": "Bearer mmm_made-up"}).collections()


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_for_passes_waitress_only_when_a_proxy_is_trusted(
    store_url, secrets, proxies
) -> None:
    app = make_app(store_url, MMM_PROXY_HOPS=proxies)
    headers = {"Authorization": f"Bearer {secrets['analist']}", "X-Forwarded-For": "203.0.113.9"}
    with running(production_server(app, host="127.0.0.1", port=0, threads=2)) as url:
        answer = requests.get(f"{url}/api/perimeters/1", headers=headers, timeout=30)
    assert answer.status_code == 200
    events = open_store(store_url).audit_events()
    last = json.loads(events[events["action"] == "token_use"]["detail"].iloc[-1])
    assert last["address"] == ("203.0.113.9" if proxies else "127.0.0.1")


def test_dev_is_werkzeugs_server_naming_the_app(store_url, secrets) -> None:
    app = make_app(store_url)
    headers = {"Authorization": f"Bearer {secrets['analist']}"}
    with running(development_server(app, host="127.0.0.1", port=0)) as url:
        answer = requests.get(f"{url}/ogc/conformance", headers=headers, timeout=30)
    assert answer.status_code == 200 and answer.headers["Server"] == "MMM Planner"
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "--threads" in help_text and "--dev" in help_text
