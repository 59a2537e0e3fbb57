"""Alembic environment: migrations run on the connection ``mmm.store.migrate`` hands over.

There is no ``alembic.ini``: ``mmm db upgrade`` (see :mod:`mmm.store.migrate`) builds the Alembic
configuration in code and passes an open connection in ``config.attributes["connection"]``, so the
store's own engine settings (SQLite pragmas, the psycopg driver) apply to migrations too.
"""

from __future__ import annotations

from alembic import context

from mmm.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations with `mmm db upgrade`, not with the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot alter most of a table in place: Alembic then copies it (batch mode).
    render_as_batch=connection.dialect.name == "sqlite",
    # Every revision of one upgrade commits together: all of it or none of it.
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
