"""The incidents in columns next to a SQLite store: a million rows read in a fraction of a second.

Why: reading a million incidents row by row from SQLite takes seconds (the driver builds a Python
object per value), and every process that serves or analyses the zone starts by reading them
all. An Arrow IPC file (zstd-compressed, about 15 MB per million rows) loads in well under a
second. It lies beside the store (``zone.sqlite`` → ``zone.sqlite.incidents-….arrow``) with the
store file's permissions: it holds the same data and is as sensitive, and it can be deleted at
any time (the next read writes it again).

A file is named and tagged by the :class:`Fingerprint` of the incidents it holds: how many, the
newest row id, that row's import batch and when the batch started. Incidents are only ever
added (each import appends a batch), so a file whose fingerprint matches the store holds exactly
the stored incidents, and an older file holds a prefix of them: the reader then only reads the
rows added since (:meth:`mmm.store.incidents.IncidentTables.incidents`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

#: Bumped when the file's layout changes: files of another format are ignored and replaced.
FORMAT = 1
_META_KEY = b"mmm.incidents"
_NAME = re.compile(r"\.incidents-(\d+)-(\d+)\.arrow$")


@dataclass(frozen=True)
class Fingerprint:
    """What identifies the stored incidents (see the module): cheap to ask the store for."""

    rows: int
    last_id: int
    batch: int
    started: str

    def extends(self, older: Fingerprint) -> bool:
        """Whether these incidents can be ``older`` plus rows added after it."""
        return self.last_id > older.last_id and self.rows > older.rows


def store_file_of(database: str | None) -> Path | None:
    """The store file's path (the cache files go beside it), or ``None`` for an in-memory one."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def path_for(store_file: Path, fingerprint: Fingerprint) -> Path:
    """Where the incidents of ``fingerprint`` are kept."""
    return store_file.with_name(
        f"{store_file.name}.incidents-{fingerprint.rows}-{fingerprint.last_id}.arrow"
    )


def read(path: Path) -> tuple[Fingerprint, pd.DataFrame] | None:
    """The fingerprint and incidents a cache file holds; ``None`` when it is missing,
    unreadable or of another format (it is then simply written again)."""
    try:
        table = feather.read_table(path, memory_map=False)
        meta = json.loads((table.schema.metadata or {})[_META_KEY])
        if meta.pop("format") != FORMAT:
            return None
        fingerprint = Fingerprint(**meta)
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
        return None
    frame = table.replace_schema_metadata(None).to_pandas(types_mapper=_string_dtype)
    return fingerprint, frame


def find(store_file: Path, fingerprint: Fingerprint) -> pd.DataFrame | None:
    """The cached incidents of exactly ``fingerprint``, if a file holds them."""
    found = read(path_for(store_file, fingerprint))
    return found[1] if found is not None and found[0] == fingerprint else None


def find_prefix(
    store_file: Path, fingerprint: Fingerprint
) -> tuple[Fingerprint, pd.DataFrame] | None:
    """The newest cache file holding an older state of the same incidents (to add to)."""
    candidates = []
    for path in store_file.parent.glob(f"{glob_escape(store_file.name)}.incidents-*.arrow"):
        named = _NAME.search(path.name)
        if named is not None:
            candidates.append((int(named.group(2)), path))
    for last_id, path in sorted(candidates, reverse=True):
        if last_id < fingerprint.last_id:
            found = read(path)
            if found is not None and fingerprint.extends(found[0]):
                return found
    return None


def write(store_file: Path, fingerprint: Fingerprint, frame: pd.DataFrame) -> Path | None:
    """Keep ``frame`` as the incidents of ``fingerprint``; remove the files of older states.

    The file appears whole or not at all (written aside, then renamed), with the store file's
    permission bits. Returns its path, or ``None`` when the folder cannot be written (the
    store then reads from SQLite next time too; nothing else depends on the file).
    """
    target = path_for(store_file, fingerprint)
    meta = json.dumps({"format": FORMAT, **asdict(fingerprint)}).encode()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({_META_KEY: meta})
    try:
        mode = store_file.stat().st_mode & 0o666
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=store_file.parent)
        try:
            os.fchmod(handle, mode)
            with os.fdopen(handle, "wb") as out:
                feather.write_feather(table, out, compression="zstd")
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    except OSError:
        return None
    for old in store_file.parent.glob(f"{glob_escape(store_file.name)}.incidents-*.arrow"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def glob_escape(name: str) -> str:
    """``name`` with the glob metacharacters ``*?[`` taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _string_dtype(arrow_type: pa.DataType) -> pd.StringDtype | None:
    """Text columns as the store reads them (pandas' ``string`` dtype)."""
    if arrow_type in (pa.string(), pa.large_string()):
        return pd.StringDtype()
    return None
