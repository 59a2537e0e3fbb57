"""Users get a session epoch: a password reset or a deactivation ends their open web sessions.

Existing users start at 0; sessions opened before the upgrade carry no epoch and are asked to
log in again once. Stores written just before schema revisions existed may have the column
already (they are recorded at 0002 by ``mmm db upgrade``): then there is nothing to add.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "session_epoch" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}:
        return
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
