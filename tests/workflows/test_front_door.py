"""The front door: contact, consent, the decision and its hand-off (statutory-rules.md §2)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from safeguarding.activity_names import ActivityName
from safeguarding.codes import ConsentState, ContactOutcome, DeadlineState, Role
from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.front_door import (
    ConsentOverrideGround,
    DecideContact,
    FrontDoorInput,
    FrontDoorResult,
    OverrideConsent,
    RecordConsent,
    front_door_id,
)
from safeguarding.models import ProcessSnapshot, ProcessStatus
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import last_working_day_at


async def _contact_in_office_hours(harness: Harness):
    case = await harness.new_case()
    received = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    contact = await harness.new_contact(case, received)
    handle = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )
    return case, handle


async def test_contact_decided_by_the_team_manager_meets_the_clock_and_tells_the_referrer(harness: Harness) -> None:
    case, handle = await _contact_in_office_hours(harness)
    await handle.execute_update(
        "record_consent", RecordConsent(actor=harness.actor(Role.SOCIAL_WORKER), consent=ConsentState.GIVEN)
    )
    await handle.execute_update(
        "decide_contact",
        DecideContact(
            actor=harness.actor(Role.TEAM_MANAGER),
            outcome=ContactOutcome.EARLY_HELP,
            rationale="Needs met by the family hub",
        ),
    )
    result = await handle.result()
    status = await handle.query("status", result_type=ProcessStatus)

    assert result.outcome is ContactOutcome.EARLY_HELP
    assert status.stage == "closed"
    [deadline] = status.deadlines
    assert deadline.rule_id == "referral_decision"
    assert deadline.state is DeadlineState.MET
    assert [d.decision for d in status.decisions] == ["record_consent", "decide_contact"]
    letters = [(m["To"], m["Subject"]) for m in harness.smtp.messages]
    assert letters == [
        ("referrer@example.invalid", f"We have received your referral (our reference {case.reference})"),
        ("referrer@example.invalid", f"The outcome of your referral (our reference {case.reference})"),
    ]


async def _records(harness: Harness, handle: WorkflowHandle) -> list[ProcessSnapshot]:
    """Return what each `record_process` the process scheduled was given, in order, read from its history."""
    records = []
    async for event in handle.fetch_history_events():
        scheduled = event.activity_task_scheduled_event_attributes
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED and (
            scheduled.activity_type.name == ActivityName.RECORD_PROCESS
        ):
            [snapshot] = await harness.client.data_converter.decode(scheduled.input.payloads, [ProcessSnapshot])
            records.append(snapshot)
    return records


async def test_each_record_carries_only_what_changed_since_the_last(harness: Harness) -> None:
    _, handle = await _contact_in_office_hours(harness)
    await handle.execute_update(
        "record_consent", RecordConsent(actor=harness.actor(Role.SOCIAL_WORKER), consent=ConsentState.GIVEN)
    )
    await handle.execute_update(
        "decide_contact",
        DecideContact(actor=harness.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="Advice."),
    )
    await handle.result()

    records = await _records(harness, handle)

    # The deadline goes once as set and once as met; each decision and entry once; the tasks when they change.
    assert [(d.key, d.state) for r in records for d in r.deadlines] == [
        ("referral_decision", DeadlineState.PENDING),
        ("referral_decision", DeadlineState.MET),
    ]
    assert [d.decision for r in records for d in r.decisions] == ["record_consent", "decide_contact"]
    keys = [e.key for r in records for e in r.chronology]
    assert len(keys) == len(set(keys))
    sent = [tuple(t.key for t in r.tasks) for r in records if r.tasks is not None]
    assert records[0].tasks is not None and "decide_contact" in sent[0]
    assert sent[-1] == ()
    assert all(before != after for before, after in pairwise(sent))
    assert records[-1].stage == "closed" and records[-1].tasks is None


async def test_a_decision_by_a_social_worker_is_rejected_and_the_contact_stays_open(harness: Harness) -> None:
    _, handle = await _contact_in_office_hours(harness)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            "decide_contact",
            DecideContact(actor=harness.actor(Role.SOCIAL_WORKER), outcome=ContactOutcome.NFA_ADVICE, rationale="x"),
        )
    assert "social_worker may not make this decision" in str(failure.value.cause)
    status = await handle.query("status", result_type=ProcessStatus)
    assert status.stage == "screening"
    assert status.decisions == ()


async def _reject(handle, update: str, command, expected: str) -> None:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, command)
    assert expected in str(failure.value.cause)


async def test_bad_decisions_are_refused_with_a_reason_and_nothing_is_lost(harness: Harness) -> None:
    _, handle = await _contact_in_office_hours(harness)
    manager = harness.actor(Role.TEAM_MANAGER)
    now = await harness.env.get_current_time()
    await _reject(
        handle,
        "decide_contact",
        DecideContact(actor=manager, outcome=ContactOutcome.ASSESSMENT, rationale="  "),
        "a rationale is required",
    )
    await _reject(
        handle,
        "decide_contact",
        DecideContact(
            actor=manager, outcome=ContactOutcome.ASSESSMENT, rationale="risk", effective_at=now + timedelta(days=2)
        ),
        "in the future",
    )
    await _reject(
        handle,
        "decide_contact",
        DecideContact(
            actor=manager, outcome=ContactOutcome.ASSESSMENT, rationale="risk", effective_at=now - timedelta(days=30)
        ),
        "dated before",
    )
    await _reject(
        handle,
        "override_consent",
        OverrideConsent(
            actor=harness.actor(Role.SOCIAL_WORKER),
            ground=ConsentOverrideGround.RISK_OF_SIGNIFICANT_HARM,
            rationale="risk",
        ),
        "may not make this decision",
    )
    await _reject(
        handle,
        "override_consent",
        OverrideConsent(actor=manager, ground=ConsentOverrideGround.RISK_OF_SIGNIFICANT_HARM),
        "a rationale is required",
    )
    await handle.execute_update(
        "override_consent",
        OverrideConsent(
            actor=manager,
            ground=ConsentOverrideGround.UNDERMINE_CRIMINAL_INVESTIGATION,
            rationale="Parents are suspects in a police investigation",
        ),
    )
    await _reject(
        handle,
        "override_consent",
        OverrideConsent(actor=manager, ground=ConsentOverrideGround.RISK_OF_SIGNIFICANT_HARM, rationale="again"),
        "already decided",
    )

    status = await handle.query("status", result_type=ProcessStatus)
    assert [(d.decision, d.outcome) for d in status.decisions] == [
        ("override_consent", "overridden: undermine_criminal_investigation")
    ]
    assert status.stage == "screening"


async def test_a_malformed_decision_is_refused_and_the_contact_keeps_running(harness: Harness) -> None:
    _, handle = await _contact_in_office_hours(harness)
    malformed = {
        "actor": {
            "practitioner_id": harness.team.team_manager_id,
            "role": "team_manager",
            "team_id": harness.team.team_id,
        },
        "outcome": "send_to_the_moon",
        "rationale": "x",
    }
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update("decide_contact", malformed)
    await handle.execute_update(
        "decide_contact",
        DecideContact(
            actor=harness.actor(Role.TEAM_MANAGER),
            outcome=ContactOutcome.NFA_ADVICE,
            rationale="Advice given to the referrer",
        ),
    )
    assert (await handle.result()).outcome is ContactOutcome.NFA_ADVICE


async def test_assessment_outcome_starts_the_assessment_of_the_referral(harness: Harness) -> None:
    case, handle = await _contact_in_office_hours(harness)
    await handle.execute_update(
        "decide_contact",
        DecideContact(
            actor=harness.actor(Role.TEAM_MANAGER),
            outcome=ContactOutcome.ASSESSMENT,
            rationale="Needs assessment of parenting capacity",
        ),
    )
    result = await handle.result()
    assessment = harness.client.get_workflow_handle(assessment_id(case.reference))
    status = await assessment.query("status", result_type=ProcessStatus)

    assert result.handed_to == "assessment"
    assert status.stage == "allocation"
    [deadline] = status.deadlines
    front_door = await handle.query("status", result_type=ProcessStatus)
    assert deadline.basis.startswith("45 working days after the referral on ")
    assert front_door.deadlines[0].basis.split(" on ")[1].startswith(deadline.basis.split(" on ")[1][:10])
