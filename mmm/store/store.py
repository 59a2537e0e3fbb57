"""The :class:`Store` every caller uses, and the zone-wide tables: zone outline, phenomena, labels.

:class:`Store` joins the table families (:mod:`mmm.store.incidents`, :mod:`mmm.store.perimeters`,
:mod:`mmm.store.streets`, all on :class:`~mmm.store.base.StoreBase`); the backends
(``sqlite.py``, ``postgis.py``) subclass it. The zone outline, the phenomena with their hotspot
weights, and the labels are small tables read across the whole zone; they live here because the
outline, when none was imported, is derived from both incidents and perimeters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, insert, select

from mmm.limits import NAME_CHARS, check_text
from mmm.store import schema
from mmm.store.base import MAX_WEIGHT, BatchInfo, batch_detail
from mmm.store.denominators import DenominatorTables
from mmm.store.incidents import IncidentTables
from mmm.store.perimeters import PerimeterTables
from mmm.store.phenomena import PhenomenonTables
from mmm.store.streets import StreetTables


@dataclass(frozen=True)
class Zone:
    """The zone's outline (EPSG:31370) and whether it was given or derived from the data."""

    name: str
    geometry: BaseGeometry
    derived: bool


class Store(IncidentTables, PerimeterTables, StreetTables, PhenomenonTables, DenominatorTables):
    """Read and write the zone, phenomena, perimeters, incidents, streets, denominators, batches
    and audit events."""

    # -- the zone outline ------------------------------------------------------------------
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

    def set_zone(self, name: str, geometry: BaseGeometry, batch: BatchInfo) -> int:
        """Replace the zone outline (EPSG:31370)."""
        with self.engine.begin() as conn:
            batch_id = self._add_batch(conn, batch, imported=1)
            conn.execute(schema.zone.delete())
            conn.execute(
                insert(schema.zone),
                {"id": 1, "name": name, "geom": self._geom_to_db(geometry), "batch_id": batch_id},
            )
            self.write_audit(conn, batch.actor, "import", "zone", "1", batch_detail(batch, 1))
        return batch_id

    # -- phenomena, their weights, and labels ----------------------------------------------
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
            self._mark_changed(conn, "phenomena", "weights", actor)

    def labels(self, kind: str, language: str) -> dict[str, str]:
        """Labels given for ``kind`` (``phenomenon`` or ``perimeter``) in ``language``, by key."""
        t = schema.labels.c
        query = select(t.key, t.label).where(t.kind == kind, t.language == language)
        with self.engine.connect() as conn:
            return {key: label for key, label in conn.execute(query).all()}

    def set_label(self, kind: str, key: str, language: str, label: str, *, actor: str) -> None:
        """Give ``key`` a label in ``language`` (replacing an earlier one); audited.

        Raises
        ------
        TextRefused
            For a label longer than :data:`mmm.limits.NAME_CHARS` or holding a control
            character.
        """
        label = check_text(label, "the label", limit=NAME_CHARS)
        t = schema.labels
        with self.engine.begin() as conn:
            conn.execute(
                t.delete().where(t.c.kind == kind, t.c.key == key, t.c.language == language)
            )
            conn.execute(
                insert(t), {"kind": kind, "key": key, "language": language, "label": label}
            )
            self.write_audit(conn, actor, "label", kind, key, {"language": language})
            self._mark_changed(conn, "labels", kind, actor)
