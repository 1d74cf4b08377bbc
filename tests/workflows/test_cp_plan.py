"""The child protection plan: core groups, review conferences, endings and the plans register (§5, §9).

These run on both servers and never move the clock: decisions are dated in the recent past.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import Agency, CpCategory, DeadlineState, PlanEndReason, ReviewOutcome, Role
from safeguarding.commands.cp_plan import DecideReview, EndWithoutConference, RecordBirth, RecordCoreGroup
from safeguarding.commands.strategy_discussion import Dissent
from safeguarding.schema import chronology, deadlines, plans
from safeguarding.working_days import add_working_days, at_local_time, local_date, previous_working_day
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.workflows.cp_plan_steps import agency_teams, chair, due, start_plan, status
from tests.workflows.time_control import eventually


async def days_ago(harness: Harness, days: int) -> datetime:
    """Return 10:00 on the working day at or before `days` days ago: a conference already held."""
    today = local_date(await harness.env.get_current_time())
    return at_local_time(previous_working_day(today - timedelta(days=days - 1), harness.calendar), time(10, 0))


async def started(handle) -> None:
    async def in_register():
        """the plan is in the plans register"""
        return (await status(handle)).facts.previous_plans is not None

    await eventually(in_register)


async def run_number(handle, run: int) -> None:
    async def continued():
        """the plan continued as new"""
        try:
            return (await status(handle)).facts.runs == run
        except RPCError as err:
            # A query can time out while the new run's first task waits for a busy worker: ask again.
            if err.status is not RPCStatusCode.DEADLINE_EXCEEDED:
                raise
            return False

    await eventually(continued)


async def register(harness: Harness, case: CaseIds) -> list[dict]:
    async with harness.sessionmaker() as session:
        query = select(plans).where(plans.c.case_id == case.case_id).order_by(plans.c.id)
        return [dict(row) for row in (await session.execute(query)).mappings()]


def review(outcome: ReviewOutcome, at: datetime, category: CpCategory | None = None, **extra) -> DecideReview:
    return DecideReview(
        actor=chair(), outcome=outcome, category=category, effective_at=at, rationale="Consensus reached", **extra
    )


async def test_a_plan_starts_on_the_conference_date_with_its_first_core_group_and_review_due(harness: Harness) -> None:
    case = await harness.new_case()
    icpc = await days_ago(harness, 1)
    handle = await start_plan(harness, case, icpc)
    await started(handle)
    plan = await status(handle)

    assert plan.stage == "active"
    assert due(plan, "core_group_1").due_date == add_working_days(local_date(icpc), 10, harness.calendar)
    assert due(plan, "review_1").rule_id == "first_review"
    assert (plan.facts.category, plan.facts.previous_plans, plan.facts.runs) == (CpCategory.NEGLECT, 0, 1)
    assert [t.decision for t in plan.open_tasks] == ["record_core_group", "schedule_review", "decide_review"]
    [row] = await register(harness, case)
    assert (row["kind"], row["started_on"], row["category"]) == ("cp", local_date(icpc), "NEG")


async def test_a_review_continues_the_plan_with_a_new_category_and_the_next_ends_it_stepping_down_to_cin(
    harness: Harness,
) -> None:
    case = await harness.new_case()
    agencies = await agency_teams(harness, "Police", "Primary School")
    icpc = await days_ago(harness, 40)
    handle = await start_plan(harness, case, icpc, agencies=agencies)
    await started(handle)

    await handle.execute_update(
        "record_core_group",
        RecordCoreGroup(actor=harness.actor(Role.SOCIAL_WORKER), effective_at=icpc + timedelta(days=7)),
    )
    after_core_group = await status(handle)
    assert due(after_core_group, "core_group_1").state is DeadlineState.MET
    assert due(after_core_group, "core_group_2").rule_id == "core_group_interval"

    dissent = Dissent(agency=Agency.POLICE, view="Police think the category should stay neglect")
    await handle.execute_update(
        "decide_review",
        review(ReviewOutcome.CONTINUE, icpc + timedelta(days=20), CpCategory.EMOTIONAL, dissent=(dissent,)),
    )
    await run_number(handle, 2)
    continued = await status(handle)
    assert continued.facts.category == CpCategory.EMOTIONAL
    assert continued.facts.category_history.endswith("NEG, " + f"{local_date(icpc + timedelta(days=20))} EMO")
    assert due(continued, "review_2").rule_id == "later_review"
    assert due(continued, "core_group_2").state is DeadlineState.PENDING
    assert "review_1" not in {d.key for d in continued.deadlines}  # done with: kept in the case store only
    [in_register] = await register(harness, case)
    assert (in_register["category"], in_register["latest_category"]) == ("NEG", "EMO")  # the census's latest category

    await handle.execute_update("decide_review", review(ReviewOutcome.END, icpc + timedelta(days=35)))
    result = await handle.result()

    ended_on = local_date(icpc + timedelta(days=35))
    assert (result.reason, result.ended_on, result.reviews_held, result.stepped_down_to_cin) == (
        PlanEndReason.NO_LONGER_AT_RISK,
        ended_on,
        2,
        True,
    )
    cp, cin = await register(harness, case)
    assert (cp["ended_on"], cp["end_reason"]) == (ended_on, "no_longer_at_continuing_risk")
    assert (cin["kind"], cin["started_on"], cin["ended_on"]) == ("cin", ended_on, None)
    final = await status(handle)
    assert final.stage == "closed" and final.outcome == "no_longer_at_continuing_risk"
    assert {d.state for d in final.deadlines} <= {DeadlineState.MET, DeadlineState.CANCELLED}

    async def agencies_told():
        """each invited agency's mailbox has the notice"""
        return {f"{team}@example.invalid" for team in agencies} <= set(await harness.recipients()) or None

    await eventually(agencies_told)
    async with harness.sessionmaker() as session:
        events = (await session.execute(select(chronology.c.event, chronology.c.summary))).all()
        met = dict((await session.execute(select(deadlines.c.deadline_key, deadlines.c.state))).all())
    assert ("review.dissent", "dissent recorded (police): Police think the category should stay neglect") in events
    assert {"plan.ended", "plan.stepped_down"} <= {event for event, _ in events}
    assert (met["review_1"], met["review_2"], met["core_group_2"]) == ("met", "met", "cancelled")


