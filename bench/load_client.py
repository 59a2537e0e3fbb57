"""The two halves of bench/load.py: ``mmm serve`` started as its own process (waitress, or Flask's
development server with ``--dev``) and the simulated users — logged-in sessions, each in its own
thread, walking the zone map, a perimeter page, ``/api/counts`` and ``/api/perimeters``."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cli import progress
from mappage_data import PERIOD

from mmm.demo import DEMO_PASSWORD

#: The demo log-ins the users take turns with: staff who see everything, and a partner.
ACCOUNTS = ("analist", "wijkinspecteur", "partner")
#: What a user asks for, in turn: (kind, path); ``{id}`` is one of the user's perimeters.
PAGES = (
    ("zone map", f"/map?from={PERIOD.first}&to={PERIOD.last}"),
    ("perimeter page", "/perimeters/{id}"),
    ("/api/counts", "/api/counts?period=month"),
    ("/api/perimeters", "/api/perimeters"),
)
TIMEOUT_S = 300.0
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Server:
    """A running ``mmm serve``: its URL and process (for its peak memory)."""

    url: str
    process: subprocess.Popen[bytes]

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory so far (``VmHWM``), in MB (0 when unknown)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(found.group(1)) / 1024 if found else 0.0


@contextmanager
def serve(store_url: str, *, dev: bool, threads: int) -> Iterator[Server]:
    """``mmm serve`` on a free loopback port (``--dev``: Flask's server); stopped after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    how = ["--dev"] if dev else ["--threads", str(threads)]
    command = [sys.executable, "-c", "from mmm.cli import main; main()", "--store", store_url,
               "serve", "--port", str(port), *how]  # fmt: skip
    env = {**os.environ, "MMM_SECRET_KEY": "bench"}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{server.url}/login", timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("mmm serve did not start") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def log_in(url: str, name: str) -> tuple[requests.Session, list[int]]:
    """A session logged in as ``name``, and the ids of the perimeters it may see."""
    session = requests.Session()
    page = session.get(f"{url}/login", timeout=TIMEOUT_S)
    token = _CSRF.search(page.text)
    if token is None:
        raise RuntimeError("the login page carries no CSRF token")
    data = {"name": name, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    answer = session.post(f"{url}/login", data=data, allow_redirects=False, timeout=TIMEOUT_S)
    if answer.status_code != 302:
        raise RuntimeError(f"{name} could not log in: {answer.status_code}")
    features = session.get(f"{url}/api/perimeters", timeout=TIMEOUT_S).json()["features"]
    return session, [int(f["id"]) for f in features]


@dataclass
class Outcome:
    """What every request of a run took: seconds per kind, errors, wall time."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(s) for s in self.seconds.values()) + len(self.errors)


def warm_up(url: str) -> dict[str, float]:
    """One request of each kind, as an analyst, before any clock runs: seconds per kind."""
    session, ids = log_in(url, ACCOUNTS[0])
    first = {}
    for kind, path in PAGES:
        start = time.perf_counter()
        answer = session.get(url + path.format(id=ids[0]), timeout=TIMEOUT_S)
        answer.raise_for_status()
        first[kind] = time.perf_counter() - start
    return first


def run_users(url: str, users: int, per_user: int, max_seconds: float) -> Outcome:
    """``users`` logged-in sessions at once, each making ``per_user`` requests in turn.

    Every user logs in first (not timed); then all start together. A request that fails or
    answers anything but 200 is an error. No request starts after ``max_seconds``.
    """
    sessions = [log_in(url, ACCOUNTS[i % len(ACCOUNTS)]) for i in range(users)]
    outcome = Outcome()
    lock = threading.Lock()
    start_line = threading.Barrier(users + 1)
    deadline = [0.0]

    def user(number: int) -> None:
        session, ids = sessions[number]
        start_line.wait()
        for i in range(per_user):
            if time.monotonic() > deadline[0]:
                return
            kind, path = PAGES[(number + i) % len(PAGES)]
            target = url + path.format(id=ids[(number + i) % len(ids)])
            start = time.perf_counter()
            try:
                answer = session.get(target, timeout=TIMEOUT_S)
                problem = None if answer.status_code == 200 else f"{kind}: {answer.status_code}"
            except requests.RequestException as exc:
                problem = f"{kind}: {type(exc).__name__}"
            seconds = time.perf_counter() - start
            with lock:
                if problem:
                    outcome.errors.append(problem)
                else:
                    outcome.seconds.setdefault(kind, []).append(seconds)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + max_seconds
    began = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    outcome.wall_s = time.perf_counter() - began
    progress(
        f"{outcome.requests:,} requests in {outcome.wall_s:.1f} s, {len(outcome.errors)} errors"
    )
    return outcome
