"""Several processes on one store, on both backends: no lost edit, no mixed or half import.

The processes are real (forked; each opens the store itself), started together at a barrier so
that they really run at the same time.
"""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from sqlalchemy import text

from mmm.errors import StaleVersion
from mmm.io.imports import import_incidents
from mmm.store import BatchInfo, open_store
from mmm.store.perimeter_rows import PerimeterFields
from tests.helpers import ZONE, write_csv

FORK = multiprocessing.get_context("fork")
TIMEOUT_S = 120


def _run_together(n: int, work: Callable[..., Any], *args: Any) -> list[tuple[str, Any]]:
    """Run ``work(i, *args)`` in ``n`` processes released at once; their results, in order."""
    barrier = FORK.Barrier(n)
    queue = FORK.Queue()

    def child(i: int) -> None:
        barrier.wait(timeout=TIMEOUT_S)
        try:
            queue.put((i, "ok", work(i, *args)))
        except StaleVersion as exc:
            queue.put((i, "conflict", str(exc)))
        except Exception as exc:  # reported to the test, which then fails with it
            queue.put((i, "error", f"{type(exc).__name__}: {exc}"))

    procs = [FORK.Process(target=child, args=(i,)) for i in range(n)]
    for p in procs:
        p.start()
    results = dict(
        (i, (kind, value)) for i, kind, value in (queue.get(timeout=TIMEOUT_S) for _ in procs)
    )
    for p in procs:
        p.join(timeout=TIMEOUT_S)
    return [results[i] for i in range(n)]


# --------------------------------------------------------------------------- two edits, one wins
def _edit_perimeter(i: int, url: str, perimeter_id: int) -> int:
    store = open_store(url)
    fields = PerimeterFields(name="Markt", description=f"edit {i}", status="active")
    saved = store.update_perimeter(
        perimeter_id, fields, box(0, 0, 100 + i, 100), based_on=1, actor=f"user{i}"
    )
    store.close()
    return saved.version


def test_two_processes_edit_the_same_perimeter_one_wins(store_url):
    store = open_store(store_url)
    first = store.create_perimeter(
        PerimeterFields(name="Markt", status="active"), box(0, 0, 100, 100), actor="setup"
    )
    results = _run_together(2, _edit_perimeter, store_url, first.perimeter_id)

    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["conflict", "ok"], results
    winner = next(i for i, (kind, _) in enumerate(results) if kind == "ok")
    conflict = next(value for kind, value in results if kind == "conflict")
    assert f"user{winner}" in conflict  # the loser is told who saved in between
    history = store.perimeter_history(first.perimeter_id)
    assert [v.version for v in history] == [1, 2]
    assert history[-1].fields.description == f"edit {winner}"
    assert history[-1].geometry.bounds == (0, 0, 100 + winner, 100)
    current = store.perimeters().set_index("name").loc["Markt"]
    assert (current.version, current.description) == (2, f"edit {winner}")
    updates = store.audit_events().query("entity == 'perimeter' and action == 'update'")
    assert updates["actor"].tolist() == [f"user{winner}"]
    store.close()


def _edit_plan(i: int, url: str, plan_id: int) -> int:
    from mmm.plans.storage import update_plan

    return update_plan(open_store(url), plan_id, 1, title=f"Plan by {i}", actor=f"user{i}")


def test_two_processes_edit_the_same_plan_one_wins(store_url):
    from mmm.plans.storage import create_plan, get_plan

    store = open_store(store_url)
    store.create_perimeter(
        PerimeterFields(name="Markt", status="active"), box(0, 0, 100, 100), actor="setup"
    )
    store.add_incidents(
        pd.DataFrame(
            {
                "source_id": ["a"],
                "phenomenon": ["drugs"],
                "occurred": [pd.NaT],
                "x": [1.0],
                "y": [1.0],
            }  # fmt: skip
        ),
        BatchInfo("incidents", "a.csv", "setup", 1, 0),
    )
    plan_id = create_plan(
        store, perimeter="Markt", zvp_period="2025-2030", title="Plan", phenomena=["drugs"],
        starts_on="2025-01-01", ends_on="2025-12-31",
    )  # fmt: skip
    results = _run_together(2, _edit_plan, store_url, plan_id)
    assert sorted(kind for kind, _ in results) == ["conflict", "ok"], results
    winner = next(i for i, (kind, _) in enumerate(results) if kind == "ok")
    plan = get_plan(store, plan_id)
    assert (plan.version, plan.title) == (2, f"Plan by {winner}")
    store.close()


# --------------------------------------------------------------------------- 20 imports at once
IMPORTS = 20
ROWS = 1_500


