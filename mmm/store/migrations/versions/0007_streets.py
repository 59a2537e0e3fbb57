"""The zone's street network: one row per street segment (``mmm import streets``).

Each segment keeps the id its file gave (or one derived from its line), its street name and its
(multi)line in EPSG:31370; the segment counts (``mmm segments``) assign incidents to them. A
store upgraded to this revision simply has no streets until some are imported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mmm.store.schema import Geometry31370

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "streets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("segment_id", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("geom", Geometry31370(), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batches.id"), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_streets_geom", "streets", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_streets_geom", table_name="streets")
    op.drop_table("streets")
