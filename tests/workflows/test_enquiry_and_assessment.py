"""A section 47 enquiry and the other processes of its case (statutory-rules.md §3, §5, §9).

A joint enquiry with the police is emergency action: the assessment running on the case defers its joint
visit with health until the enquiry is concluded, told by the enquiry, not by a second record. While the
enquiry runs, it shows when the initial conference would be due.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import EnquiryOutcome, Role, StrategyOutcome
from safeguarding.commands.assessment import JointVisitStage, RecordEmergencyAction
from safeguarding.models import ProcessStatus
from safeguarding.store.chronology import list_chronology
from safeguarding.working_days import add_working_days, local_date
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import allocate_and_see, joint_visit, start_assessment, status
from tests.workflows.child_protection_steps import conclude, conference, enquiry, hold_and_decide, start_discussion
from tests.workflows.time_control import eventually, last_working_day_at

DEFERRED = "deferred_for_emergency_action"


async def _emergency_records(handle) -> list[tuple[str, str]]:
    return [
        (d.outcome, d.actor_id) for d in (await status(handle)).decisions if d.decision == "record_emergency_action"
    ]


async def test_a_joint_enquiry_defers_the_assessments_joint_visit_until_it_is_concluded(harness: Harness) -> None:
    now = await harness.env.get_current_time()
    case = await harness.new_case(date_of_birth=local_date(now) - timedelta(days=2 * 365))
    assessment = await start_assessment(harness, case, last_working_day_at(now, harness.calendar))
    discussion = await start_discussion(harness, case, now - timedelta(hours=1))
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_JOINT_WITH_POLICE)
    s47 = await enquiry(harness, case)

    async def deferred():
        """the assessment has taken the enquiry's emergency action"""
        return await _emergency_records(assessment)

    chair = harness.team.team_manager_id
    assert await eventually(deferred) == [("emergency action under way", chair)]
    await allocate_and_see(harness, assessment)
    assert (await status(assessment)).facts.joint_visit == DEFERRED
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await assessment.execute_update(
            "record_emergency_action",
            RecordEmergencyAction(
                actor=harness.actor(Role.SOCIAL_WORKER), under_way=True, rationale="Joint police investigation"
            ),
        )
    assert "already under way" in str(refused.value.cause)

    await conclude(harness, s47, EnquiryOutcome.NOT_SUBSTANTIATED_NFA)
    await joint_visit(harness, case)
    resumed = await status(assessment)

    assert resumed.facts.joint_visit == JointVisitStage.UNDER_WAY
    assert await _emergency_records(assessment) == [
        ("emergency action under way", chair),
        ("emergency action ended", chair),
    ]
    await s47.result()
    async with harness.sessionmaker() as session:
        entries = await list_chronology(case.case_id, session=session)
    assert [e["event"] for e in entries if e["workflow_id"] == s47.id].count("s47.assessment_told") == 2


async def test_a_running_enquiry_shows_the_initial_conferences_target_date_from_its_start(harness: Harness) -> None:
    case = await harness.new_case()
    discussion = await start_discussion(harness, case, await harness.env.get_current_time() - timedelta(hours=2))
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    held = next(
        d.effective_at
        for d in (await discussion.query("status", result_type=ProcessStatus)).decisions
        if d.decision == "record_discussion"
    )
    s47 = await enquiry(harness, case)
    running = (await s47.query("status", result_type=ProcessStatus)).facts

    assert running.icpc_target_date == add_working_days(local_date(held), 15, harness.calendar)
    await conclude(harness, s47, EnquiryOutcome.SUBSTANTIATED)
    convened = await (await conference(harness, case)).query("status", result_type=ProcessStatus)
    assert convened.facts.icpc_target_date == running.icpc_target_date
