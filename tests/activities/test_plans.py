"""The plans register against a real PostgreSQL, run through Temporal's ActivityEnvironment (§3, §5, §9)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.plans import PlanActivities
from safeguarding.codes import CpCategory, PlanKind
from safeguarding.plans import PLAN_NOT_FOUND, PLAN_OVERLAP, SUPERSEDED_BY_CP_PLAN, PlanEnd, PlanStart
from safeguarding.schema import plans
from tests.factories import CaseIds, create_case

Sessionmaker = async_sessionmaker[AsyncSession]
CIN, CP = PlanKind.CIN, PlanKind.CP


@pytest.fixture
async def case(db: Sessionmaker) -> CaseIds:
    async with db.begin() as session:
        return await create_case(session)


@pytest.fixture
def register(db: Sessionmaker) -> PlanActivities:
    return PlanActivities(db)


def start(case: CaseIds, workflow_id: str, kind: PlanKind, on: date, category: CpCategory | None = None) -> PlanStart:
    return PlanStart(case_id=case.case_id, workflow_id=workflow_id, kind=kind, started_on=on, category=category)


def end(case: CaseIds, workflow_id: str, kind: PlanKind, on: date, reason: str = "no longer at risk") -> PlanEnd:
    return PlanEnd(case_id=case.case_id, workflow_id=workflow_id, kind=kind, ended_on=on, reason=reason)


async def rows(db: Sessionmaker, case: CaseIds) -> list[dict]:
    async with db.begin() as session:
        result = await session.execute(select(plans).where(plans.c.child_id == case.child_id).order_by(plans.c.id))
        return [dict(row) for row in result.mappings()]


async def test_a_cp_plan_ends_the_childs_open_cin_plan_that_day_with_the_reason(
    db: Sessionmaker, case: CaseIds, register: PlanActivities
) -> None:
    env = ActivityEnvironment()
    await env.run(register.start_plan, start(case, "assessment-1", CIN, date(2026, 3, 2)))

    started = await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.NEGLECT))

    assert (started.previous_plans, started.ended_cin) == (0, True)
    cin, cp = await rows(db, case)
    assert (cin["ended_on"], cin["end_reason"], cin["superseded_by"]) == (
        date(2026, 5, 4),
        SUPERSEDED_BY_CP_PLAN,
        "cp-plan-1",
    )
    assert (cp["kind"], cp["category"], cp["ended_on"]) == ("cp", "NEG", None)


async def test_a_cin_plan_while_a_cp_plan_is_open_is_refused_as_an_overlap(
    db: Sessionmaker, case: CaseIds, register: PlanActivities
) -> None:
    env = ActivityEnvironment()
    await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.PHYSICAL))

    with pytest.raises(ApplicationError) as refused:
        await env.run(register.start_plan, start(case, "assessment-2", CIN, date(2026, 6, 1)))

    assert (refused.value.type, refused.value.non_retryable) == (PLAN_OVERLAP, True)
    assert [row["kind"] for row in await rows(db, case)] == ["cp"]


async def test_a_second_cp_plan_while_one_is_open_is_refused_and_so_is_a_second_cin_plan(
    case: CaseIds, register: PlanActivities
) -> None:
    env = ActivityEnvironment()
    await env.run(register.start_plan, start(case, "assessment-1", CIN, date(2026, 3, 2)))
    with pytest.raises(ApplicationError) as second_cin:
        await env.run(register.start_plan, start(case, "assessment-2", CIN, date(2026, 3, 9)))
    await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.PHYSICAL))
    with pytest.raises(ApplicationError) as second_cp:
        await env.run(register.start_plan, start(case, "cp-plan-2", CP, date(2026, 5, 5), CpCategory.SEXUAL))

    assert (second_cin.value.type, second_cp.value.type) == (PLAN_OVERLAP, PLAN_OVERLAP)


async def test_a_second_cp_plan_records_the_number_of_previous_plans_of_the_child(
    db: Sessionmaker, case: CaseIds, register: PlanActivities
) -> None:
    env = ActivityEnvironment()
    await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.NEGLECT))
    await env.run(register.end_plan, end(case, "cp-plan-1", CP, date(2026, 11, 2)))
    await env.run(register.start_plan, start(case, "cp-plan-1", CIN, date(2026, 11, 2)))
    await env.run(register.end_plan, end(case, "cp-plan-1", CIN, date(2027, 2, 1), "closed"))

    second = await env.run(register.start_plan, start(case, "cp-plan-2", CP, date(2027, 6, 7), CpCategory.EMOTIONAL))

    assert (second.previous_plans, second.ended_cin) == (1, False)
    assert [row["previous_plans"] for row in await rows(db, case)] == [0, 0, 1]


async def test_starting_and_ending_again_is_idempotent_and_reports_the_first_result(
    db: Sessionmaker, case: CaseIds, register: PlanActivities
) -> None:
    env = ActivityEnvironment()
    await env.run(register.start_plan, start(case, "assessment-1", CIN, date(2026, 3, 2)))
    first = await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.NEGLECT))
    again = await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.NEGLECT))
    ended = await env.run(register.end_plan, end(case, "cp-plan-1", CP, date(2026, 11, 2)))
    ended_again = await env.run(register.end_plan, end(case, "cp-plan-1", CP, date(2026, 12, 1), "other"))

    assert again == first
    assert ended_again == ended
    cp = (await rows(db, case))[1]
    assert (cp["ended_on"], cp["end_reason"]) == (date(2026, 11, 2), "no longer at risk")


async def test_ending_a_plan_the_workflow_never_started_or_before_it_started_is_refused(
    case: CaseIds, register: PlanActivities
) -> None:
    env = ActivityEnvironment()
    with pytest.raises(ApplicationError) as missing:
        await env.run(register.end_plan, end(case, "cp-plan-9", CP, date(2026, 11, 2)))
    await env.run(register.start_plan, start(case, "cp-plan-1", CP, date(2026, 5, 4), CpCategory.NEGLECT))
    with pytest.raises(ApplicationError) as early:
        await env.run(register.end_plan, end(case, "cp-plan-1", CP, date(2026, 5, 1)))

    assert (missing.value.type, missing.value.non_retryable) == (PLAN_NOT_FOUND, True)
    assert early.value.non_retryable


async def test_a_plan_for_an_unknown_case_is_refused(register: PlanActivities, db: Sessionmaker) -> None:
    plan = PlanStart(case_id="case-missing", workflow_id="cp-plan-x", kind=CIN, started_on=date(2026, 3, 2))

    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(register.start_plan, plan)

    assert refused.value.type == "UnknownCase"


async def test_the_database_itself_refuses_two_open_plans_for_one_child(db: Sessionmaker, case: CaseIds) -> None:
    row = {"kind": "cin", "case_id": case.case_id, "child_id": case.child_id, "started_on": date(2026, 3, 2)}
    with pytest.raises(IntegrityError):
        async with db.begin() as session:
            await session.execute(plans.insert().values(workflow_id="a", **row))
            await session.execute(plans.insert().values(workflow_id="b", **row))


@pytest.mark.parametrize(
    ("kind", "category"),
    [(CP, None), (CIN, CpCategory.NEGLECT)],
    ids=["cp-without-category", "cin-with-category"],
)
def test_a_cp_plan_needs_a_category_and_a_cin_plan_has_none(kind: PlanKind, category: CpCategory | None) -> None:
    with pytest.raises(ValidationError):
        PlanStart(case_id="case-1", workflow_id="w", kind=kind, started_on=date(2026, 3, 2), category=category)


def test_a_plan_cannot_end_without_a_reason() -> None:
    with pytest.raises(ValidationError):
        PlanEnd(case_id="case-1", workflow_id="w", kind=CP, ended_on=date(2026, 3, 2), reason="")
