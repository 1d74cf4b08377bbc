"""`python -m starter seed`: the fictional example team and cases, created once however often it runs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import AgeBand, Role
from safeguarding.models import Recipient
from safeguarding.schema import cases, duty_managers, people, practitioners, teams
from safeguarding.store.cases import get_case_by_reference, get_case_facts
from safeguarding.store.examples import EXAMPLE_IDS, PARTNERSHIP_MAILBOX
from safeguarding.store.recipients import find_recipient_address
from tests.fixtures.temporal import PROFILE
from tests.starter.conftest import Cli


async def _counts(db: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with db() as session:
        return {
            table.name: (await session.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (teams, practitioners, people, cases)
        }


async def test_seeding_twice_creates_the_examples_once_and_prints_the_same_ids(
    cli: Cli, db: async_sessionmaker[AsyncSession]
) -> None:
    before = await _counts(db)
    first = await cli("seed")
    after_first = await _counts(db)
    second = await cli("seed")

    assert first.code == 0, first.stderr
    assert second.code == 0, second.stderr
    assert first.json() == second.json() == EXAMPLE_IDS.as_json()
    assert {name: after_first[name] - before[name] for name in before} == {
        "teams": 1,
        "practitioners": 6,
        "people": 3,
        "cases": 3,
    }
    assert await _counts(db) == after_first


async def test_the_examples_cover_every_role_and_age_band(cli: Cli, db: async_sessionmaker[AsyncSession]) -> None:
    seeded = (await cli("seed")).json()

    async with db() as session:
        roles = (
            await session.execute(select(practitioners.c.role).where(practitioners.c.team_id == seeded["team_id"]))
        ).scalars()
        bands = {}
        for band in ("school_age", "under_five", "unborn"):
            case = await get_case_by_reference(seeded[band]["reference"], session=session)
            assert case is not None
            facts = await get_case_facts(case["id"], date.today(), session=session)
            assert facts is not None
            bands[band] = facts.age_band
    assert sorted(roles) == sorted(
        str(role)
        for role in (
            Role.SOCIAL_WORKER,
            Role.TEAM_MANAGER,
            Role.SERVICE_MANAGER,
            Role.HEALTH_VISITOR,
            Role.MIDWIFE,
            Role.EDT_WORKER,
        )
    )
    assert bands == {
        "school_age": AgeBand.FIVE_AND_OVER,
        "under_five": AgeBand.UNDER_FIVE,
        "unborn": AgeBand.UNBORN,
    }


async def test_the_profiles_partnership_and_the_teams_duty_manager_can_be_reached_by_a_disagreement(
    cli: Cli, db: async_sessionmaker[AsyncSession]
) -> None:
    seeded = (await cli("seed")).json()

    partnership = PROFILE.partnership_id
    assert partnership is not None
    async with db() as session:
        mailbox = await find_recipient_address(Recipient(kind="partnership", id=partnership), session=session)
        on_duty = await session.scalar(
            select(duty_managers.c.practitioner_id).where(duty_managers.c.team_id == seeded["team_id"])
        )
    assert mailbox == PARTNERSHIP_MAILBOX
    assert on_duty == seeded["team_manager_id"]
