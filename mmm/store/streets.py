"""The streets table family: the zone's street segments, replaced as a whole by each import.

Why a module of its own: streets are reference data with their own life — a zone imports the
Road Register (Wegenregister), a GRB or an OpenStreetMap extract again when it changes, and the
new set replaces the old one in one transaction (never a mix of two extracts). Incidents and
perimeters do not depend on them; the segment counts (:mod:`mmm.counting.segments`) and the maps
read them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from sqlalchemy import func, insert, select

from mmm.crs import WORKING_CRS
from mmm.store import schema
from mmm.store.base import BatchInfo, StoreBase, batch_detail

#: Segments per INSERT statement while a street network is stored.
STREET_CHUNK = 5_000


class StreetTables(StoreBase):
    """Read the street segments, and replace them with a new set (one audited transaction)."""

    def streets(self) -> gpd.GeoDataFrame:
        """Every street segment: ``segment_id``, ``name`` and the (multi)line in EPSG:31370.

        Sorted by ``segment_id`` as text; empty (with those columns) when none were imported.
        """
        s = schema.streets.c
        query = select(s.segment_id, s.name, s.geom).order_by(s.segment_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(
            {
                "segment_id": [r.segment_id for r in rows],
                "name": [r.name for r in rows],
            },
            dtype=object,
        )
        geoms = self._geoms_from_db([r.geom for r in rows])
        return gpd.GeoDataFrame(frame, geometry=list(geoms), crs=WORKING_CRS)

    def street_count(self) -> int:
        """How many street segments are stored."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.count()).select_from(schema.streets)).scalar()
        return int(found or 0)

    def replace_streets(self, frame: gpd.GeoDataFrame, batch: BatchInfo) -> int:
        """Replace every stored segment by ``frame``'s in one transaction; returns the batch id.

        Parameters
        ----------
        frame
            Validated segments: ``segment_id`` (unique text), ``name`` (text, may be empty) and
            lines in EPSG:31370.
        batch
            Where the segments came from; the audit event also says how many were replaced.
        """
        rows = [
            {"segment_id": str(sid), "name": str(name), "geom": self._geom_to_db(geom)}
            for sid, name, geom in zip(
                frame["segment_id"], frame["name"], frame.geometry.values, strict=True
            )
        ]
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=len(rows))
            replaced = conn.execute(select(func.count()).select_from(schema.streets)).scalar()
            conn.execute(schema.streets.delete())
            for start in range(0, len(rows), STREET_CHUNK):
                chunk = rows[start : start + STREET_CHUNK]
                conn.execute(insert(schema.streets), [{**r, "batch_id": batch_id} for r in chunk])
            detail = {**batch_detail(batch, len(rows)), "replaced": int(replaced or 0)}
            self.write_audit(conn, batch.actor, "import", "streets", str(batch_id), detail)
        return batch_id
