"""The perimeters table family: reading and importing perimeters, editing them, their versions.

Why a module of its own: perimeters are the one table people edit by hand (the editor,
:mod:`mmm.perimeters.edit`), with optimistic locking and a full history of saved versions; that
logic reads best in one place, apart from the bulk incident data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, func, insert, select

from mmm.crs import WORKING_CRS
from mmm.errors import NotFound
from mmm.limits import DESCRIPTION_CHARS, NAME_CHARS, check_text
from mmm.store import schema
from mmm.store.base import BatchInfo, StoreBase, batch_detail, now_iso
from mmm.store.perimeter_rows import (
    DuplicateName,
    PerimeterChanged,
    PerimeterFields,
    PerimeterVersion,
)


class PerimeterTables(StoreBase):
    """Read, import and edit perimeters; every saved version is kept and audited."""

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

    def perimeter_names(self) -> set[str]:
        """Names of the stored perimeters."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(schema.perimeters.c.name)).scalars())

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
                batch_detail(batch, len(rows)),
            )
        return batch_id

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

    def perimeters_version(self) -> int:
        """A number that changes whenever a perimeter is added or saved (its latest version row)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.max(schema.perimeter_versions.c.id))).scalar()
        return int(found or 0)

    def data_state(self) -> tuple[int, int]:
        """``(data_version(), perimeters_version())`` in one query: what every kept answer
        of the app is checked against, on every request."""
        batches = select(func.max(schema.import_batches.c.id)).scalar_subquery()
        versions = select(func.max(schema.perimeter_versions.c.id)).scalar_subquery()
        with self.engine.connect() as conn:
            data, shapes = conn.execute(select(batches, versions)).one()
        return int(data or 0), int(shapes or 0)

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
    """The ``perimeters`` (and ``perimeter_versions``) columns of ``fields``.

    Every write of a perimeter goes through here, so no path stores an overlong or
    control-character name or description.

    Raises
    ------
    TextRefused
        For a name or description beyond :mod:`mmm.limits`.
    """
    return {
        "name": check_text(fields.name, "the name", limit=NAME_CHARS),
        "description": check_text(
            fields.description, "the description", limit=DESCRIPTION_CHARS, multiline=True
        ),
        "status": fields.status,
        "start_date": fields.start_date,
    }
