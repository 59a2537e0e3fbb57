"""A throwaway PostgreSQL + PostGIS cluster for the tests and the benchmark.

Debian's ``postgresql`` and ``postgresql-15-postgis-3`` packages (``make pg-deps``) are enough:
no system service is used. ``initdb`` writes a cluster into a fresh temporary folder, the server
listens on a free local port (and a unix socket in that folder), and ``stop()`` removes it all.
PostgreSQL refuses to run as root, so under root (CI) the server runs as the ``postgres`` user
the Debian package creates.

A database ``mmm_template`` holds the ``postgis`` extension; :meth:`PgCluster.new_database`
copies it (``CREATE DATABASE … TEMPLATE``), which takes a few tens of milliseconds, so every test
can have a database of its own.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

TEMPLATE = "mmm_template"
INSTALL_HINT = (
    "install them with `make pg-deps` (as root: apt-get install postgresql postgresql-15-postgis-3)"
)


class PostGISMissing(RuntimeError):
    """PostgreSQL or PostGIS is not installed on this machine."""


def find_bindir() -> Path:
    """The ``bin`` folder of the newest PostgreSQL that has PostGIS installed.

    Raises
    ------
    PostGISMissing
        When no PostgreSQL, or none with the ``postgis`` extension, is installed.
    """
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found and shutil.which("initdb"):
        found = [str(Path(shutil.which("initdb") or "").resolve())]
    if not found:
        raise PostGISMissing(f"PostgreSQL is not installed (no initdb found); {INSTALL_HINT}")
    for initdb in reversed(found):
        bindir = Path(initdb).parent
        sharedir = (
            subprocess.run(
                [str(bindir / "pg_config"), "--sharedir"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or f"/usr/share/postgresql/{bindir.parts[-2]}"
        )
        if Path(sharedir, "extension", "postgis.control").exists():
            return bindir
    raise PostGISMissing(
        f"PostGIS is not installed for PostgreSQL in {Path(found[-1]).parent}; {INSTALL_HINT}"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """One throwaway cluster: :meth:`start`, :meth:`new_database`…, :meth:`stop`."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="mmm-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._names = itertools.count(1)
        # The server may not run as root: hand the folder to the Debian package's user.
        self._user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostGISMissing(
                    f"running as root needs the 'postgres' user to run the server; {INSTALL_HINT}"
                ) from None
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> PgCluster:
        """initdb, start the server, and create the PostGIS template database."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.root}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",  # a throwaway cluster: speed over durability
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
                  "-o", options)  # fmt: skip
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(self.dsn(TEMPLATE), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        return self

    def stop(self) -> None:
        """Stop the server and delete the cluster's folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- databases ---------------------------------------------------------------------------
    def dsn(self, dbname: str) -> str:
        """A libpq connection string for ``dbname`` on this cluster."""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def url(self, dbname: str) -> str:
        """The store URL (``postgresql://…``) of ``dbname`` on this cluster."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection[Any]:
        """An autocommit connection to the maintenance database."""
        return psycopg.connect(self.dsn("postgres"), autocommit=True)

    def new_database(self, prefix: str = "mmm_test", *, template: str = TEMPLATE) -> str:
        """Create a database with PostGIS (a copy of ``template``); returns its URL."""
        name = f"{prefix}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, closing whatever connections are still open to it."""
        name = url.rsplit("/", 1)[1]
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    # -- helpers -----------------------------------------------------------------------------
    def _run(self, program: str, *args: str) -> None:
        """Run a PostgreSQL program as the server's user; a failure shows its output and log."""
        command = [str(self.bindir / program), *args]
        extra: dict[str, Any] = {}
        if self._user is not None:
            extra = {
                "user": self._user.pw_uid,
                "group": self._user.pw_gid,
                "extra_groups": [],
                "cwd": self.root,
            }
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, check=False, **extra
        )
        if done.returncode != 0:
            log = ""
            with contextlib.suppress(OSError):
                log = self.log.read_text()[-2000:]
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stdout}{done.stderr}\n{log}".strip()
            )
