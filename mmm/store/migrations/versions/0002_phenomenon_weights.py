"""Phenomena get a weight for the multi-phenomenon hotspot score (the zone's ZVP priorities).

Existing phenomena start at 1.0: the equal weights every earlier analysis used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("phenomena") as batch:
        batch.add_column(sa.Column("weight", sa.Float(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("phenomena") as batch:
        batch.drop_column("weight")