def _import(i: int, url: str, folder: str) -> int:
    from mmm.store import incidents

    incidents.INSERT_CHUNK = 100  # many inserts per import: room for them to interleave
    store = open_store(url)
    report = import_incidents(store, Path(folder) / f"part{i}.csv", crs="31370")
    store.close()
    return report.imported


def test_twenty_concurrent_imports_all_land_and_none_interleaves(store_url, tmp_path):
    rng = np.random.default_rng(5)
    for i in range(IMPORTS):
        frame = pd.DataFrame(
            {
                "id": [f"F{i}-{k}" for k in range(ROWS)],
                "phenomenon": rng.choice(["drugs", "vandalism", f"only_in_{i}"], ROWS),
                "date": "2024-05-01",
                "x": rng.uniform(171_100, 172_900, ROWS).round(2),
                "y": rng.uniform(173_100, 174_900, ROWS).round(2),
            }
        )
        write_csv(tmp_path / f"part{i}.csv", frame)
    store = open_store(store_url)
    store.set_zone("Zone", ZONE, BatchInfo("zone", "zone.gpkg", "setup", 1, 0))

    results = _run_together(IMPORTS, _import, store_url, str(tmp_path))

    assert results == [("ok", ROWS)] * IMPORTS
    with store.engine.connect() as conn:
        batches = conn.execute(
            text(
                "SELECT b.source, count(*), min(i.id), max(i.id), b.rows_imported "
                "FROM incidents i JOIN import_batches b ON b.id = i.batch_id "
                "GROUP BY b.id, b.source, b.rows_imported ORDER BY b.id"
            )
        ).all()
    assert sorted(source for source, *_ in batches) == sorted(
        f"part{i}.csv" for i in range(IMPORTS)
    )
    for source, n, low, high, imported in batches:
        assert n == imported == ROWS and high - low + 1 == ROWS, source  # contiguous ids
        part = int(source.removeprefix("part").removesuffix(".csv"))
        with store.engine.connect() as conn:
            foreign = conn.execute(
                text(
                    "SELECT count(*) FROM incidents WHERE id BETWEEN :a AND :b AND source_id NOT LIKE :p"
                ),
                {"a": low, "b": high, "p": f"F{part}-%"},
            ).scalar_one()
        assert foreign == 0, source
    assert store.totals()["incidents"] == IMPORTS * ROWS
    assert len(store.incidents()) == IMPORTS * ROWS
    store.close()


# --------------------------------------------------------------------------- a killed import
KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    import numpy as np, pandas as pd
    from mmm.store import BatchInfo, incidents, open_store

    incidents.INSERT_CHUNK = 1_000
    store = open_store(sys.argv[1])
    n = 20_000
    frame = pd.DataFrame({
        "source_id": [f"K-{k}" for k in range(n)], "phenomenon": "drugs",
        "occurred": pd.Timestamp("2024-01-01"), "x": np.linspace(0, 1, n), "y": 1.0,
    })

    def progress(done, total):
        print(done, flush=True)
        if done >= 5_000:
            time.sleep(600)  # killed here: five chunks written, the transaction open

    store.add_incidents(frame, BatchInfo("incidents", "big.csv", "cli", n, 0), progress=progress)
    """
)


def test_a_killed_import_leaves_nothing_half_written(store_url, tmp_path):
    store = open_store(store_url)
    store.add_incidents(
        pd.DataFrame(
            {
                "source_id": ["before"],
                "phenomenon": ["drugs"],
                "occurred": [pd.NaT],
                "x": [1.0],
                "y": [1.0],
            }  # fmt: skip
        ),
        BatchInfo("incidents", "small.csv", "cli", 1, 0),
    )
    before = store.totals()
    store.close()

    script = tmp_path / "killed_import.py"
    script.write_text(KILLED_IMPORT)
    child = subprocess.Popen(
        [sys.executable, str(script), store_url], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    written = 0
    while written < 5_000:
        line = child.stdout.readline()
        assert line, "the import ended before it could be killed"
        written = int(line)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=TIMEOUT_S) == -signal.SIGKILL

    again = open_store(store_url)
    assert again.totals() == before
    assert again.incident_ids([f"K-{k}" for k in range(5_000)]) == set()
    again.add_incidents(  # the store takes the next import as if nothing had happened
        pd.DataFrame(
            {
                "source_id": ["after"],
                "phenomenon": ["drugs"],
                "occurred": [pd.NaT],
                "x": [2.0],
                "y": [2.0],
            }  # fmt: skip
        ),
        BatchInfo("incidents", "next.csv", "cli", 1, 0),
    )
    assert again.totals()["incidents"] == before["incidents"] + 1
    again.close()


@pytest.fixture
def store_url(backend: str, store_url_for: Callable[[str], str]) -> str:
    """A store URL on each backend, the schema created before the processes start."""
    url = store_url_for(backend)
    open_store(url).close()
    return url
