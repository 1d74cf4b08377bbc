"""`python -m starter migrate`, the deployment's one-shot job: processes started together migrate once, in turn.

Workers scaled up (`--scale worker=4`) and the migrate job all run the migrations at start-up. To make them
meet for certain, the test pre-creates Alembic's version table and locks it: every process stops at its
first read, and all are let go at once. Under the advisory lock they then run one after another; without
it they would race to create the same tables.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from safeguarding.database import alembic_config

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
WAIT = 120.0
WAITING = text(
    "SELECT count(*) FROM pg_locks WHERE NOT granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


async def test_migrations_started_together_by_several_processes_apply_once_without_error(
    empty_database_url: str, tmp_path: Path
) -> None:
    engine = create_async_engine(empty_database_url, poolclass=NullPool)
    try:
        async with engine.connect() as gate:
            await gate.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
            await gate.commit()
            await gate.execute(text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
            runs = [await _migrate(empty_database_url, tmp_path / f"run-{n}") for n in range(PROCESSES)]
            await _until_waiting(engine, PROCESSES)
            await gate.rollback()  # all go at once

            outputs = await asyncio.wait_for(asyncio.gather(*(run.communicate() for run in runs)), WAIT)
        failed = [out.decode() for run, (out, _) in zip(runs, outputs, strict=True) if run.returncode != 0]
        assert failed == []
        async with engine.connect() as connection:
            versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]
    finally:
        await engine.dispose()


async def test_an_unreachable_database_fails_the_job_with_the_kind_of_failure(tmp_path: Path) -> None:
    run = await _migrate("postgresql+asyncpg://safeguarding@127.0.0.1:1/safeguarding", tmp_path)
    out, _ = await asyncio.wait_for(run.communicate(), WAIT)

    assert run.returncode == 1
    assert "the case store is unreachable" in out.decode()
    assert "Traceback" not in out.decode()


async def _migrate(url: str, data_dir: Path) -> asyncio.subprocess.Process:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGUARDING_")}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "starter",
        "migrate",
        cwd=ROOT,
        env={**inherited, "DATABASE_URL": url, "SAFEGUARDING_DATA_DIR": str(data_dir)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _until_waiting(engine: AsyncEngine, count: int) -> None:
    """Return once `count` sessions wait for a lock (the table's, or the migrations' advisory lock)."""

    async def waiting() -> None:
        while True:
            async with engine.connect() as connection:
                found = (await connection.execute(WAITING)).scalar_one()
            if found >= count:
                return
            await asyncio.sleep(0.1)

    await asyncio.wait_for(waiting(), WAIT)
