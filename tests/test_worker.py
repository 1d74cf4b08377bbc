"""The worker's Schedules on the Temporal dev server: kept up to date, on the right clock, doing their work.

The time-skipping test server does not implement Schedules (platform-notes.md), so these tests run on the
dev server, with a worker on a fresh task queue and a `Settings` naming that queue.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, ScheduleRange, WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

import worker
from activities.temporal_fleet import running_processes
from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import DeadlineState
from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.front_door import FrontDoorInput, FrontDoorResult, front_door_id
from safeguarding.config import Settings
from safeguarding.housekeeping import CalendarDistribution, IdempotencySweepRequest, IdempotencySweepResult
from safeguarding.models import DigestResult, ProcessStatus
from safeguarding.schema import deadlines, idempotency_records
from safeguarding.working_days import end_of_day, is_working_day, local_date
from tests.factories import create_idempotency_record
from tests.fixtures.temporal import Harness, running_harness
from tests.workflows.time_control import eventually, last_working_day_at

pytestmark = pytest.mark.dev_server

WEEKDAYS = (ScheduleRange(1, 5),)


@pytest.fixture
async def scheduled(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: Any
) -> AsyncIterator[tuple[Harness, Settings]]:
    """Run a worker on a fresh task queue and put the Schedules on that queue; delete them afterwards."""
    async with running_harness(dev_server_env, db, smtp) as harness:
        settings = Settings(task_queue=harness.task_queue, environment="test")
        await worker.ensure_schedules(harness.client, settings, harness.profile)
        try:
            yield harness, settings
        finally:
            for schedule_id in worker.schedules(settings, harness.profile):
                with contextlib.suppress(RPCError):
                    await harness.client.get_schedule_handle(schedule_id).delete()


async def test_schedules_are_brought_up_to_date_when_ensured_again(
    scheduled: tuple[Harness, Settings],
) -> None:
    harness, settings = scheduled
    later = settings.model_copy(
        update={
            "calendar_refresh_time": time(6, 45),
            "idempotency_sweep_time": time(2, 15),
            "idempotency_retention_days": 45,
        }
    )

    await worker.ensure_schedules(harness.client, later, harness.profile)

    digest = await harness.client.get_schedule_handle("daily-digest").describe()
    refresh = await harness.client.get_schedule_handle("calendar-refresh").describe()
    sweep = await harness.client.get_schedule_handle("idempotency-sweep").describe()
    for description, workflow, at in (
        (digest, "DailyDigest", harness.profile.office.digest_time),
        (refresh, "CalendarRefresh", time(6, 45)),
        (sweep, "IdempotencySweep", time(2, 15)),
    ):
        assert description.schedule.action.workflow == workflow  # type: ignore[attr-defined]
        assert description.schedule.action.task_queue == harness.task_queue  # type: ignore[attr-defined]
        assert description.schedule.spec.time_zone_name == "Europe/London"
        [calendar] = description.schedule.spec.calendars
        assert (calendar.hour, calendar.minute, calendar.day_of_week) == (
            (ScheduleRange(at.hour),),
            (ScheduleRange(at.minute),),
            WEEKDAYS,
        )
    assert harness.profile.office.digest_time == time(8, 30)
    assert refresh.info.last_updated_at is not None
    sweep_args = sweep.schedule.action.args  # type: ignore[attr-defined]
    assert await harness.client.data_converter.decode(sweep_args, [IdempotencySweepRequest]) == [
        IdempotencySweepRequest(retention_days=45)
    ]


async def test_the_triggered_digest_tells_the_team_manager_of_an_overdue_deadline_on_a_working_day(
    scheduled: tuple[Harness, Settings],
) -> None:
    harness, _ = scheduled
    case = await harness.new_case()
    today = local_date(await harness.env.get_current_time())
    async with harness.sessionmaker.begin() as session:
        await _seed_overdue_deadline(session, case.case_id, harness.team.team_id, due=today - timedelta(days=3))
    calendar = england_and_wales_calendar(today=today, local_closures=harness.profile.local_closures)

    await harness.client.get_schedule_handle("daily-digest").trigger()
    result = await (await _started_by(harness.client, "daily-digest", DigestResult)).result()

    manager = f"{harness.team.team_manager_id}@example.invalid"
    digests = [m for m in harness.smtp.messages if m["To"] == manager]
    if is_working_day(today, calendar):
        assert result == DigestResult(teams=1, sent=1)
        [digest] = digests
        assert case.reference in digest.get_content()
    else:  # a bank holiday or a local closure: the workflow sends nothing, by design
        assert result == DigestResult(teams=0, sent=0)
        assert digests == []


async def test_the_triggered_calendar_refresh_offers_the_calendar_to_the_running_process(
    scheduled: tuple[Harness, Settings],
) -> None:
    harness, _ = scheduled
    case = await harness.new_case()
    received = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    contact = await harness.new_contact(case, received)
    front_door = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )

    async def only_this_process_is_listed() -> bool:
        """Visibility lists the front door, and nothing else, as a running process of this task queue."""
        return [w.id async for w in harness.client.list_workflows(running_processes(harness.task_queue))] == [
            front_door.id
        ]

    await eventually(only_this_process_is_listed, attempts=100, interval=0.1)
    today = local_date(await harness.env.get_current_time())
    current = england_and_wales_calendar(today=today, local_closures=harness.profile.local_closures)

    await harness.client.get_schedule_handle("calendar-refresh").trigger()
    result = await (await _started_by(harness.client, "calendar-refresh", CalendarDistribution)).result()

    # The process started on the calendar of its context: it takes today's only if that is a newer one.
    taken = int(current.version != harness.calendar.version)
    assert result == CalendarDistribution(offered=1, taken=taken)
    status = await front_door.query("status", result_type=ProcessStatus)
    assert status.calendar_version == current.version
    assert [d.state for d in status.deadlines] == [DeadlineState.PENDING]


async def test_the_triggered_sweep_deletes_the_idempotency_records_past_retention_and_keeps_the_rest(
    scheduled: tuple[Harness, Settings],
) -> None:
    harness, settings = scheduled
    retention = timedelta(days=settings.idempotency_retention_days)
    async with harness.sessionmaker.begin() as session:
        for key, age in (("past", retention + timedelta(hours=1)), ("within", retention - timedelta(hours=1))):
            await create_idempotency_record(session, principal_id="practitioner-1", key=key, age=age, status_code=201)

    await harness.client.get_schedule_handle("idempotency-sweep").trigger()
    result = await (await _started_by(harness.client, "idempotency-sweep", IdempotencySweepResult)).result()

    assert result == IdempotencySweepResult(deleted=1, batches=1)
    async with harness.sessionmaker() as session:
        assert list(await session.scalars(select(idempotency_records.c.key))) == ["within"]


async def _started_by(client: Client, schedule_id: str, result_type: type) -> WorkflowHandle[Any, Any]:
    """Return the handle of the workflow the Schedule's (first) action started, once it has started."""
    schedule = client.get_schedule_handle(schedule_id)

    async def action_taken() -> ScheduleActionExecutionStartWorkflow | None:
        """The Schedule reports the workflow its triggered action started."""
        actions = (await schedule.describe()).info.recent_actions
        return actions[0].action if actions else None  # type: ignore[return-value]

    started = await eventually(action_taken, attempts=100, interval=0.1)
    return client.get_workflow_handle(
        started.workflow_id, first_execution_run_id=started.first_execution_run_id, result_type=result_type
    )


async def _seed_overdue_deadline(session: AsyncSession, case_id: str, team_id: str, *, due: date) -> None:
    """Record a pending deadline whose day has passed, as a process would have left it."""
    await session.execute(
        insert(deadlines).values(
            workflow_id=assessment_id(case_id),
            deadline_key="assessment",
            case_id=case_id,
            team_id=team_id,
            rule_id="assessment",
            title="Conclude the child and family assessment (manager authorisation)",
            due_date=due,
            passes_at=end_of_day(due),
            basis="seeded for the test",
            citation="statutory-rules.md §3",
            state=DeadlineState.PENDING.value,
        )
    )
