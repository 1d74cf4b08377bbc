"""The child and family assessment and its joint visit (statutory-rules.md §3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import AgeBand, AssessmentOutcome, DeadlineState, LeadPractitioner, Role, StrategyReason
from safeguarding.commands.assessment import (
    Allocate,
    Authorise,
    JointVisitStage,
    RecordEmergencyAction,
    ReturnAssessment,
)
from safeguarding.models import DecisionRecord
from safeguarding.schema import hand_offs, health_record_flags
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import (
    allocate_and_see,
    joint_visit,
    joint_visit_done,
    start_assessment,
    status,
    submit,
    walk_joint_visit,
)
from tests.workflows.time_control import last_working_day_at


async def _start(harness: Harness, *, date_of_birth=date(2015, 3, 1), expected_birth_date=None):
    case = await harness.new_case(date_of_birth=date_of_birth, expected_birth_date=expected_birth_date)
    referral = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    return case, await start_assessment(harness, case, referral)


def _authorise(harness: Harness, outcome: AssessmentOutcome, **extra) -> Authorise:
    return Authorise(
        actor=harness.actor(Role.TEAM_MANAGER), outcome=outcome, rationale="Assessment evidences the plan", **extra
    )


async def test_a_school_age_child_is_assessed_and_authorised_into_a_child_in_need_plan(harness: Harness) -> None:
    _, handle = await _start(harness)
    await allocate_and_see(harness, handle)
    await submit(harness, handle, AssessmentOutcome.CIN_PLAN)
    record = await handle.execute_update(
        "authorise", _authorise(harness, AssessmentOutcome.CIN_PLAN), result_type=DecisionRecord
    )
    result = await handle.result()
    final = await status(handle)

    assert result.key == record.key and result.outcome == "cin_plan"
    assert final.stage == "closed" and final.outcome == "cin_plan"
    assert final.facts.age_band == AgeBand.FIVE_AND_OVER
    [deadline] = final.deadlines
    assert (deadline.rule_id, deadline.state) == ("assessment", DeadlineState.MET)
    assert [d.decision for d in final.decisions] == ["allocate", "record_child_seen", "submit_assessment", "authorise"]


async def test_a_toddler_is_visited_jointly_and_the_health_visitor_leads_when_only_they_know_the_family(
    harness: Harness,
) -> None:
    today = (await harness.env.get_current_time()).date()
    case, handle = await _start(harness, date_of_birth=today - timedelta(days=2 * 365))
    await allocate_and_see(harness, handle)
    visit = await joint_visit(harness, case)
    await walk_joint_visit(harness, visit, Role.HEALTH_VISITOR, health_knows=True)
    await visit.result()
    await joint_visit_done(handle)
    await submit(harness, handle, AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    await handle.execute_update(
        "authorise",
        _authorise(harness, AssessmentOutcome.FAMILY_SUPPORT_PLAN, family_consents_to_health_lead=True),
    )
    await handle.result()
    final = await status(handle)

    assert final.facts.lead_practitioner == LeadPractitioner.HEALTH_PRACTITIONER
    assert final.facts.family_support_plan_lead == "health_practitioner"
    assert final.facts.census_closure_reason == "RC9"
    async with harness.sessionmaker() as session:
        flags = (await session.execute(select(health_record_flags.c.case_id))).scalars().all()
    assert flags == [case.case_id]
    briefed = [m for m in harness.smtp.messages if m["To"] != "referrer@example.invalid"]
    assert any(case.reference in m["Subject"] for m in briefed)


async def test_an_unborn_childs_joint_visit_is_with_the_midwife_and_refuses_a_health_visitor(
    harness: Harness,
) -> None:
    today = (await harness.env.get_current_time()).date()
    case, handle = await _start(harness, date_of_birth=None, expected_birth_date=today + timedelta(days=60))
    await allocate_and_see(harness, handle)
    visit = await joint_visit(harness, case)
    from safeguarding.commands.assessment import RecordBackgroundReview, RecordFamilyTold

    await visit.execute_update("record_family_told", RecordFamilyTold(actor=harness.actor(Role.SOCIAL_WORKER)))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await visit.execute_update(
            "record_background_review", RecordBackgroundReview(actor=harness.actor(Role.HEALTH_VISITOR))
        )
    assert "with the midwife" in str(refused.value.cause)
    await visit.execute_update("record_background_review", RecordBackgroundReview(actor=harness.actor(Role.MIDWIFE)))
    assert (await status(visit)).stage == "pre_meet"
    assert (await status(handle)).facts.age_band == AgeBand.UNBORN


async def test_emergency_action_defers_the_joint_visit_and_submitting_skips_it(harness: Harness) -> None:
    today = (await harness.env.get_current_time()).date()
    _, handle = await _start(harness, date_of_birth=today - timedelta(days=400))
    await handle.execute_update(
        "record_emergency_action",
        RecordEmergencyAction(
            actor=harness.actor(Role.TEAM_MANAGER), under_way=True, rationale="Joint police investigation under way"
        ),
    )
    await allocate_and_see(harness, handle)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            "record_emergency_action",
            RecordEmergencyAction(actor=harness.actor(Role.TEAM_MANAGER), under_way=True, rationale="again"),
        )
    assert "already under way" in str(refused.value.cause)
    await submit(harness, handle, AssessmentOutcome.STRATEGY_DISCUSSION)
    await handle.execute_update("authorise", _authorise(harness, AssessmentOutcome.STRATEGY_DISCUSSION))
    await handle.result()
    final = await status(handle)

    assert final.facts.joint_visit == JointVisitStage.SKIPPED
    assert "record_emergency_action" in [d.decision for d in final.decisions]
    [hand_off] = final.hand_offs
    assert (hand_off.to_process, hand_off.state) == ("strategy_discussion", "started")
    discussion = await status(harness.client.get_workflow_handle(hand_off.workflow_id))
    assert (discussion.stage, discussion.facts.reason) == ("discussion", StrategyReason.ASSESSMENT)
    async with harness.sessionmaker() as session:
        stored = (await session.execute(select(hand_offs.c.to_process, hand_offs.c.state))).all()
    assert [tuple(row) for row in stored] == [("strategy_discussion", "started")]


async def test_bad_assessment_decisions_are_refused_with_reasons(harness: Harness) -> None:
    _, handle = await _start(harness)
    from safeguarding.commands.assessment import Allocate

    with pytest.raises(WorkflowUpdateFailedError, match="update failed") as refused:
        await handle.execute_update(
            "allocate",
            Allocate(actor=harness.actor(Role.SOCIAL_WORKER), social_worker_id=harness.team.social_worker_id),
        )
    assert "a social_worker may not make this decision" in str(refused.value.cause)
    await allocate_and_see(harness, handle)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update("authorise", _authorise(harness, AssessmentOutcome.NFA))
    assert "not possible at stage 'in_progress'" in str(refused.value.cause)
    await submit(harness, handle, AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update("authorise", _authorise(harness, AssessmentOutcome.FAMILY_SUPPORT_PLAN))
    assert "consents to the health practitioner" in str(refused.value.cause)
    await handle.execute_update(
        "return_assessment",
        ReturnAssessment(actor=harness.actor(Role.TEAM_MANAGER), rationale="Analysis of the father's role missing"),
    )
    assert (await status(handle)).stage == "in_progress"
    await submit(harness, handle, AssessmentOutcome.NFA)
    await handle.execute_update("authorise", _authorise(harness, AssessmentOutcome.NFA))
    assert (await handle.result()).outcome == "nfa"
    assert (await status(handle)).facts.census_closure_reason == "RC8"


async def test_allocating_at_once_starts_the_joint_visit_only_once(harness: Harness) -> None:
    today = (await harness.env.get_current_time()).date()
    case = await harness.new_case(date_of_birth=today - timedelta(days=2 * 365))
    referral = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    handle = await start_assessment(harness, case, referral)
    # At once: the allocation is handled while the run is still reading the case facts.
    await handle.execute_update(
        "allocate", Allocate(actor=harness.actor(Role.TEAM_MANAGER), social_worker_id=harness.team.social_worker_id)
    )
    await joint_visit(harness, case)
    starts = [
        event.event_type
        async for event in handle.fetch_history_events()
        if event.event_type
        in (
            EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
            EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
        )
    ]
    assert starts == [EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED]
