"""Alembic's entry point for the case store's migrations (async, asyncpg).

Three ways in. `safeguarding.database.migrate` hands over an open connection in `config.attributes`, and the
migrations run on it inside the caller's event loop and transaction. From the shell (`alembic upgrade
head`) there is no connection: the URL is resolved the way the service resolves it (`DATABASE_URL`, else
the embedded PostgreSQL) and a fresh event loop drives an async engine. `--sql` prints the SQL without connecting.

Both connected ways take a transaction-scoped advisory lock before Alembic reads the current revision, so
runs that start together (`docker compose up --scale worker=4`) queue behind one another instead of racing
to create the same tables; the lock is released when the migration's transaction ends.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, text
from sqlalchemy.pool import NullPool

from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.schema import metadata

config = context.config

MIGRATION_LOCK = 7_215_553_812_201_602_301
"""The advisory lock key every migration run of the case store holds (any constant unique to this schema)."""


def run_on(connection: Connection) -> None:
    """Run the pending migrations on an open synchronous connection."""
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


async def run_from_shell() -> None:
    """Connect to the configured case store and run the pending migrations."""
    settings = Settings()
    engine = create_engine(database_url(settings, settings.data_dir), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    # `alembic upgrade head --sql` prints the SQL for review instead of running it.
    context.configure(dialect_name="postgresql", target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif "connection" in config.attributes:
    run_on(config.attributes["connection"])
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    asyncio.run(run_from_shell())
