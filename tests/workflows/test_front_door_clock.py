"""The front door against the clock: out of hours, and a missed referral decision (statutory-rules.md §1, §2).

Time-skipping server only: these tests move the clock by days.
"""

from __future__ import annotations

from datetime import time

import pytest
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import ContactOutcome, DeadlineState, Role, StrategyReason
from safeguarding.commands.front_door import (
    DecideContact,
    DecideOutOfHours,
    FrontDoorInput,
    FrontDoorResult,
    front_door_id,
)
from safeguarding.models import ProcessStatus
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import eventually, next_weekday_at, skip_to

MONDAY, THURSDAY, SATURDAY = 0, 3, 5


async def _contact_at(harness: Harness, received):
    case = await harness.new_case()
    await skip_to(harness.env, received)
    contact = await harness.new_contact(case, received)
    handle = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )
    return case, handle


async def _status(handle) -> ProcessStatus:
    return await handle.query("status", result_type=ProcessStatus)


async def test_a_saturday_contact_goes_to_the_emergency_duty_team_then_to_the_day_team_on_monday(
    skipping: Harness,
) -> None:
    saturday = next_weekday_at(await skipping.env.get_current_time(), SATURDAY, time(14, 0))
    _, handle = await _contact_at(skipping, saturday)
    status = await _status(handle)
    assert status.stage == "edt"
    assert [t.decision for t in status.open_tasks] == ["decide_out_of_hours"]
    assert "not a working day" in status.deadlines[0].basis

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            "decide_contact",
            DecideContact(actor=skipping.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="x"),
        )
    assert "not possible at stage 'edt'" in str(refused.value.cause)

    await skip_to(skipping.env, next_weekday_at(saturday, MONDAY, time(9, 30)))

    async def handed_over():
        """the contact reaches the day team"""
        return (await _status(handle)).stage == "screening"

    await eventually(handed_over)
    summaries = [e["summary"] for e in await _chronology(skipping, handle)]
    assert "handed from the Emergency Duty Team to the day team" in summaries


async def test_the_emergency_duty_team_takes_immediate_protection_out_of_hours(skipping: Harness) -> None:
    saturday = next_weekday_at(await skipping.env.get_current_time(), SATURDAY, time(23, 0))
    _, handle = await _contact_at(skipping, saturday)
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            "decide_out_of_hours",
            DecideOutOfHours(actor=skipping.actor(Role.EDT_WORKER), outcome=ContactOutcome.EARLY_HELP, rationale="x"),
        )
    await handle.execute_update(
        "decide_out_of_hours",
        DecideOutOfHours(actor=skipping.actor(Role.EDT_WORKER), rationale="Police protection taken at 23:10"),
    )
    result = await handle.result()
    status = await _status(handle)
    assert result.outcome is ContactOutcome.IMMEDIATE_PROTECTION
    [hand_off] = status.hand_offs
    assert (hand_off.to_process, hand_off.state) == ("strategy_discussion", "started")
    discussion = await _status(skipping.client.get_workflow_handle(hand_off.workflow_id))
    assert discussion.facts.reason == StrategyReason.IMMEDIATE_PROTECTION
    assert discussion.deadlines[0].basis.startswith("24 hours after the concerns at ")


async def test_a_missed_referral_decision_alerts_the_team_manager_then_the_service_manager(skipping: Harness) -> None:
    monday = next_weekday_at(await skipping.env.get_current_time(), MONDAY, time(10, 0))
    _, handle = await _contact_at(skipping, monday)
    await skip_to(skipping.env, next_weekday_at(monday, THURSDAY, time(10, 0)))

    async def escalated():
        """the overdue alert and the escalation are sent"""
        subjects = [m["Subject"] for m in skipping.smtp.messages]
        return subjects if len([s for s in subjects if "overdue" in s.lower()]) >= 2 else None

    await eventually(escalated)
    received = await skipping.recipients()
    assert received[-2:] == [skipping.team.team_manager_id, skipping.team.service_manager_id]
    status = await _status(handle)
    assert status.deadlines[0].state is DeadlineState.MISSED

    await handle.execute_update(
        "decide_contact",
        DecideContact(
            actor=skipping.actor(Role.TEAM_MANAGER),
            outcome=ContactOutcome.ASSESSMENT,
            rationale="Decided late after the team's sickness absence",
        ),
    )
    await handle.result()
    deadline = (await _status(handle)).deadlines[0]
    assert deadline.state is DeadlineState.MISSED
    assert deadline.met_on is not None


async def _chronology(harness: Harness, handle) -> list[dict]:
    from safeguarding.store.chronology import list_chronology

    status = await _status(handle)
    async with harness.sessionmaker() as session:
        return [dict(row) for row in await list_chronology(status.case_id, session=session)]
