"""`python -m worker` stopped with SIGTERM (`docker compose stop`, a scale-down) while an activity is in flight.

The worker stops taking tasks, lets the activity finish within its grace period, reports it, and exits 0.
The activity is held in flight by a real lock: the test locks the table of announced closures, which the
calendar refresh's first step reads, and lets go only after the worker has begun to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

import worker
from safeguarding.config import Settings
from tests.fixtures.temporal import PROFILE
from tests.fixtures.worker_process import WAIT, logged, until_polling, worker_env, worker_process

pytestmark = pytest.mark.dev_server

WAITING_ON_THE_LOCK = text(
    "SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = pg_locks.relation "
    "WHERE pg_class.relname = 'announced_closures' AND NOT pg_locks.granted"
)


async def test_sigterm_lets_the_activity_in_flight_finish_and_the_worker_exits_cleanly(
    dev_server_env: WorkflowEnvironment, database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    queue = f"test-shutdown-{uuid.uuid4()}"
    env = worker_env(
        database_url=database_url,
        temporal_address=dev_server_env.client.service_client.config.target_host,
        task_queue=queue,
        data_dir=tmp_path / "data",
        worker_shutdown_seconds=str(WAIT),
    )
    refresh = None
    try:
        async with worker_process(env) as (process, lines), engine.connect() as locker:
            await until_polling(dev_server_env, queue)
            await locker.execute(text("LOCK TABLE announced_closures IN ACCESS EXCLUSIVE MODE"))
            refresh = await dev_server_env.client.start_workflow(
                "CalendarRefresh", id=f"calendar-refresh-{queue}", task_queue=queue
            )
            await _until_an_activity_waits_on_the_lock(engine)

            process.send_signal(signal.SIGTERM)
            await logged(lines, "worker stopping", process)
            await locker.rollback()  # lets the activity read the table and finish
            await asyncio.wait_for(process.wait(), WAIT)

            output = "".join(lines)
            assert process.returncode == 0, output
            assert "worker stopped" in output
            assert "Traceback" not in output, output
        events = [event.event_type async for event in refresh.fetch_history_events()]
        assert EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED in events
        assert EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED not in events
        assert EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT not in events
    finally:
        if refresh is not None:
            with contextlib.suppress(Exception):
                await refresh.terminate(reason="end of test")
        for schedule_id in worker.schedules(Settings(task_queue=queue, environment="test"), PROFILE):
            with contextlib.suppress(Exception):
                await dev_server_env.client.get_schedule_handle(schedule_id).delete()


async def _until_an_activity_waits_on_the_lock(engine: AsyncEngine) -> None:
    async def waiting() -> None:
        while True:
            async with engine.connect() as connection:
                if (await connection.execute(WAITING_ON_THE_LOCK)).scalar_one():
                    return
            await asyncio.sleep(0.1)

    await asyncio.wait_for(waiting(), WAIT)
