"""Alembic environment shared by core and every plugin branch.

``core.migrate`` builds the configuration: the connection and the metadata
of the deployment (core plus enabled plugins) arrive in ``config.attributes``.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
target_metadata = config.attributes["metadata"]

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    # SQLite cannot ALTER most things; batch mode recreates the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
