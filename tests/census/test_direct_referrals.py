"""Referrals recorded by a direct start, read by the census as the front door's are (statutory-rules.md §9).

The episode rule: a direct referral about a child in no open episode opens one, with its own date and source;
one about a child in an open episode (a strategy discussion on new concerns) joins that episode.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.census.caseload import read_caseload
from safeguarding.census.episodes import census_child, open_episode_on
from safeguarding.census.period import CensusPeriod, CensusSpec
from safeguarding.codes import (
    AssessmentOutcome,
    ContactOutcome,
    Process,
    ReasonForClosure,
    ReferralRoute,
    ReferralSource,
)
from safeguarding.commands.strategy_discussion import strategy_discussion_id
from safeguarding.schema import contacts
from safeguarding.store.direct_referrals import in_open_episode, record_direct_referral
from safeguarding.store.examples import TEAM_ID, seed_examples
from tests.census import records
from tests.census.records import at
from tests.factories import CaseIds, create_case

YEAR = CensusPeriod(2026, CensusSpec.CIN_2026_27)


async def _child(session: AsyncSession) -> CaseIds:
    await seed_examples(session, today=date(2026, 4, 1))
    return await create_case(session, team_id=TEAM_ID, date_of_birth=date(2014, 2, 3))


async def _direct(
    session: AsyncSession, case: CaseIds, on: date, process: Process, source: ReferralSource, workflow_id: str
) -> str | None:
    return await record_direct_referral(
        case_id=case.case_id,
        workflow_id=workflow_id,
        process=process,
        received_at=at(on),
        referral_source=source,
        session=session,
    )


async def test_a_direct_referral_opens_an_episode_with_its_date_source_need_and_factors(
    db: async_sessionmaker[AsyncSession],
) -> None:
    async with db.begin() as session:
        case = await _child(session)
        assessment = await records.process(
            session, case.case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 6, 10), date(2026, 7, 20),
            AssessmentOutcome.NFA, {"authorise": [date(2026, 7, 20)]},
        )  # fmt: skip
        first = await _direct(session, case, date(2026, 6, 10), Process.ASSESSMENT, ReferralSource.POLICE, assessment)
        again = await _direct(session, case, date(2026, 6, 10), Process.ASSESSMENT, ReferralSource.POLICE, assessment)
        await records.finding(session, case.case_id, assessment, "N1", ["3C"])
        stored = (await session.execute(select(contacts.c.how).where(contacts.c.case_id == case.case_id))).all()
    async with db() as session:
        (child,) = await read_caseload(session=session, child_id=case.child_id)

    returned = census_child(child, YEAR)

    assert first is not None and again is None
    assert stored == [(ReferralRoute.DIRECT,)]
    assert returned is not None
    (episode,) = returned.episodes
    assert (episode.referral_on, episode.referral_source, episode.primary_need) == (date(2026, 6, 10), "6", "N1")
    assert [(a.started_on, a.authorised_on, a.factors) for a in episode.assessments] == [
        (date(2026, 6, 10), date(2026, 7, 20), ("3C",))
    ]
    assert (episode.closure_on, episode.closure_reason) == (
        date(2026, 7, 20),
        ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA,
    )


async def test_a_strategy_discussion_within_an_open_episode_does_not_open_a_second(
    db: async_sessionmaker[AsyncSession],
) -> None:
    async with db.begin() as session:
        case = await _child(session)
        await records.referral(
            session, case.case_id, TEAM_ID, date(2026, 5, 4), ReferralSource.SCHOOLS, ContactOutcome.ASSESSMENT
        )
        await records.process(session, case.case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 5, 5), None, None)
        inside = await in_open_episode(case.case_id, date(2026, 6, 1), session=session)
        before = await in_open_episode(case.case_id, date(2026, 5, 1), session=session)
        # Were a referral recorded for it all the same, it would join the open episode, not open a second.
        discussion = strategy_discussion_id(case.reference, at(date(2026, 6, 1)))
        await _direct(session, case, date(2026, 6, 1), Process.STRATEGY_DISCUSSION, ReferralSource.POLICE, discussion)
    async with db() as session:
        (child,) = await read_caseload(session=session, child_id=case.child_id)

    returned = census_child(child, YEAR)

    assert (inside, before) == (True, False)
    assert returned is not None
    assert [(e.referral_on, e.referral_source) for e in returned.episodes] == [(date(2026, 5, 4), "2A")]


async def test_after_the_episode_closed_a_direct_referral_opens_a_new_one(
    db: async_sessionmaker[AsyncSession],
) -> None:
    async with db.begin() as session:
        case = await _child(session)
        await records.referral(
            session, case.case_id, TEAM_ID, date(2026, 5, 4), ReferralSource.SCHOOLS, ContactOutcome.ASSESSMENT
        )
        await records.process(
            session, case.case_id, TEAM_ID, Process.ASSESSMENT, date(2026, 5, 5), date(2026, 6, 15),
            AssessmentOutcome.NFA, {"authorise": [date(2026, 6, 15)]},
        )  # fmt: skip
        closed = not await in_open_episode(case.case_id, date(2026, 9, 1), session=session)
        discussion = strategy_discussion_id(case.reference, at(date(2026, 9, 1)))
        await _direct(session, case, date(2026, 9, 1), Process.STRATEGY_DISCUSSION, ReferralSource.POLICE, discussion)
        await records.process(session, case.case_id, TEAM_ID, Process.STRATEGY_DISCUSSION, date(2026, 9, 1), None, None)
        reopened = await in_open_episode(case.case_id, date(2026, 9, 2), session=session)
    async with db() as session:
        (child,) = await read_caseload(session=session, child_id=case.child_id)

    returned = census_child(child, YEAR)

    assert (closed, reopened) == (True, True)
    assert open_episode_on(child, date(2026, 9, 1))
    assert returned is not None
    assert [(e.referral_on, e.referral_source, e.closure_on) for e in returned.episodes] == [
        (date(2026, 5, 4), "2A", date(2026, 6, 15)),
        (date(2026, 9, 1), "6", None),
    ]
