"""What the fault tests share: a harness whose workers are processes of their own.

The harness (`tests.fixtures.temporal.Harness`) is the test's view of the case store, the SMTP server and the
task queue; the workers polling that queue are `python -m worker` processes the test starts, kills and
restarts (`tests.faults.fleet`), never a worker inside the test's own process.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

import worker
from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.config import Settings
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.working_days import local_date
from tests.factories import seed_team
from tests.fixtures.temporal import PROFILE, Harness


@contextlib.asynccontextmanager
async def process_harness(
    env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: Any, profile: ProcedureProfile = PROFILE
) -> AsyncIterator[Harness]:
    """A harness on a fresh task queue with no worker of its own; its processes and Schedules go at the end."""
    now = await env.get_current_time()
    harness = Harness(
        env=env,
        task_queue=f"test-faults-{uuid.uuid4()}",
        sessionmaker=db,
        smtp=smtp,
        team=await seed_team(db),
        profile=profile,
        calendar=england_and_wales_calendar(today=local_date(now), local_closures=profile.local_closures),
    )
    try:
        yield harness
    finally:
        for workflow_id in harness.started:
            with contextlib.suppress(RPCError):
                await env.client.get_workflow_handle(workflow_id).terminate(reason="end of test")
        for schedule_id in worker.schedules(Settings(task_queue=harness.task_queue, environment="test"), PROFILE):
            with contextlib.suppress(RPCError):
                await env.client.get_schedule_handle(schedule_id).delete()


@pytest.fixture
async def workerless_harness(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: Any
) -> AsyncIterator[Harness]:
    """A harness on the session's dev server with no worker: the test runs its workers as processes."""
    async with process_harness(dev_server_env, db, smtp) as made:
        yield made
