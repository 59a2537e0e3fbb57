"""The small Store interface and the SQL every backend shares.

A backend (``sqlite.py``, ``postgis.py``) only overrides what its dialect needs: how the
engine is made, how a bulk insert is written, and how concurrent imports queue. Every write is
one transaction that also writes an audit event: an error half-way leaves the store exactly as
it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, Engine, Select, Table, func, insert, select

from mmm.crs import WORKING_CRS
from mmm.errors import NotFound
from mmm.store import schema
from mmm.store.perimeter_rows import (
    DuplicateName,
    PerimeterChanged,
    PerimeterFields,
    PerimeterVersion,
)

#: ``progress(done, total)``: called while rows are written, so a caller can draw a bar.
Progress = Callable[[int, int], None]

INSERT_CHUNK = 50_000
#: Highest weight a phenomenon can get in the multi-phenomenon hotspot score.
MAX_WEIGHT = 100.0


def now_iso() -> str:
    """Current UTC time as an ISO 8601 string (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Zone:
    """The zone's outline (EPSG:31370) and whether it was given or derived from the data."""

    name: str
    geometry: BaseGeometry
    derived: bool


@dataclass(frozen=True)
class BatchInfo:
    """Where an import came from and how it went; stored with the rows it added."""

    kind: str
    source: str
    actor: str
    rows_read: int
    rows_rejected: int


class Store:
    """Read and write the zone, phenomena, perimeters, incidents, batches and audit events."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        # Incidents read from the store, kept while no import changed them (web pages re-use
        # them; a million rows take seconds to read and ~60 MB to keep).
        self._incidents_cache: tuple[int, pd.DataFrame] | None = None
        self._ensure_schema()

    # -- dialect hooks ---------------------------------------------------------------------
    #: The driver's parameter marker, for the few statements written as raw SQL for speed.
    _param = "?"

    def _geom_to_db(self, geom: BaseGeometry) -> Any:
        """How a geometry is written (WKB by default)."""
        return shapely.to_wkb(geom)

    def _geoms_from_db(self, values: Sequence[Any]) -> np.ndarray:
        """How stored geometries are read back (WKB by default)."""
        return shapely.from_wkb(np.asarray(values, dtype=object))

    def _insert_rows(
        self, conn: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Insert one chunk of rows (tuples in the order of ``names``) in the open transaction.

        The driver's own ``executemany`` is used: SQLAlchemy's per-row parameter processing
        costs more than the insert itself for hundreds of thousands of rows.
        """
        marks = ", ".join([self._param] * len(names))
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        conn.exec_driver_sql(sql, rows)

    def _lock_imports(self, conn: Connection) -> None:
        """Hold the import lock until ``conn``'s transaction ends (SQLite: its write lock does).

        Imports then commit one after the other, in the order of their batch ids: each batch's
        incidents are contiguous, and :meth:`data_version` (the newest batch id) never names a
        batch while an older one is still to come.
        """

    # -- schema ----------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        """Create a new store at the newest schema revision; refuse one that is behind it."""
        from mmm.store import migrate
        from mmm.store.postgis import safe_url

        with self.engine.begin() as conn:
            migrate.prepare(conn, safe_url(self.url))

    def schema_version(self) -> str:
        """The schema revision this store is at (an Alembic revision id such as ``0005``)."""
        from mmm.store import migrate

        with self.engine.connect() as conn:
            return migrate.current(conn) or "none"

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    # -- reads -----------------------------------------------------------------------------
    def zone(self) -> Zone | None:
        """The zone outline: the stored one, else the convex hull of the data, else ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.zone.c.name, schema.zone.c.geom)).first()
        if row is not None:
            return Zone(row.name, self._geoms_from_db([row.geom])[0], derived=False)
        hull = self._data_hull()
        if hull is None:
            return None
        return Zone("convex hull of the data", hull, derived=True)

    def stored_zone(self) -> Zone | None:
        """Only an outline that was imported (``mmm import zone``), never a derived one."""
        zone = self.zone()
        return zone if zone is not None and not zone.derived else None

    def _data_hull(self) -> BaseGeometry | None:
        parts = list(self.perimeters().geometry.values)
        with self.engine.connect() as conn:
            box = conn.execute(
                select(
                    func.min(schema.incidents.c.x),
                    func.min(schema.incidents.c.y),
                    func.max(schema.incidents.c.x),
                    func.max(schema.incidents.c.y),
                )
            ).first()
        if box is not None and box[0] is not None:
            # The hull of all points is the hull of the points on the hull of each x-band;
            # reading the extreme points per band keeps this a few small queries.
            parts.append(shapely.multipoints(self._hull_points(box)))
        if not parts:
            return None
        return shapely.convex_hull(shapely.union_all(parts))

    def _hull_points(self, box: Sequence[float]) -> np.ndarray:
        inc = schema.incidents.c
        band = func.cast((inc.x - box[0]) / max((box[2] - box[0]) / 64.0, 1e-9), schema.Integer)
        query = select(band, func.min(inc.y), func.max(inc.y), func.min(inc.x), func.max(inc.x))
        with self.engine.connect() as conn:
            rows = conn.execute(query.group_by(band)).all()
        pts = []
        for _, y0, y1, x0, x1 in rows:
            pts += [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
        return np.asarray(pts, dtype=float)

    def phenomena(self) -> pd.DataFrame:
        """Codes and labels of the phenomena, sorted by code."""
        t = schema.phenomena.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.code, t.label).order_by(t.code)).all()
        return pd.DataFrame(rows, columns=["code", "label"])

    def phenomenon_weights(self) -> dict[str, float]:
        """The zone's weight per phenomenon code (1.0 unless set from its ZVP priorities)."""
        t = schema.phenomena.c
        with self.engine.connect() as conn:
            return {code: float(w) for code, w in conn.execute(select(t.code, t.weight)).all()}

    def set_phenomenon_weights(self, weights: Mapping[str, float], *, actor: str) -> None:
        """Store the zone's hotspot weights (those not named keep theirs); one audited write.

        Raises
        ------
        ValueError
            For an unknown phenomenon code or a weight that is not a number from 0 to 100; then
            nothing is changed.
        """
        known = self.phenomenon_weights()
        unknown = sorted(set(weights) - set(known))
        if unknown:
            raise ValueError(
                f"unknown phenomenon code{'s' * (len(unknown) > 1)} {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known)) or 'none yet'}"
            )
        bad = sorted(code for code, w in weights.items() if not 0.0 <= float(w) <= MAX_WEIGHT)
        if bad:
            raise ValueError(
                f"a weight must be a number from 0 to {MAX_WEIGHT:g}: {', '.join(bad)}"
            )
        t = schema.phenomena
        with self.engine.begin() as conn:
            for code, weight in weights.items():
                conn.execute(t.update().where(t.c.code == code).values(weight=float(weight)))
            changed = {c: float(w) for c, w in weights.items() if float(w) != known[c]}
            self.write_audit(conn, actor, "set_weights", "phenomena", "", {"weights": changed})

    def labels(self, kind: str, language: str) -> dict[str, str]:
        """Labels given for ``kind`` (``phenomenon`` or ``perimeter``) in ``language``, by key."""
        t = schema.labels.c
        query = select(t.key, t.label).where(t.kind == kind, t.language == language)
        with self.engine.connect() as conn:
            return {key: label for key, label in conn.execute(query).all()}

    def set_label(self, kind: str, key: str, language: str, label: str, *, actor: str) -> None:
        """Give ``key`` a label in ``language`` (replacing an earlier one); audited."""
        t = schema.labels
        with self.engine.begin() as conn:
            conn.execute(
                t.delete().where(t.c.kind == kind, t.c.key == key, t.c.language == language)
            )
            conn.execute(
                insert(t), {"kind": kind, "key": key, "language": language, "label": label}
            )
            self.write_audit(conn, actor, "label", kind, key, {"language": language})

    def perimeters(self) -> gpd.GeoDataFrame:
        """All perimeters as a GeoDataFrame in EPSG:31370, sorted by name."""
        p = schema.perimeters.c
        query = select(
            p.id, p.name, p.description, p.status, p.version, p.start_date, p.geom
        ).order_by(p.name)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(
            [r[:6] for r in rows],
            columns=["id", "name", "description", "status", "version", "start_date"],
        )
        return gpd.GeoDataFrame(
            frame, geometry=self._geoms_from_db([r.geom for r in rows]), crs=WORKING_CRS
        )

    def incidents(self, *, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Incidents as plain columns: ``source_id``, ``phenomenon``, ``occurred``, ``x``, ``y``.

        ``start``/``end`` are inclusive dates; when either is given, undated incidents are left
        out. ``occurred`` is ``datetime64`` (``NaT`` when undated).
        """
        version = self.data_version()
        cached = self._incidents_cache
        if cached is None or cached[0] != version:
            cached = (version, self._read_incidents())
            self._incidents_cache = cached
        frame = cached[1]
        if start is None and end is None:
            return frame.copy()
        occurred = frame["occurred"]
        keep = occurred.notna()
        if start is not None:
            keep &= occurred >= pd.Timestamp(start)
        if end is not None:
            keep &= occurred < pd.Timestamp(end) + pd.Timedelta(days=1)
        return frame[keep.to_numpy()].reset_index(drop=True)

    def data_version(self) -> int:
        """A number that changes whenever incidents are added (the latest import batch)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.max(schema.import_batches.c.id))).scalar()
        return int(found or 0)

    def _read_incidents(self) -> pd.DataFrame:
        """All incidents, read column-wise; :meth:`incidents` keeps the result per version."""
        i = schema.incidents.c
        query = select(i.source_id, i.phenomenon, i.occurred, i.x, i.y)
        rows = self._plain_rows(query.order_by(i.id))
        cols = list(zip(*rows, strict=True)) if rows else [()] * 5
        return pd.DataFrame(
            {
                "source_id": pd.array(cols[0], dtype="string"),
                "phenomenon": pd.array(cols[1], dtype="string"),
                "occurred": np.array(cols[2], dtype="datetime64[s]"),
                "x": np.asarray(cols[3], dtype=float),
                "y": np.asarray(cols[4], dtype=float),
            }
        )

    def _plain_rows(self, query: Select[Any]) -> list[tuple[Any, ...]]:
        """Rows as plain tuples from the driver's cursor, for reads of a million rows.

        SQLAlchemy's Row objects cost more than the read itself at that size; the query only
        has literal values this module wrote (dates as ISO strings), so binding them inline is
        safe.
        """
        sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
        with self.engine.connect() as conn:
            cursor = conn.exec_driver_sql(sql).cursor
            assert cursor is not None  # a SELECT always has one
            return list(cursor.fetchall())

    def incident_ids(self, candidates: Iterable[str]) -> set[str]:
        """Which of ``candidates`` are already stored as incident ids."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            if conn.execute(select(schema.incidents.c.id).limit(1)).first() is None:
                return found  # an empty store holds none of them; skip the look-ups
        wanted = list(pd.unique(pd.Series(list(candidates), dtype=object)))
        step = 10_000  # below SQLite's limit of 32,766 parameters per statement
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), step):
                chunk = wanted[start : start + step]
                marks = ", ".join([self._param] * len(chunk))
                sql = f"SELECT source_id FROM incidents WHERE source_id IN ({marks})"
                found.update(row[0] for row in conn.exec_driver_sql(sql, tuple(chunk)))
        return found

    def perimeter_names(self) -> set[str]:
        """Names of the stored perimeters."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(schema.perimeters.c.name)).scalars())

    def totals(self) -> dict[str, int]:
        """How many incidents, perimeters, phenomena, batches and audit events are stored."""
        tables = {
            "incidents": schema.incidents,
            "perimeters": schema.perimeters,
            "phenomena": schema.phenomena,
            "import_batches": schema.import_batches,
            "audit_events": schema.audit_events,
        }
        with self.engine.connect() as conn:
            return {
                name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                for name, t in tables.items()
            }

    def audit_events(self) -> pd.DataFrame:
        """The audit trail, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.audit_events).order_by(schema.audit_events.c.id))
            return pd.DataFrame(rows.all(), columns=list(schema.audit_events.c.keys()))

    # -- writes ----------------------------------------------------------------------------
    def add_incidents(
        self, frame: pd.DataFrame, batch: BatchInfo, *, progress: Progress | None = None
    ) -> int:
        """Store validated incidents in one transaction; returns the new batch id.

        ``frame`` has ``source_id``, ``phenomenon``, ``occurred`` (datetime64, NaT = undated),
        ``x`` and ``y`` (EPSG:31370). New phenomenon codes are added with their code as label.
        """
        occurred = _iso_seconds(frame["occurred"])
        columns = {
            "source_id": frame["source_id"].astype(str).to_numpy(),
            "phenomenon": frame["phenomenon"].astype(str).to_numpy(),
            "occurred": occurred,
            "x": frame["x"].to_numpy(dtype=float),
            "y": frame["y"].to_numpy(dtype=float),
        }
        total = len(frame)
        names = [*columns, "batch_id"]
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=total)
            self._add_phenomena(conn, pd.unique(columns["phenomenon"]))
            for start in range(0, total, INSERT_CHUNK):
                stop = min(start + INSERT_CHUNK, total)
                chunk = [col[start:stop].tolist() for col in columns.values()]
                rows = list(zip(*chunk, [batch_id] * (stop - start), strict=True))
                self._insert_rows(conn, schema.incidents, names, rows)
                if progress is not None:
                    progress(stop, total)
            self.write_audit(
                conn, batch.actor, "import", "incidents", str(batch_id), _batch_detail(batch, total)
            )
        return batch_id

    def add_perimeters(self, frame: gpd.GeoDataFrame, batch: BatchInfo) -> int:
        """Store validated perimeters (``name``, ``description``, geometry in EPSG:31370)."""
        rows = [
            {
                "name": name,
                "description": desc,
                "status": "active",
                "version": 1,
                "geom": self._geom_to_db(geom),
            }
            for name, desc, geom in zip(
                frame["name"], frame["description"], frame.geometry.values, strict=True
            )
        ]
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=len(rows))
            for row in rows:
                row["batch_id"] = batch_id
            if rows:
                conn.execute(insert(schema.perimeters), rows)
                self._add_imported_versions(conn, batch_id, frame, batch.actor)
            self.write_audit(
                conn,
                batch.actor,
                "import",
                "perimeters",
                str(batch_id),
                _batch_detail(batch, len(rows)),
            )
        return batch_id

    def set_zone(self, name: str, geometry: BaseGeometry, batch: BatchInfo) -> int:
        """Replace the zone outline (EPSG:31370)."""
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=1)
            conn.execute(schema.zone.delete())
            conn.execute(
                insert(schema.zone),
                {"id": 1, "name": name, "geom": self._geom_to_db(geometry), "batch_id": batch_id},
            )
            self.write_audit(conn, batch.actor, "import", "zone", "1", _batch_detail(batch, 1))
        return batch_id

    def record(
        self, actor: str, action: str, entity: str, entity_id: str, detail: dict[str, Any]
    ) -> None:
        """Write one audit event on its own (e.g. an export); ``detail`` holds no personal data."""
        with self.engine.begin() as conn:
            self.write_audit(conn, actor, action, entity, entity_id, detail)

    def _add_batch(self, conn: Connection, batch: BatchInfo, *, imported: int) -> int:
        self._lock_imports(conn)
        result = conn.execute(
            insert(schema.import_batches),
            {
                "kind": batch.kind,
                "source": batch.source,
                "actor": batch.actor,
                "started_at": now_iso(),
                "rows_read": batch.rows_read,
                "rows_imported": imported,
                "rows_rejected": batch.rows_rejected,
            },
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _add_phenomena(self, conn: Connection, codes: Iterable[str]) -> None:
        known = set(conn.execute(select(schema.phenomena.c.code)).scalars())
        new = [{"code": c, "label": c} for c in codes if c not in known]
        if new:
            conn.execute(insert(schema.phenomena), new)

    def write_audit(
        self, conn: Connection, actor: str, action: str, entity: str, entity_id: str, detail: dict
    ) -> None:
        """Add an audit event inside the caller's transaction (it commits or rolls back with it)."""
        conn.execute(
            insert(schema.audit_events),
            {
                "at": now_iso(),
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": json.dumps(detail, sort_keys=True),
            },
        )

    # -- perimeter editing: versions and optimistic locking (editor; mmm.perimeters.edit) ------
    # Every save adds a ``perimeter_versions`` row in the same transaction as the change and its
    # audit event. An edit names the version it was based on; the UPDATE matches only that
    # version, so of two edits from the same version the second changes nothing and is refused
    # with who saved in between and when (never merged).
    def create_perimeter(
        self,
        fields: PerimeterFields,
        geometry: BaseGeometry,
        *,
        actor: str,
        detail: Mapping[str, Any] | None = None,
    ) -> PerimeterVersion:
        """Store a new perimeter (version 1, geometry already validated, EPSG:31370); audited.

        Raises
        ------
        DuplicateName
            When another perimeter (archived ones included) has this name; nothing is stored.
        """
        with self.engine.begin() as conn:
            return self._create_perimeter(conn, fields, geometry, actor, detail or {})

    def update_perimeter(
        self,
        perimeter_id: int,
        fields: PerimeterFields,
        geometry: BaseGeometry,
        *,
        based_on: int,
        actor: str,
        detail: Mapping[str, Any] | None = None,
    ) -> PerimeterVersion:
        """Save a new version of a perimeter edited from version ``based_on``; audited.

        A status changed to ``archived`` is audited as an archive (nothing is ever deleted).

        Raises
        ------
        NotFound
            When no perimeter has this id.
        PerimeterChanged
            When the perimeter is no longer at ``based_on`` (its message names who changed it
            and when); nothing is changed.
        DuplicateName
            When another perimeter has the new name.
        """
        with self.engine.begin() as conn:
            return self._update_perimeter(
                conn, perimeter_id, fields, geometry, based_on, actor, detail or {}
            )

    def split_perimeter(
        self,
        perimeter_id: int,
        kept: tuple[PerimeterFields, BaseGeometry],
        split_off: tuple[PerimeterFields, BaseGeometry],
        *,
        based_on: int,
        actor: str,
    ) -> tuple[PerimeterVersion, PerimeterVersion]:
        """In one transaction: save ``kept`` as the perimeter's next version and ``split_off`` as
        a new perimeter (the part taken out of it). Returns both saved versions.

        Raises
        ------
        NotFound, PerimeterChanged, DuplicateName
            As :meth:`update_perimeter` and :meth:`create_perimeter`; then nothing is changed.
        """
        with self.engine.begin() as conn:
            rest = self._update_perimeter(
                conn, perimeter_id, *kept, based_on, actor, {"split_off": split_off[0].name}
            )
            new = self._create_perimeter(conn, *split_off, actor, {"split_from": perimeter_id})
        return rest, new

    def _create_perimeter(
        self,
        conn: Connection,
        fields: PerimeterFields,
        geometry: BaseGeometry,
        actor: str,
        detail: Mapping[str, Any],
    ) -> PerimeterVersion:
        from sqlalchemy.exc import IntegrityError

        values = {**_perimeter_values(fields), "version": 1, "geom": self._geom_to_db(geometry)}
        try:  # a refused name ends the whole transaction: the caller's block rolls back
            result = conn.execute(insert(schema.perimeters), values)
        except IntegrityError:
            raise DuplicateName(f"a perimeter named {fields.name!r} exists already") from None
        key = result.inserted_primary_key
        assert key is not None
        saved = self._add_version(conn, int(key[0]), 1, fields, geometry, actor)
        audit = {"name": fields.name, "version": 1, "status": fields.status}
        audit |= {"area_m2": round(saved.area_m2, 1), **detail}
        self.write_audit(conn, actor, "create", "perimeter", str(saved.perimeter_id), audit)
        return saved

    def _update_perimeter(
        self,
        conn: Connection,
        perimeter_id: int,
        fields: PerimeterFields,
        geometry: BaseGeometry,
        based_on: int,
        actor: str,
        detail: Mapping[str, Any],
    ) -> PerimeterVersion:
        from sqlalchemy.exc import IntegrityError

        t = schema.perimeters
        values = {**_perimeter_values(fields), "geom": self._geom_to_db(geometry)}
        try:  # the UPDATE first: it takes the write lock before anything is read
            done = conn.execute(
                t.update()
                .where(t.c.id == perimeter_id, t.c.version == based_on)
                .values(**values, version=based_on + 1)
            )
        except IntegrityError:
            raise DuplicateName(f"a perimeter named {fields.name!r} exists already") from None
        if done.rowcount != 1:
            latest = self._versions(conn, perimeter_id)
            if not latest:
                raise NotFound(f"no perimeter {perimeter_id}")
            raise PerimeterChanged(latest[-1], based_on)
        before = self._versions(conn, perimeter_id, only=based_on)
        saved = self._add_version(conn, perimeter_id, based_on + 1, fields, geometry, actor)
        old_status = before[0].fields.status if before else None
        audit: dict[str, Any] = {"name": fields.name, "version": saved.version}
        audit |= {"status": fields.status, "area_m2": round(saved.area_m2, 1)}
        if before:
            audit["area_change_m2"] = round(saved.area_m2 - before[0].area_m2, 1)
        archived = fields.status == "archived" and old_status != "archived"
        action = "archive" if archived else "update"
        self.write_audit(conn, actor, action, "perimeter", str(perimeter_id), {**audit, **detail})
        return saved

    def perimeter_history(self, perimeter_id: int) -> list[PerimeterVersion]:
        """Every saved version of a perimeter, oldest first (empty for an unknown id)."""
        with self.engine.connect() as conn:
            return self._versions(conn, perimeter_id)

    def perimeter_version(self, perimeter_id: int, version: int) -> PerimeterVersion:
        """One saved version of a perimeter.

        Raises
        ------
        NotFound
            When the perimeter or that version of it does not exist.
        """
        with self.engine.connect() as conn:
            found = self._versions(conn, perimeter_id, only=version)
        if not found:
            raise NotFound(f"perimeter {perimeter_id} has no version {version}")
        return found[0]

    def _versions(
        self, conn: Connection, perimeter_id: int, *, only: int | None = None
    ) -> list[PerimeterVersion]:
        v = schema.perimeter_versions.c
        query = select(schema.perimeter_versions).where(v.perimeter_id == perimeter_id)
        if only is not None:
            query = query.where(v.version == only)
        rows = conn.execute(query.order_by(v.version)).all()
        geoms = self._geoms_from_db([r.geom for r in rows])
        return [
            PerimeterVersion(
                perimeter_id=r.perimeter_id,
                version=r.version,
                fields=PerimeterFields(r.name, r.description, r.status, r.start_date),
                geometry=geom,
                actor=r.actor,
                at=r.at,
                area_m2=float(r.area),
            )
            for r, geom in zip(rows, geoms, strict=True)
        ]

    def _add_version(
        self,
        conn: Connection,
        perimeter_id: int,
        version: int,
        fields: PerimeterFields,
        geometry: BaseGeometry,
        actor: str,
    ) -> PerimeterVersion:
        saved = PerimeterVersion(
            perimeter_id, version, fields, geometry, actor, now_iso(), float(geometry.area)
        )
        conn.execute(
            insert(schema.perimeter_versions),
            {
                **_perimeter_values(fields),
                "perimeter_id": perimeter_id,
                "version": version,
                "geom": self._geom_to_db(geometry),
                "actor": actor,
                "at": saved.at,
                "area": saved.area_m2,
            },
        )
        return saved

    def _add_imported_versions(
        self, conn: Connection, batch_id: int, frame: gpd.GeoDataFrame, actor: str
    ) -> None:
        """Version 1 of each perimeter an import just added (so every history is complete)."""
        p = schema.perimeters.c
        ids = dict(conn.execute(select(p.name, p.id).where(p.batch_id == batch_id)).all())
        for name, desc, geom in zip(
            frame["name"], frame["description"], frame.geometry.values, strict=True
        ):
            fields = PerimeterFields(str(name), str(desc or ""), "active", None)
            self._add_version(conn, int(ids[name]), 1, fields, geom, actor)


def _perimeter_values(fields: PerimeterFields) -> dict[str, Any]:
    """The ``perimeters`` (and ``perimeter_versions``) columns of ``fields``."""
    return {
        "name": fields.name,
        "description": fields.description,
        "status": fields.status,
        "start_date": fields.start_date,
    }


def _iso_seconds(values: pd.Series) -> np.ndarray:
    """datetime64 → 'YYYY-MM-DDTHH:MM:SS' strings (``None`` for NaT), without a Python loop."""
    arr = pd.to_datetime(values).to_numpy(dtype="datetime64[s]")
    text = np.datetime_as_string(arr, unit="s").astype(object)
    text[np.isnat(arr)] = None
    return text


def _batch_detail(batch: BatchInfo, imported: int) -> dict[str, Any]:
    return {
        "source": batch.source,
        "read": batch.rows_read,
        "imported": imported,
        "rejected": batch.rows_rejected,
    }
