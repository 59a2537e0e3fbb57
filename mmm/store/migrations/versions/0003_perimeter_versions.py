"""Perimeters get a start date and a version history (the perimeter editor).

``perimeter_versions`` keeps one row per saved version of a perimeter: its fields, geometry,
area, who saved it and when. The upgrade writes the row of each existing perimeter's current
version (who and when: its import batch, if known), so every perimeter's history is complete
from the start.
"""

from __future__ import annotations

from datetime import UTC, datetime

import shapely
import sqlalchemy as sa
from alembic import op

from mmm.store.schema import Geometry31370

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("perimeters") as batch:
        batch.add_column(sa.Column("start_date", sa.String(10), nullable=True))
    versions = op.create_table(
        "perimeter_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("perimeter_id", sa.Integer(), sa.ForeignKey("perimeters.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("start_date", sa.String(10), nullable=True),
        sa.Column("geom", Geometry31370(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("area", sa.Float(), nullable=False),
        sa.UniqueConstraint("perimeter_id", "version", name="uq_perimeter_version"),
    )
    assert versions is not None
    _first_versions(versions)


def _first_versions(versions: sa.Table) -> None:
    """One history row per existing perimeter: its current state, dated by its import."""
    perimeters = sa.table(
        "perimeters",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("description", sa.Text()),
        sa.column("status", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("geom", Geometry31370()),
        sa.column("batch_id", sa.Integer()),
    )
    batches = sa.table(
        "import_batches",
        sa.column("id", sa.Integer()),
        sa.column("actor", sa.String()),
        sa.column("started_at", sa.String()),
    )
    p = perimeters.c
    query = sa.select(
        p.id, p.name, p.description, p.status, p.version, p.geom, batches.c.actor,
        batches.c.started_at,
    ).select_from(perimeters.outerjoin(batches, p.batch_id == batches.c.id))  # fmt: skip
    conn = op.get_bind()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        {
            "perimeter_id": r.id,
            "version": r.version,
            "name": r.name,
            "description": r.description or "",
            "status": r.status,
            "start_date": None,
            "geom": bytes(r.geom),
            "actor": r.actor or "unknown (before version history)",
            "at": r.started_at or now,
            "area": float(shapely.from_wkb(bytes(r.geom)).area),
        }
        for r in conn.execute(query)
    ]
    if rows:
        conn.execute(sa.insert(versions), rows)


def downgrade() -> None:
    op.drop_table("perimeter_versions")
    with op.batch_alter_table("perimeters") as batch:
        batch.drop_column("start_date")
