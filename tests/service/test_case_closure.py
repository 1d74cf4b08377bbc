"""A manager closes a child's case with its census reason; a case with anything still going on stays open (§9)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import CaseKind, EnquiryOutcome, PlanKind, Process, Role
from safeguarding.schema import cases, change_log, plans
from safeguarding.service.case_closure import CaseClosure, close_case
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.working_days import local_date
from tests.census import records
from tests.factories import CaseIds, create_case
from tests.service.conftest import Teams
from tests.service.registrations import today

OPENED = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
ASSESSED = date(2026, 3, 2)


@pytest.fixture
async def case(db: async_sessionmaker[AsyncSession], teams: Teams) -> CaseIds:
    """A case of our team whose assessment was authorised with a CIN plan, which is still open."""
    async with db.begin() as session:
        found = await create_case(session, team_id=teams.ours, opened_at=OPENED)
        assessment = await records.process(
            session, found.case_id, teams.ours, Process.ASSESSMENT, date(2026, 2, 3), ASSESSED, "cin_plan"
        )
        await records.plan(session, found.case_id, found.child_id, assessment, PlanKind.CIN, ASSESSED)
    return found


def closure(reason: str = "RC7", closed_on: date | None = date(2026, 6, 1)) -> CaseClosure:
    return CaseClosure.model_validate(
        {"closure_reason": reason, "closed_on": closed_on, "reason": "The plan's aims are met; services cease"}
    )


async def _case_row(db: async_sessionmaker[AsyncSession], case_id: str) -> dict[str, object]:
    async with db() as session:
        return dict((await session.execute(select(cases).where(cases.c.id == case_id))).mappings().one())


async def test_a_team_manager_closes_the_case_and_its_open_cin_plan_ends_that_day(
    services: Services, teams: Teams, case: CaseIds, db: async_sessionmaker[AsyncSession]
) -> None:
    manager = teams.principal(Role.TEAM_MANAGER)

    closed = await close_case(services, manager, case.case_id, closure())

    row = await _case_row(db, case.case_id)
    assert (closed.closure_reason, closed.reference, local_date(closed.closed_at)) == (
        "RC7",
        case.reference,
        date(2026, 6, 1),
    )
    assert (row["closure_reason"], row["closed_at"]) == ("RC7", closed.closed_at)
    async with db() as session:
        plan = (await session.execute(select(plans).where(plans.c.case_id == case.case_id))).mappings().one()
        logged = (
            (await session.execute(select(change_log).where(change_log.c.record_id == case.case_id))).mappings().all()
        )
    assert (plan["id"], plan["ended_on"], plan["end_reason"]) == (closed.ended_plan_id, date(2026, 6, 1), "case_closed")
    assert {(r["field"], r["new_value"], r["changed_by"]) for r in logged} == {
        ("closed_at", closed.closed_at.isoformat(), manager.practitioner_id),
        ("closure_reason", "RC7", manager.practitioner_id),
    }
    assert {r["reason"] for r in logged} == {"The plan's aims are met; services cease"}


async def test_without_a_day_the_case_closes_today_and_closed_after_assessment_alone_is_taken(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        found = await create_case(session, team_id=teams.ours, opened_at=OPENED)
        await records.process(session, found.case_id, teams.ours, Process.ASSESSMENT, date(2026, 2, 3), ASSESSED, "nfa")

    closed = await close_case(
        services, teams.principal(Role.SERVICE_MANAGER, team=teams.other), found.case_id, closure("RC8", None)
    )

    assert (closed.closure_reason, local_date(closed.closed_at), closed.ended_plan_id) == ("RC8", today(), None)


async def test_whoever_may_not_close_it_is_refused_and_the_case_stays_open(
    services: Services, teams: Teams, case: CaseIds, db: async_sessionmaker[AsyncSession]
) -> None:
    with pytest.raises(Refused) as social_worker:
        await close_case(services, teams.principal(Role.SOCIAL_WORKER), case.case_id, closure())
    with pytest.raises(Refused) as other_team:
        await close_case(services, teams.principal(Role.TEAM_MANAGER, team=teams.other), case.case_id, closure())
    with pytest.raises(NotFound):
        await close_case(services, teams.principal(Role.TEAM_MANAGER), "case-000000000000", closure())

    assert "may not close case" in social_worker.value.reason and other_team.value.status == 403
    assert (await _case_row(db, case.case_id))["closed_at"] is None


@pytest.mark.parametrize(
    ("closed_on", "says"),
    [(date(2026, 2, 1), "before the case opened, on 2026-02-02"), (date(2099, 1, 1), "is in the future")],
)
async def test_a_day_before_the_case_opened_or_in_the_future_is_refused(
    services: Services, teams: Teams, case: CaseIds, closed_on: date, says: str, db: async_sessionmaker[AsyncSession]
) -> None:
    with pytest.raises(Invalid) as refused:
        await close_case(services, teams.principal(Role.TEAM_MANAGER), case.case_id, closure(closed_on=closed_on))

    assert (refused.value.field, says in refused.value.reason) == ("closed_on", True)
    assert (await _case_row(db, case.case_id))["closed_at"] is None


async def test_a_case_closed_already_is_not_closed_again(services: Services, teams: Teams, case: CaseIds) -> None:
    manager = teams.principal(Role.TEAM_MANAGER)
    await close_case(services, manager, case.case_id, closure())

    with pytest.raises(Conflict) as again:
        await close_case(services, manager, case.case_id, closure("RC5", date(2026, 7, 1)))

    assert "closed already, on 2026-06-01 (RC7)" in again.value.reason


async def test_a_case_with_a_process_running_or_a_cp_plan_open_stays_open(
    services: Services, teams: Teams, case: CaseIds, db: async_sessionmaker[AsyncSession]
) -> None:
    manager = teams.principal(Role.TEAM_MANAGER)
    async with db.begin() as session:
        running = await records.process(
            session, case.case_id, teams.ours, Process.FRONT_DOOR, date(2026, 5, 4), None, None
        )
    with pytest.raises(Conflict) as process_running:
        await close_case(services, manager, case.case_id, closure())

    async with db.begin() as session:
        other = await create_case(session, team_id=teams.ours, opened_at=OPENED)
        plan = await records.process(
            session, other.case_id, teams.ours, Process.CP_PLAN, date(2026, 3, 2), date(2026, 4, 1), None
        )
        await records.plan(session, other.case_id, other.child_id, plan, PlanKind.CP, date(2026, 3, 2), category="NEG")
    with pytest.raises(Conflict) as plan_open:
        await close_case(services, manager, other.case_id, closure())

    assert running in process_running.value.reason and "still running" in process_running.value.reason
    assert "child protection plan open" in plan_open.value.reason
    assert (await _case_row(db, other.case_id))["closed_at"] is None


async def test_closed_after_assessment_is_refused_for_a_case_that_went_on_to_an_enquiry(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        found = await create_case(session, team_id=teams.ours, opened_at=OPENED)
        await records.process(
            session, found.case_id, teams.ours, Process.S47_ENQUIRY, date(2026, 2, 3), ASSESSED,
            EnquiryOutcome.NOT_SUBSTANTIATED_NFA,
        )  # fmt: skip

    with pytest.raises(Conflict) as refused:
        await close_case(services, teams.principal(Role.TEAM_MANAGER), found.case_id, closure("RC9"))

    assert refused.value.field == "closure_reason" and "RC7" in refused.value.reason
    assert (
        await close_case(services, teams.principal(Role.TEAM_MANAGER), found.case_id, closure("RC7"))
    ).closure_reason == "RC7"


async def test_a_lado_allegations_case_has_no_child_in_need_to_close(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        found = await create_case(session, team_id=teams.ours, opened_at=OPENED)
        await session.execute(
            cases.update().where(cases.c.id == found.case_id).values(kind=str(CaseKind.LADO_ALLEGATION), child_id=None)
        )

    with pytest.raises(Invalid) as refused:
        await close_case(services, teams.principal(Role.SERVICE_MANAGER), found.case_id, closure())

    assert "LADO allegation's case" in refused.value.reason


@pytest.mark.parametrize("reason", ["RC10", "rc7", "services ceased", ""])
def test_a_reason_that_is_not_a_census_code_is_refused_naming_the_field(reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        closure(reason)

    assert refused.value.errors()[0]["loc"] == ("closure_reason",)
