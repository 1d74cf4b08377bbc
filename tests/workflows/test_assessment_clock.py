"""The assessment's 45 working days against the clock, and a bank holiday announced mid-case (§1, §3).

Time-skipping server only: these tests move the clock by weeks.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import AssessmentOutcome, DeadlineState, Role
from safeguarding.commands.assessment import Authorise
from safeguarding.models import CalendarUpdate
from safeguarding.working_days import (
    ClosedDay,
    WorkingCalendar,
    add_working_days,
    at_local_time,
    describe_day,
    next_working_day,
    previous_working_day,
)
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import allocate_and_see, start_assessment, status, submit
from tests.workflows.time_control import eventually, next_weekday_at, skip_to

MONDAY = 0


async def _monday_referral(harness: Harness):
    case = await harness.new_case()
    referral = next_weekday_at(await harness.env.get_current_time(), MONDAY, time(10, 0))
    await skip_to(harness.env, referral)
    return case, referral, await start_assessment(harness, case, referral)


async def test_a_late_assessment_reminds_the_social_worker_alerts_managers_and_needs_reasons(
    skipping: Harness,
) -> None:
    _, referral, handle = await _monday_referral(skipping)
    await allocate_and_see(skipping, handle)
    deadline = (await status(handle)).deadlines[0]
    assert deadline.due_date == add_working_days(referral.date(), 45, skipping.calendar)

    escalation_day = add_working_days(deadline.due_date, 2, skipping.calendar)
    await skip_to(skipping.env, at_local_time(escalation_day, time(12)))

    async def all_sent():
        """two reminders, the overdue alert and the escalation have been sent"""
        return len(skipping.smtp.messages) >= 4 or None

    await eventually(all_sent)
    team = skipping.team
    assert await skipping.recipients() == [
        team.social_worker_id,
        team.social_worker_id,
        team.team_manager_id,
        team.service_manager_id,
    ]
    # Each reminder's subject says how long is left: 5 working days, then 1 (tomorrow, unless a weekend
    # or a bank holiday falls between).
    last_day = (
        "due tomorrow"
        if deadline.due_date - timedelta(days=1) == previous_working_day(deadline.due_date, skipping.calendar)
        else "due in 1 working day"
    )
    subjects = [m["Subject"] for m in skipping.smtp.messages[:2]]
    assert [s.split(", ")[-1] for s in subjects] == [
        f"due in 5 working days (by {describe_day(deadline.due_date)})",
        f"{last_day} (by {describe_day(deadline.due_date)})",
    ]
    late = await status(handle)
    assert late.deadlines[0].state is DeadlineState.MISSED

    await submit(skipping, handle, AssessmentOutcome.CIN_PLAN)
    manager = skipping.actor(Role.TEAM_MANAGER)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            "authorise", Authorise(actor=manager, outcome=AssessmentOutcome.CIN_PLAN, rationale="Plan needed")
        )
    assert "record the reasons for the delay" in str(refused.value.cause)
    await handle.execute_update(
        "authorise",
        Authorise(
            actor=manager,
            outcome=AssessmentOutcome.CIN_PLAN,
            rationale="Plan needed",
            reasons_for_delay="Father's assessment waited for the prison visit",
        ),
    )
    await handle.result()
    final = (await status(handle)).deadlines[0]
    assert final.state is DeadlineState.MISSED
    assert final.met_on is not None and final.met_on > final.due_date
    assert final.reasons == "Father's assessment waited for the prison visit"


async def test_a_newly_announced_bank_holiday_moves_the_deadline_still_ahead(skipping: Harness) -> None:
    _, referral, handle = await _monday_referral(skipping)
    before = (await status(handle)).deadlines[0]
    one_off = next_working_day(referral.date(), skipping.calendar)
    newer = WorkingCalendar.of([*skipping.calendar.closed_days, ClosedDay(day=one_off, name="One-off bank holiday")])

    moved = await handle.execute_update("apply_calendar", CalendarUpdate(calendar=newer), result_type=list[str])
    after = await status(handle)

    assert moved == ["assessment"]
    assert after.calendar_version == newer.version != skipping.calendar.version
    assert after.deadlines[0].due_date == next_working_day(before.due_date, newer)
    assert "is a bank holiday" in after.deadlines[0].basis or "are bank holidays" in after.deadlines[0].basis
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update("apply_calendar", CalendarUpdate(calendar=newer))
    assert "already in use" in str(refused.value.cause)
