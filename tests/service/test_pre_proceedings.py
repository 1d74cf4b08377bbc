"""Recording a case's pre-proceedings period and its family group decision-making offer (census 2026/27, §9)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.schema import pre_proceedings
from safeguarding.service.errors import Invalid, Refused
from safeguarding.service.pre_proceedings import PrePeriod, record_pre_proceedings
from safeguarding.service.root import Services
from tests.factories import CaseIds, create_case
from tests.service.conftest import Teams

STARTED = date(2026, 9, 1)


@pytest.fixture
async def case(db: async_sessionmaker[AsyncSession], teams: Teams) -> CaseIds:
    async with db.begin() as session:
        return await create_case(session, team_id=teams.ours, opened_at=datetime(2026, 2, 2, 9, 0, tzinfo=UTC))


def period(**items: object) -> PrePeriod:
    return PrePeriod.model_validate({"started_on": STARTED, **items})


async def _rows(db: async_sessionmaker[AsyncSession], case_id: str) -> list[dict[str, object]]:
    async with db() as session:
        query = select(pre_proceedings).where(pre_proceedings.c.case_id == case_id)
        return [dict(row) for row in (await session.execute(query)).mappings()]


async def test_a_period_is_recorded_as_it_starts_and_again_as_it_goes_on_leaving_one_row(
    services: Services, teams: Teams, case: CaseIds, db: async_sessionmaker[AsyncSession]
) -> None:
    worker, manager = teams.principal(Role.SOCIAL_WORKER), teams.principal(Role.TEAM_MANAGER)
    started = await record_pre_proceedings(
        services, worker, case.case_id, period(letter_before_proceedings_on=date(2026, 9, 8), fgdm_offered=True)
    )
    later = period(
        letter_before_proceedings_on=date(2026, 9, 8),
        fgdm_offered=True,
        fgdm_facilitated=True,
        initial_meeting_on=date(2026, 9, 22),
        review_meetings=1,
        decided_on=date(2026, 11, 2),
    )
    ended = await record_pre_proceedings(services, manager, case.case_id, later)

    assert (started.fgdm_offered, started.fgdm_facilitated, started.decided_on) == (True, None, None)
    assert (ended.fgdm_facilitated, ended.review_meetings, ended.decided_on) == (True, 1, date(2026, 11, 2))
    [row] = await _rows(db, case.case_id)
    assert (row["started_on"], row["initial_meeting_on"], row["court_application_on"]) == (
        STARTED,
        date(2026, 9, 22),
        None,
    )


@pytest.mark.parametrize(
    ("items", "says"),
    [
        (
            {"letter_before_proceedings_on": date(2026, 8, 31)},
            "letter_before_proceedings_on is never before started_on",
        ),
        ({"decided_on": date(2026, 10, 1), "court_application_on": date(2026, 9, 30)}, "never before decided_on"),
        ({"letter_before_proceedings_on": STARTED, "fgdm_facilitated": True}, "only once it was offered"),
        ({"fgdm_offered": True}, "give the letter's date"),
        ({"review_meetings": -1}, "greater than or equal to 0"),
    ],
)
def test_a_period_out_of_order_or_a_meeting_never_offered_is_refused(items: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        period(**items)

    assert says in str(refused.value)


async def test_who_may_not_record_it_and_dates_it_cannot_have_are_refused_and_nothing_is_written(
    services: Services, teams: Teams, case: CaseIds, db: async_sessionmaker[AsyncSession]
) -> None:
    with pytest.raises(Refused):
        await record_pre_proceedings(services, teams.principal(Role.BUSINESS_SUPPORT), case.case_id, period())
    with pytest.raises(Refused):
        await record_pre_proceedings(
            services, teams.principal(Role.TEAM_MANAGER, team=teams.other), case.case_id, period()
        )
    with pytest.raises(Invalid) as future:
        await record_pre_proceedings(
            services, teams.principal(Role.SOCIAL_WORKER), case.case_id, period(started_on=date(2099, 1, 5))
        )
    with pytest.raises(Invalid) as before_opening:
        await record_pre_proceedings(
            services, teams.principal(Role.SOCIAL_WORKER), case.case_id, period(started_on=date(2026, 1, 5))
        )

    assert (future.value.field, before_opening.value.field) == ("started_on", "started_on")
    assert "before the case opened, on 2026-02-02" in before_opening.value.reason
    assert await _rows(db, case.case_id) == []
