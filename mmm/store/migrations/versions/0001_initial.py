"""The schema as it was when Alembic came in (stores of that time carry ``schema_version`` 1).

Zone outline, phenomena, import batches, perimeters, incidents, labels, partners and their
assignments, users and the audit trail. Geometries are ``Geometry31370``: WKB on SQLite,
``geometry(GEOMETRY, 31370)`` with a GiST index on PostGIS.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mmm.store.schema import Geometry31370

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("applied_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
    )
    op.create_table(
        "zone",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("geom", Geometry31370(), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batches.id"), nullable=True),
    )
    op.create_table(
        "phenomena",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
    )
    op.create_table(
        "perimeters",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("geom", Geometry31370(), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batches.id"), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_zone_geom", "zone", ["geom"], postgresql_using="gist")
        op.create_index("ix_perimeters_geom", "perimeters", ["geom"], postgresql_using="gist")
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("phenomenon", sa.String(100), sa.ForeignKey("phenomena.code"), nullable=False),
        sa.Column("occurred", sa.String(19), nullable=True),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batches.id"), nullable=False),
        sa.UniqueConstraint("source_id", name="uq_incidents_source_id"),
    )
    op.create_table(
        "labels",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("language", sa.String(5), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
    )
    op.create_table("partner_types", sa.Column("code", sa.String(50), primary_key=True))
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("type", sa.String(50), sa.ForeignKey("partner_types.code"), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("partner_id", sa.Integer(), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("perimeter_id", sa.Integer(), sa.ForeignKey("perimeters.id"), nullable=False),
        sa.Column("phenomenon", sa.String(100), sa.ForeignKey("phenomena.code"), nullable=False),
        sa.Column("responsibility", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.UniqueConstraint("partner_id", "perimeter_id", "phenomenon", name="uq_assignment"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("partner", sa.String(200), nullable=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "audit_events",
        "users",
        "assignments",
        "partners",
        "partner_types",
        "labels",
        "incidents",
        "perimeters",
        "phenomena",
        "zone",
        "import_batches",
        "schema_version",
    ):
        op.drop_table(table)
