"""A real zone's own data: phenomenon thresholds, incident time windows, the zone's profile.

- ``phenomena.threshold``: the zone's suppression threshold for one phenomenon (``mmm phenomenon
  set --threshold``); empty means the ``MMM_SUPPRESS_*`` settings decide, as before.
- ``incidents.date_to``: the end of the window an incident is known to lie in (``mmm import
  incidents --date-to``); ``occurred`` stays its start, which counting by period uses.
- ``zone_profile``: the zone's name and interface languages, written by ``mmm init``.

A store upgraded to this revision has no thresholds, no windows and no profile until they are
set: everything behaves as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("phenomena") as batch:
        batch.add_column(sa.Column("threshold", sa.Integer(), nullable=True))
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("date_to", sa.String(19), nullable=True))
    op.create_table(
        "zone_profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("languages", sa.String(50), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("zone_profile")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("date_to")
    with op.batch_alter_table("phenomena") as batch:
        batch.drop_column("threshold")
