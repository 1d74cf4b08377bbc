"""Strategy discussion, section 47 enquiry and the initial conference (statutory-rules.md §4, §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import (
    Agency,
    ConferenceOutcome,
    CpCategory,
    DeadlineState,
    EnquiryOutcome,
    Role,
    StrategyOutcome,
)
from safeguarding.commands.conference import AgreeDelay, DecideConference, RecordReportsShared, ScheduleConference
from safeguarding.commands.strategy_discussion import DecideStrategy, Participant, RecordDiscussion
from safeguarding.models import ProcessStatus
from safeguarding.schema import plans
from safeguarding.working_days import add_working_days, at_local_time, local_date, next_working_day
from tests.fixtures.temporal import Harness
from tests.workflows.child_protection_steps import (
    chair,
    conclude,
    conference,
    enquiry,
    hold_and_decide,
    running,
    start_discussion,
)


async def _status(handle) -> ProcessStatus:
    return await handle.query("status", result_type=ProcessStatus)


async def _refused(handle, update: str, command, expected: str) -> None:
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(update, command)
    assert expected in str(refused.value.cause)


async def test_the_chair_cannot_decide_until_social_care_police_and_health_have_taken_part(harness: Harness) -> None:
    case = await harness.new_case()
    discussion = await start_discussion(harness, case, await harness.env.get_current_time() - timedelta(hours=1))
    manager = harness.actor(Role.TEAM_MANAGER)
    await discussion.execute_update(
        "record_discussion",
        RecordDiscussion(
            actor=manager, participants=(Participant(agency=Agency.SOCIAL_CARE), Participant(agency=Agency.POLICE))
        ),
    )
    decide = DecideStrategy(
        actor=manager,
        outcome=StrategyOutcome.S47_JOINT_WITH_POLICE,
        rationale="Injury",
        tell_family="Told of the enquiry",
    )
    await _refused(discussion, "decide_strategy", decide, "not without health taking part")
    await _refused(
        discussion,
        "decide_strategy",
        decide.model_copy(update={"actor": harness.actor(Role.SOCIAL_WORKER)}),
        "a social_worker may not make this decision",
    )

    await hold_and_decide(harness, discussion, StrategyOutcome.S47_JOINT_WITH_POLICE)
    await discussion.result()
    final = await _status(discussion)
    s47 = await _status(await enquiry(harness, case))

    assert final.outcome == "s47_joint_with_police"
    assert {d.rule_id: d.state for d in final.deadlines} == {
        "strategy_discussion": DeadlineState.MET,
        "strategy_record_circulation": DeadlineState.MET,
    }
    assert (s47.stage, s47.facts.joint_with_police) == ("enquiry", True)


async def test_a_substantiated_enquiry_convenes_a_conference_whose_chair_makes_a_plan(harness: Harness) -> None:
    case = await harness.new_case()
    now = await harness.env.get_current_time()
    discussion = await start_discussion(harness, case, now - timedelta(hours=2))
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    s47 = await enquiry(harness, case)
    await conclude(harness, s47, EnquiryOutcome.SUBSTANTIATED)
    icpc = await conference(harness, case)
    convened = await _status(icpc)
    assert None not in (
        convened.facts.first_discussion_at,
        convened.facts.last_discussion_at,
        convened.facts.s47_started_at,
    )
    assert convened.deadlines[0].rule_id == "icpc"

    day = next_working_day(local_date(now), harness.calendar)
    await icpc.execute_update(
        "schedule_conference",
        ScheduleConference(
            actor=harness.actor(Role.TEAM_MANAGER), conference_at=at_local_time(day, now.time().replace(microsecond=0))
        ),
    )
    await icpc.execute_update("record_reports_shared", RecordReportsShared(actor=harness.actor(Role.SOCIAL_WORKER)))
    plan = DecideConference(
        actor=chair(),
        outcome=ConferenceOutcome.PLAN,
        category=CpCategory.NEGLECT,
        lead_social_worker_id=harness.team.social_worker_id,
        core_group_member_ids=(harness.team.social_worker_id, harness.team.health_visitor_id),
        rationale="Consensus: continuing risk of significant harm",
    )
    own_team_chair = plan.model_copy(update={"actor": harness.actor(Role.CONFERENCE_CHAIR)})
    await _refused(icpc, "decide_conference", own_team_chair, "independent of the case's line management")
    await _refused(
        icpc,
        "decide_conference",
        plan.model_copy(update={"actor": harness.actor(Role.TEAM_MANAGER)}),
        "a team_manager may not make this decision",
    )
    with pytest.raises(WorkflowUpdateFailedError):
        await icpc.execute_update("decide_conference", {**plan.model_dump(mode="json"), "category": None})

    await icpc.execute_update("decide_conference", plan)
    await icpc.result()
    decided = await _status(icpc)
    [hand_off] = decided.hand_offs
    cp_plan = await _status(await running(harness, hand_off.workflow_id))

    assert decided.outcome == "plan"
    assert decided.deadlines[0].state is DeadlineState.MET
    assert cp_plan.process == "cp_plan"
    # The plan runs for years after the conference that made it: independent of it, never its child.
    assert not (await harness.execution(hand_off.workflow_id)).HasField("parent_execution")


async def test_an_enquiry_not_substantiated_records_a_cin_plan_and_no_conference(harness: Harness) -> None:
    case = await harness.new_case()
    discussion = await start_discussion(harness, case, await harness.env.get_current_time() - timedelta(hours=1))
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    s47 = await enquiry(harness, case)
    await conclude(harness, s47, EnquiryOutcome.NOT_SUBSTANTIATED_CIN_PLAN)
    await s47.result()
    final = await _status(s47)
    async with harness.sessionmaker() as session:
        kinds = (await session.execute(select(plans.c.kind).where(plans.c.case_id == case.case_id))).scalars().all()

    assert final.facts.icpc_not_required is True
    assert final.hand_offs == ()
    assert kinds == ["cin"]


async def test_a_further_discussion_while_the_enquiry_runs_becomes_the_last_discussion(harness: Harness) -> None:
    case = await harness.new_case()
    now = await harness.env.get_current_time()
    first = await start_discussion(harness, case, now - timedelta(hours=3))
    await hold_and_decide(harness, first, StrategyOutcome.S47_JOINT_WITH_POLICE)
    s47 = await enquiry(harness, case)
    second = await start_discussion(harness, case, now - timedelta(hours=1))
    await hold_and_decide(harness, second, StrategyOutcome.S47_JOINT_WITH_POLICE)
    await second.result()
    facts = (await _status(s47)).facts

    assert facts.first_discussion_at < facts.last_discussion_at


async def test_an_exceptional_delay_needs_the_manager_and_the_chair_to_agree_with_reasons(harness: Harness) -> None:
    case = await harness.new_case()
    now = await harness.env.get_current_time()
    discussion = await start_discussion(harness, case, now - timedelta(hours=1))
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    await conclude(harness, await enquiry(harness, case), EnquiryOutcome.SUBSTANTIATED)
    icpc = await conference(harness, case)
    due = (await _status(icpc)).deadlines[0].due_date
    manager = harness.actor(Role.TEAM_MANAGER)
    await _refused(icpc, "agree_delay", AgreeDelay(actor=manager, rationale="x"), "not possible at stage 'scheduling'")

    late = at_local_time(add_working_days(due, 3, harness.calendar), now.time().replace(microsecond=0))
    await icpc.execute_update("schedule_conference", ScheduleConference(actor=manager, conference_at=late))
    tasks = {t.key for t in (await _status(icpc)).open_tasks}
    assert {"agree_delay:team_manager", "agree_delay:conference_chair"} <= tasks
    await _refused(icpc, "agree_delay", AgreeDelay(actor=manager), "a rationale is required")
    await icpc.execute_update("agree_delay", AgreeDelay(actor=manager, rationale="Police disclosure awaited"))
    await _refused(icpc, "agree_delay", AgreeDelay(actor=manager, rationale="again"), "has already agreed")
    assert (await _status(icpc)).deadlines[0].state is DeadlineState.PENDING
    await icpc.execute_update("agree_delay", AgreeDelay(actor=chair(), rationale="Parents' advocate unavailable"))
    extended = (await _status(icpc)).deadlines[0]

    assert extended.state is DeadlineState.EXTENDED
    assert extended.reasons == "Police disclosure awaited; Parents' advocate unavailable"


async def test_a_conference_is_not_scheduled_on_a_weekend(harness: Harness) -> None:
    case = await harness.new_case()
    now = await harness.env.get_current_time()
    discussion = await start_discussion(harness, case, now - timedelta(hours=1))
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    await conclude(harness, await enquiry(harness, case), EnquiryOutcome.SUBSTANTIATED)
    icpc = await conference(harness, case)
    saturday = local_date(now) + timedelta(days=(5 - local_date(now).weekday()) % 7 or 7)
    await _refused(
        icpc,
        "schedule_conference",
        ScheduleConference(
            actor=harness.actor(Role.TEAM_MANAGER),
            conference_at=at_local_time(saturday, now.time().replace(microsecond=0)),
        ),
        "on a working day",
    )
