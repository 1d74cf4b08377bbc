"""`python -m worker` started while its PostgreSQL is down: it polls, retries the migration, and migrates when it can.

A real worker process, pointed at an embedded PostgreSQL that is not running yet (its socket folder is
empty), then started. Meanwhile a daily digest runs: its step that needs the case store fails quietly and is
retried until the store is back and migrated. No traceback is an acceptable answer to an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pgserver
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.testing import WorkflowEnvironment

import worker
from safeguarding.config import Settings
from safeguarding.database import alembic_config, asyncpg_url
from safeguarding.models import DigestResult
from tests.fixtures.temporal import PROFILE
from tests.fixtures.worker_process import WAIT, logged, until_polling, worker_env, worker_process

pytestmark = pytest.mark.dev_server


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder outside pytest's temporary tree (pgserver, as root, opens up the folders above its data)."""
    made = Path(tempfile.mkdtemp(prefix="safeguarding-outage-"))
    yield made
    shutil.rmtree(made, ignore_errors=True)


async def test_the_worker_polls_while_postgres_is_down_and_migrates_once_it_comes_up(
    dev_server_env: WorkflowEnvironment, folder: Path
) -> None:
    pgdata = folder / "pgdata"
    queue = f"test-outage-{uuid.uuid4()}"
    url = f"postgresql://postgres@/postgres?host={pgdata}"
    env = worker_env(
        database_url=url,
        temporal_address=dev_server_env.client.service_client.config.target_host,
        task_queue=queue,
        data_dir=folder / "data",
    )
    server = None
    try:
        async with worker_process(env) as (process, lines):
            await logged(lines, "migration check 2 failed", process)
            await until_polling(dev_server_env, queue)
            digest = await dev_server_env.client.start_workflow(
                "DailyDigest", id=f"daily-digest-{queue}", task_queue=queue, result_type=DigestResult
            )
            # Its first step reads the calendar, announced closures included, from the case store.
            await logged(lines, "activity load_calendar", process)

            server = await asyncio.to_thread(pgserver.get_server, pgdata)
            await logged(lines, "is migrated to head", process)
            assert await asyncio.wait_for(digest.result(), WAIT) == DigestResult(teams=0, sent=0)

            assert process.returncode is None
            async_url = asyncpg_url(url)
            engine = create_async_engine(async_url)
            try:
                async with engine.connect() as connection:
                    version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
            finally:
                await engine.dispose()
        output = "".join(lines)
        assert "Traceback" not in output, output
        assert version == _head()
        unavailable = [line for line in output.splitlines() if "the case store is unavailable" in line]
        assert len(unavailable) >= 2
        quiet = [line for line in output.splitlines() if "activity load_calendar" in line]
        assert quiet
        assert all("a service is unavailable (CaseStoreNotReady)" in line for line in quiet)
    finally:
        with contextlib.suppress(Exception):
            await dev_server_env.client.get_workflow_handle(f"daily-digest-{queue}").terminate(reason="end of test")
        for schedule_id in worker.schedules(Settings(task_queue=queue, environment="test"), PROFILE):
            with contextlib.suppress(Exception):
                await dev_server_env.client.get_schedule_handle(schedule_id).delete()
        if server is not None:
            await asyncio.to_thread(server.cleanup)


def _head() -> str:
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())
