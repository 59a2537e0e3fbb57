"""Denominators of rates: residents, dwellings… per statistical sector or per perimeter.

``mmm import denominators FILE --value COL [--kind K]`` stores, per kind, either a polygon layer
(``geom``; areal-weighted onto perimeters and grid cells when a rate is computed) or one value
per perimeter (``perimeter_id``). A store upgraded to this revision has no denominators until one
is imported: no rate is shown before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mmm.store.schema import Geometry31370

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "denominators",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("geom", Geometry31370(), nullable=True),
        sa.Column("perimeter_id", sa.Integer(), sa.ForeignKey("perimeters.id"), nullable=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batches.id"), nullable=False),
        sa.UniqueConstraint("kind", "source_id", name="uq_denominator_source"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_denominators_geom", "denominators", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_denominators_geom", table_name="denominators")
    op.drop_table("denominators")
