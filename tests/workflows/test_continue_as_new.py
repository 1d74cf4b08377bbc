"""A long-running process continued as new while a reminder is being sent neither loses nor repeats it.

An alarm is marked sent before its notice goes (statutory-rules.md §1: each reminder is sent once), and the
mark travels with the next run; so a run that ended while the notice was still being delivered would cut
the delivery off, and the reminder would never arrive. The shared run loop (`workflows/_run_loop.py`)
waits for the notice. Here the SMTP server delays the reminder (it answers `451 try again later` until the
test lets it through) while Temporal suggests continuing as new: a dev server of this module's own
suggests it once a run's history passes `SUGGEST_AT` events, and the test fills the history with
calendar updates while the reminder waits.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from safeguarding import search_attributes as sa
from safeguarding.models import CalendarUpdate
from safeguarding.schema import chronology
from safeguarding.working_days import LONDON, at_local_time, subtract_working_days
from starter.time_skipping import server_binary
from tests.fixtures.temporal import CONVERTER, SIGNER, Harness, running_harness
from tests.workflows.assessment_steps import start_assessment
from tests.workflows.cp_plan_steps import start_plan
from tests.workflows.lado_steps import notification_form, seed_lado_team, start_lado
from tests.workflows.time_control import eventually

SUGGEST_AT = 30
"""The history length at which this module's dev server suggests continuing as new (default: 4,096 events)."""
DELAYED = "451 4.3.0 Try again later"


@pytest.fixture(scope="module")
async def suggesting_env() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server that suggests continuing as new after `SUGGEST_AT` events."""
    start = functools.partial(WorkflowEnvironment.start_local, dev_server_existing_path=server_binary("temporal"))
    suggest = ["--dynamic-config-value", f"limit.historyCount.suggestContinueAsNew={SUGGEST_AT}"]
    env = await start(
        data_converter=CONVERTER, interceptors=[SIGNER], search_attributes=sa.ALL, dev_server_extra_args=suggest
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def suggesting(
    suggesting_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: Any
) -> AsyncIterator[Harness]:
    async with running_harness(suggesting_env, db, smtp) as running:
        yield running


async def _working_days_ago(harness: Harness, days: int) -> datetime:
    """Return 08:00 on the working day `days` working days before the server's today."""
    today = (await harness.env.get_current_time()).astimezone(LONDON).date()
    return at_local_time(subtract_working_days(today, days, harness.calendar), time(8, 0))


async def _start_assessment(harness: Harness) -> tuple[WorkflowHandle, list[str]]:
    # 42 working days into 45: the reminder 5 working days before is already due, the deadline is not.
    case = await harness.new_case()
    handle = await start_assessment(harness, case, await _working_days_ago(harness, 42))
    team = harness.team
    return handle, [team.team_id, team.team_manager_id, team.social_worker_id]


async def _start_plan(harness: Harness) -> tuple[WorkflowHandle, list[str]]:
    # The first core group is due within 10 working days of the conference; 7 have gone.
    case = await harness.new_case()
    handle = await start_plan(harness, case, await _working_days_ago(harness, 7))
    return handle, [harness.team.social_worker_id]


async def _start_lado(harness: Harness) -> tuple[WorkflowHandle, list[str]]:
    # Notified a working day ago: the reminder of the response (1 working day) is due.
    team = await seed_lado_team(harness)
    notified = await _working_days_ago(harness, 1)
    handle = await start_lado(
        harness, team, notification_form(team, came_to_attention_at=notified, notified_at=notified)
    )
    return handle, [team.lado_id]


Start = Callable[[Harness], Awaitable[tuple[WorkflowHandle, list[str]]]]


@pytest.mark.parametrize("start", [_start_assessment, _start_plan, _start_lado], ids=["assessment", "cp-plan", "lado"])
async def test_a_continue_as_new_while_a_reminder_is_delayed_neither_loses_nor_repeats_it(
    suggesting: Harness, start: Start
) -> None:
    smtp = suggesting.smtp
    handle, recipients = await start(suggesting)
    addresses = [f"{who}@example.invalid" for who in recipients]
    for address in addresses:
        smtp.refuse(address, DELAYED)
    latest = suggesting.client.get_workflow_handle(handle.id)
    first_run = (await latest.describe()).run_id

    async def held() -> bool:
        """the SMTP server has delayed the reminder once"""
        return sum(smtp.refusals(a) for a in addresses) > 0

    await eventually(held, attempts=200)
    pumped = 0
    while len((await handle.fetch_history()).events) < SUGGEST_AT + 5 and (await latest.describe()).run_id == first_run:
        pumped += 1
        version = suggesting.calendar.model_copy(update={"version": f"announced-{pumped}"})
        await latest.execute_update("apply_calendar", CalendarUpdate(calendar=version))
    for address in addresses:
        smtp.accept(address)

    async def continued() -> str | None:
        """the process has continued as new"""
        run = (await latest.describe()).run_id
        return run if run != first_run else None

    new_run = await eventually(continued, attempts=600)
    new_handle = suggesting.client.get_workflow_handle(handle.id, run_id=new_run)

    async def settled() -> list[Any] | None:
        """the new run has completed its first workflow task, where it works out its alarms"""
        events = (await new_handle.fetch_history()).events
        done = any(e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED for e in events)
        return events if done else None

    new_history = await eventually(settled)
    reminders = [m for m in smtp.messages if m["Subject"].startswith("Reminder")]
    assert len(reminders) == 1
    scheduled = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in new_history
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    assert "send_notice" not in scheduled
    async with suggesting.sessionmaker() as session:
        query = select(chronology.c.event).where(
            chronology.c.workflow_id == handle.id, chronology.c.event == "deadline.reminder"
        )
        assert len((await session.execute(query)).scalars().all()) == 1
