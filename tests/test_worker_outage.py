"""`python -m worker` started while its PostgreSQL is down: it polls, retries the migration, and migrates when it can.

A real worker process, pointed at an embedded PostgreSQL that is not running yet (its socket folder is
empty), then started. Meanwhile a daily digest runs: its step that needs the case store fails quietly and is
retried until the store is back and migrated. No traceback is an acceptable answer to an outage.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
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
from safeguarding.service.worker_wait import worker_polling
from tests.fixtures.temporal import PROFILE, TEST_KEYS

ROOT = Path(__file__).resolve().parents[1]
WAIT = 120.0

pytestmark = pytest.mark.dev_server


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder outside pytest's temporary tree (pgserver, as root, opens up the folders above its data)."""
    made = Path(tempfile.mkdtemp(prefix="safeguarding-outage-"))
    yield made
    shutil.rmtree(made, ignore_errors=True)


@contextlib.asynccontextmanager
async def worker_process(env: dict[str, str]) -> AsyncIterator[tuple[asyncio.subprocess.Process, list[str]]]:
    """Run `python -m worker` and collect what it logs; stop it when the context is left."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "worker",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    lines: list[str] = []

    async def collect() -> None:
        assert process.stdout is not None
        while line := await process.stdout.readline():
            lines.append(line.decode())

    reading = asyncio.create_task(collect())
    try:
        yield process, lines
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await process.wait()
        await reading


async def logged(lines: list[str], text: str, process: asyncio.subprocess.Process) -> None:
    """Return once the worker has logged `text`; fail if it exits first."""

    async def seen() -> None:
        while not any(text in line for line in lines):
            assert process.returncode is None, "the worker exited:\n" + "".join(lines)
            await asyncio.sleep(0.1)

    await asyncio.wait_for(seen(), WAIT)


async def test_the_worker_polls_while_postgres_is_down_and_migrates_once_it_comes_up(
    dev_server_env: WorkflowEnvironment, folder: Path
) -> None:
    pgdata = folder / "pgdata"
    queue = f"test-outage-{uuid.uuid4()}"
    url = f"postgresql://postgres@/postgres?host={pgdata}"
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGUARDING_")}
    env = {
        **inherited,
        "DATABASE_URL": url,
        "SAFEGUARDING_ENVIRONMENT": "test",
        "SAFEGUARDING_TEMPORAL_ADDRESS": dev_server_env.client.service_client.config.target_host,
        "SAFEGUARDING_TASK_QUEUE": queue,
        "SAFEGUARDING_PAYLOAD_KEYS": ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in TEST_KEYS),
        "SAFEGUARDING_DATA_DIR": str(folder / "data"),
        "PYTHONUNBUFFERED": "1",
    }
    server = None
    try:
        async with worker_process(env) as (process, lines):
            await logged(lines, "migration check 2 failed", process)
            await _until_polling(dev_server_env, queue)
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


async def _until_polling(env: WorkflowEnvironment, queue: str) -> None:
    """Return once the server lists the worker's poller (its first poll follows its log line)."""
    for _ in range(int(WAIT * 10)):
        if await worker_polling(env.client, queue):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no worker was seen polling {queue}")


def _head() -> str:
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())
