"""The Alembic migrations: pinned head, the schema they build matches schema.py, and they run both ways."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from safeguarding.database import alembic_config, migrate
from safeguarding.schema import metadata

REPOSITORY = Path(__file__).resolve().parent.parent


def test_the_head_revision_is_pinned() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == "0013_idempotency_sweep"


async def test_the_migrated_schema_matches_the_tables_the_code_queries(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(schema_differences)

    assert differences == []


async def test_the_migrated_constraints_have_the_names_schema_py_gives_them(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        live = await connection.run_sync(constraint_names)

    declared = {
        table.name: sorted(str(constraint.name) for constraint in table.constraints)
        for table in metadata.tables.values()
    }
    assert live == declared


async def test_downgrading_to_base_removes_everything_and_upgrading_again_rebuilds_it(
    empty_database_url: str,
) -> None:
    await migrate(empty_database_url)

    engine = create_async_engine(empty_database_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(downgrade_to_base)
        async with engine.connect() as connection:
            left = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            functions = await connection.scalar(
                text("SELECT count(*) FROM pg_proc WHERE proname = 'chronology_refuse_change'")
            )
        assert (left, functions) == (["alembic_version"], 0)

        await migrate(empty_database_url)

        async with engine.connect() as connection:
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            differences = await connection.run_sync(schema_differences)
        assert (version, differences) == ("0013_idempotency_sweep", [])
    finally:
        await engine.dispose()


def test_alembic_upgrades_from_the_shell_with_the_repository_ini(empty_database_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(REPOSITORY / "alembic.ini"), "upgrade", "head"],
        cwd=tmp_path,
        env=os.environ | {"DATABASE_URL": empty_database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Running upgrade  -> 0001_case_store" in result.stderr


def schema_differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
    return list(compare_metadata(context, metadata))


def constraint_names(connection: Connection) -> dict[str, list[str]]:
    inspector = inspect(connection)
    names: dict[str, list[str]] = {}
    for table in metadata.tables:
        found = [inspector.get_pk_constraint(table)["name"]]
        found += [foreign_key["name"] for foreign_key in inspector.get_foreign_keys(table)]
        found += [unique["name"] for unique in inspector.get_unique_constraints(table)]
        found += [check["name"] for check in inspector.get_check_constraints(table)]
        names[table] = sorted(str(name) for name in found)
    return names


def downgrade_to_base(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")