async def test_a_pre_birth_plan_is_reviewed_20_working_days_after_the_birth_when_that_is_sooner(
    harness: Harness,
) -> None:
    case = await harness.new_case(date_of_birth=None, expected_birth_date=date_soon())
    icpc = await days_ago(harness, 15)
    handle = await start_plan(harness, case, icpc, prebirth=True)
    await started(handle)
    assert "record_birth" in [t.decision for t in (await status(handle)).open_tasks]

    born = icpc + timedelta(days=1)
    await handle.execute_update("record_birth", RecordBirth(actor=harness.actor(Role.SOCIAL_WORKER), effective_at=born))
    plan = await status(handle)

    after_birth = due(plan, "review_1_after_birth")
    assert after_birth.due_date == add_working_days(local_date(born), 20, harness.calendar)
    assert after_birth.due_date < due(plan, "review_1").due_date
    assert plan.facts.review_governed_by == "review_1_after_birth"
    decide = next(t for t in plan.open_tasks if t.decision == "decide_review")
    assert decide.due_date == after_birth.due_date
    with pytest.raises(WorkflowUpdateFailedError) as again:
        await handle.execute_update("record_birth", RecordBirth(actor=harness.actor(Role.SOCIAL_WORKER)))
    assert "already decided" in str(again.value.cause)

    await handle.execute_update("decide_review", review(ReviewOutcome.CONTINUE, born, CpCategory.NEGLECT))
    await run_number(handle, 2)
    async with harness.sessionmaker() as session:
        met = dict((await session.execute(select(deadlines.c.deadline_key, deadlines.c.state))).all())
    assert (met["review_1"], met["review_1_after_birth"]) == ("met", "met")


def date_soon():
    return datetime.now().date() + timedelta(days=30)


@pytest.mark.parametrize(
    "reason",
    [PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY, PlanEndReason.TURNED_18, PlanEndReason.DIED, PlanEndReason.LEFT_UK],
)
async def test_a_manager_ends_the_plan_without_a_conference_and_every_invited_agency_is_told(
    harness: Harness, reason: PlanEndReason
) -> None:
    case = await harness.new_case()
    agencies = await agency_teams(harness, "Police", "Health")
    icpc = await days_ago(harness, 6)
    handle = await start_plan(harness, case, icpc, agencies=agencies)
    await started(handle)
    transfer = local_date(icpc) + timedelta(days=1) if reason is PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY else None

    await handle.execute_update(
        "end_without_conference",
        EndWithoutConference(
            actor=harness.actor(Role.SERVICE_MANAGER),
            reason=reason,
            transfer_in_conference_on=transfer,
            rationale="Confirmed with the family and partner agencies",
        ),
    )
    result = await handle.result()

    assert (result.reason, result.stepped_down_to_cin, result.reviews_held) == (reason, False, 0)
    [cp] = await register(harness, case)
    assert (cp["ended_on"], cp["end_reason"]) == (result.ended_on, str(reason))
    final = await status(handle)
    assert {d.state for d in final.deadlines} == {DeadlineState.CANCELLED}
    assert final.facts.stepped_down_to_cin is False

    async def agencies_told():
        """each invited agency's mailbox has the notice"""
        return {f"{team}@example.invalid" for team in agencies} <= set(await harness.recipients()) or None

    await eventually(agencies_told)
    subjects = {m["Subject"] for m in harness.smtp.messages}
    assert f"Child protection plan ended: case {case.reference}" in subjects


async def test_a_second_plan_counts_the_previous_one_and_a_plan_never_overlaps_an_open_one(harness: Harness) -> None:
    case = await harness.new_case()
    first = await start_plan(harness, case, await days_ago(harness, 40))
    await started(first)
    overlapping = await start_plan(harness, case, await days_ago(harness, 35))
    with pytest.raises(Exception) as refused:
        await overlapping.result()
    assert "PlanOverlap" in repr(refused.value.__cause__) or "overlap" in str(refused.value.__cause__)

    await first.execute_update(
        "end_without_conference",
        EndWithoutConference(
            actor=harness.actor(Role.TEAM_MANAGER), reason=PlanEndReason.LEFT_UK, rationale="Family emigrated"
        ),
    )
    await first.result()
    second = await start_plan(harness, case, await days_ago(harness, 1), category=CpCategory.SEXUAL)
    await started(second)

    assert (await status(second)).facts.previous_plans == 1
    assert [(row["kind"], row["previous_plans"]) for row in await register(harness, case)] == [("cp", 0), ("cp", 1)]
