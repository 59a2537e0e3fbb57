"""The incidents' columnar copy beside a SQLite store, and the one shared read per data version:
the same frame as a read from SQLite, a new store object reads the file and not SQLite, an
import adds only its own rows, a damaged file is read around, threads wait for one read."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mmm.store import BatchInfo, Store, columnar, open_store


def _frame(n: int, start: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(start)
    occurred = np.datetime64("2024-01-01T00:00:00", "s") + rng.integers(
        0, 366 * 86_400, size=n
    ).astype("timedelta64[s]")
    occurred[::5] = np.datetime64("NaT")
    return pd.DataFrame(
        {
            "source_id": [f"PV-{i}" for i in range(start, start + n)],
            "phenomenon": rng.choice(["drugs", "vandalism", "fietsdiefstal"], size=n),
            "occurred": occurred,
            "x": rng.uniform(171_000, 173_000, size=n),
            "y": rng.uniform(173_000, 175_000, size=n),
        }
    )


def _add(store: Store, frame: pd.DataFrame) -> None:
    store.add_incidents(frame, BatchInfo("incidents", "test", "test", len(frame), 0))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "zone.sqlite"


def _reads(monkeypatch: pytest.MonkeyPatch, store: Store) -> list[dict]:
    """Record every read from SQLite (its arguments) that ``store``'s class makes."""
    calls: list[dict] = []
    real = type(store)._read_incidents

    def read(self, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return real(self, **kwargs)

    monkeypatch.setattr(type(store), "_read_incidents", read)
    return calls


def test_the_file_holds_the_same_frame_and_a_new_store_reads_only_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{path}")
    _add(store, _frame(500))
    from_sqlite = store.incidents()
    (cache,) = path.parent.glob("zone.sqlite.incidents-*.arrow")
    assert stat.S_IMODE(cache.stat().st_mode) == stat.S_IMODE(path.stat().st_mode)
    again = open_store(f"sqlite:///{path}")
    reads = _reads(monkeypatch, again)
    from_file = again.incidents()
    assert reads == []
    pd.testing.assert_frame_equal(from_file, from_sqlite)
    assert from_file.dtypes.to_dict() == store._read_incidents().dtypes.to_dict()


def test_an_import_reads_only_the_rows_it_added(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{path}")
    _add(store, _frame(300))
    store.incidents()
    _add(store, _frame(40, start=1000))
    reads = _reads(monkeypatch, store)
    now = store.incidents()
    assert len(reads) == 1 and reads[0]["after"] == 300  # only the new rows
    pd.testing.assert_frame_equal(now, store._read_incidents())
    # a new process finds the newest file (the older one is gone) and reads nothing
    assert len(list(path.parent.glob("zone.sqlite.incidents-*.arrow"))) == 1
    other = open_store(f"sqlite:///{path}")
    assert len(other.incidents()) == 340 and len(reads) == 2  # the one of store._read_incidents()


def test_another_import_with_an_older_file_adds_to_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{path}")
    _add(store, _frame(200))
    store.incidents()  # writes the file of 200 rows
    _add(store, _frame(10, start=500))  # e.g. `mmm import incidents` while the server is down
    later = open_store(f"sqlite:///{path}")
    reads = _reads(monkeypatch, later)
    assert len(later.incidents()) == 210
    assert [r["after"] for r in reads] == [200]


def test_data_that_changes_nothing_for_the_incidents_rereads_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shapely

    store = open_store(f"sqlite:///{path}")
    _add(store, _frame(100))
    first = store.incidents()
    reads = _reads(monkeypatch, store)
    store.set_zone("Zone", shapely.box(0, 0, 1, 1), BatchInfo("zone", "z", "test", 1, 0))
    assert np.shares_memory(store.incidents()["x"].to_numpy(), first["x"].to_numpy())
    assert reads == []


def test_a_damaged_or_foreign_file_is_read_around(path: Path) -> None:
    store = open_store(f"sqlite:///{path}")
    _add(store, _frame(50))
    expected = store.incidents()
    (cache,) = path.parent.glob("zone.sqlite.incidents-*.arrow")
    cache.write_bytes(b"not arrow at all")
    pd.testing.assert_frame_equal(open_store(f"sqlite:///{path}").incidents(), expected)
    assert columnar.read(cache) is not None  # written again, whole
    # a file of another store's incidents with the same counts is not taken for ours
    fingerprint, frame = columnar.read(cache)  # type: ignore[misc]
    other = columnar.Fingerprint(fingerprint.rows, fingerprint.last_id, fingerprint.batch, "then")
    columnar.write(path, other, frame.assign(x=0.0))
    pd.testing.assert_frame_equal(open_store(f"sqlite:///{path}").incidents(), expected)


def test_threads_at_once_wait_for_one_read_and_share_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(open_store(f"sqlite:///{path}"), _frame(2000))
    store = open_store(f"sqlite:///{path}")
    reads = _reads(monkeypatch, store)
    start = threading.Barrier(8)
    frames: list[pd.DataFrame] = []

    def read() -> None:
        start.wait()
        frames.append(store.incidents())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1
    assert all(np.shares_memory(f["x"].to_numpy(), frames[0]["x"].to_numpy()) for f in frames)


def test_a_store_in_memory_keeps_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///:memory:")
    _add(store, _frame(20))
    assert len(store.incidents()) == 20
    assert list(tmp_path.iterdir()) == []
