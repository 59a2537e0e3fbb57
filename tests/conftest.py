"""Shared fixtures: small real datasets in real files and real stores (no mocks).

``store`` is parametrised over both backends — an empty SQLite file and an empty PostGIS
database — so the store test suite cannot drift apart between them. The PostGIS databases live
in one throwaway cluster per test session (:mod:`tests.pg_cluster`); each test gets a fresh
copy of a template database that holds the extension.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from mmm.demo import add_demo_partners, add_demo_users, load_demo
from mmm.store import Store, open_store
from tests.pg_cluster import PgCluster, PostGISMissing

BACKENDS = ("sqlite", "postgis")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throwaway PostgreSQL + PostGIS cluster for the whole session (started on first use).

    Without PostgreSQL or PostGIS the tests that need it fail (never skip) with the command that
    installs them.
    """
    try:
        cluster = PgCluster()
    except PostGISMissing as exc:
        pytest.fail(f"PostGIS tests cannot run: {exc}", pytrace=False)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_store_template(pg_cluster: PgCluster) -> str:
    """A database holding an empty store (schema at the newest revision), to copy per test.

    Copying it is faster than creating the tables in every test; creating them from nothing
    is tested on its own (tests/mmm/store/test_migrations.py).
    """
    url = pg_cluster.new_database("mmm_store_template")
    open_store(url).close()  # no connection may stay open to a template
    return url.rsplit("/", 1)[1]


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """The URL of a fresh, empty PostGIS database (dropped after the test)."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture
def store_url_for(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """``store_url_for(backend)``: the URL of a new empty store of that backend for this test."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / 'store.sqlite'}"
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        url = cluster.new_database()
        request.addfinalizer(lambda: cluster.drop_database(url))
        return url

    return make


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend a test runs on: ``sqlite`` or ``postgis``."""
    return str(request.param)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store, once on SQLite and once on PostGIS."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        url = cluster.new_database(template=request.getfixturevalue("pg_store_template"))
        request.addfinalizer(lambda: cluster.drop_database(url))
    s = open_store(url)
    yield s
    s.close()


def _load_demo_zone(url: str) -> str:
    """The fictional demo zone with its partners and log-ins, as ``mmm demo`` loads it."""
    store = open_store(url)
    try:
        load_demo(store)
        add_demo_partners(store)
        add_demo_users(store)
    finally:
        store.close()
    return url


@pytest.fixture(scope="session")
def sqlite_demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the demo zone, once per session (tests only read it)."""
    return _load_demo_zone(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")


@pytest.fixture(scope="session")
def postgis_demo_url(pg_cluster: PgCluster) -> str:
    """A PostGIS store holding the same demo zone, once per session (tests only read it)."""
    return _load_demo_zone(pg_cluster.new_database("mmm_demo"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def incidents_frame() -> pd.DataFrame:
    """Five good incidents in EPSG:31370, one of them undated."""
    return pd.DataFrame(
        {
            "id": ["PV-1", "PV-2", "PV-3", "PV-4", "PV-5"],
            "phenomenon": ["drugs", "drugs", "vandalism", "burglary_dwelling", "drugs"],
            "date": ["2024-01-15 10:00", "2024-02-01", "2024-03-31 23:59", "2024-04-01", ""],
            "x": [172_000.0, 172_050.5, 172_100.25, 171_500.0, 172_010.0],
            "y": [174_000.0, 174_020.0, 174_040.0, 173_500.0, 174_010.0],
        }
    )
