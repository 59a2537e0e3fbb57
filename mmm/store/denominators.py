"""The denominators table family: what rates divide by, replaced per kind by each import.

Why a module of its own: denominators are reference data with their own life — a zone imports
the statistical sectors' residents once a year, the dwellings from another source — and each
kind is replaced as a whole in one transaction (never a mix of two years). Rates
(:mod:`mmm.rates`) read them; nothing else depends on them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from sqlalchemy import func, insert, select

from mmm.crs import WORKING_CRS
from mmm.store import schema
from mmm.store.base import BatchInfo, StoreBase, batch_detail


class DenominatorTables(StoreBase):
    """Read the denominators of a kind, list the kinds, replace a kind (one audited transaction)."""

    def denominator_kinds(self) -> list[str]:
        """The kinds stored (``residents``, ``dwellings``…), sorted."""
        d = schema.denominators.c
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(d.kind).distinct()).scalars())

    def denominators(self, kind: str) -> gpd.GeoDataFrame:
        """The rows of one kind: ``source_id``, ``value``, ``perimeter_id`` (or NA) and the
        polygon (or ``None``) in EPSG:31370; empty, with those columns, when none are stored."""
        d = schema.denominators.c
        query = (
            select(d.source_id, d.value, d.perimeter_id, d.geom)
            .where(d.kind == kind)
            .order_by(d.source_id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(
            {
                "source_id": pd.Series([r.source_id for r in rows], dtype=object),
                "value": pd.Series([r.value for r in rows], dtype=float),
                "perimeter_id": pd.array([r.perimeter_id for r in rows], dtype="Int64"),
            }
        )
        geoms = [None if r.geom is None else self._geoms_from_db([r.geom])[0] for r in rows]
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=WORKING_CRS)

    def replace_denominators(self, kind: str, frame: pd.DataFrame, batch: BatchInfo) -> int:
        """Replace every row of ``kind`` by ``frame``'s in one transaction; returns the batch id.

        ``frame`` holds validated rows: ``source_id`` (unique text), ``value`` (0 or more) and
        either ``geometry`` (polygons in EPSG:31370) or ``perimeter_id``.
        """
        geoms = frame.geometry.values if isinstance(frame, gpd.GeoDataFrame) else None
        pids = frame.get("perimeter_id")
        rows = [
            {
                "kind": kind,
                "source_id": str(sid),
                "value": float(value),
                "geom": None if geoms is None else self._geom_to_db(geoms[i]),
                "perimeter_id": None if pids is None else int(pids.iloc[i]),
            }
            for i, (sid, value) in enumerate(zip(frame["source_id"], frame["value"], strict=True))
        ]
        table = schema.denominators
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=len(rows))
            replaced = conn.execute(
                select(func.count()).select_from(table).where(table.c.kind == kind)
            ).scalar()
            conn.execute(table.delete().where(table.c.kind == kind))
            if rows:
                conn.execute(insert(table), [{**r, "batch_id": batch_id} for r in rows])
            detail = {
                **batch_detail(batch, len(rows)),
                "kind": kind,
                "replaced": int(replaced or 0),
            }
            self.write_audit(conn, batch.actor, "import", "denominators", str(batch_id), detail)
        return batch_id
