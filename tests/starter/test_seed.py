"""`python -m starter seed`: the fictional example team and cases, created once however often it runs."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import AgeBand, Role
from safeguarding.config import Settings
from safeguarding.models import Recipient
from safeguarding.schema import cases, duty_managers, people, practitioner_passwords, practitioners, teams
from safeguarding.service.root import Services
from safeguarding.service.sign_in import sign_in
from safeguarding.store.cases import get_case_by_reference, get_case_facts
from safeguarding.store.examples import EXAMPLE_IDS, PARTNERSHIP_MAILBOX, PRACTITIONERS
from safeguarding.store.recipients import find_recipient_address
from tests.fixtures.temporal import PROFILE, Harness
from tests.starter.conftest import Cli
from tests.starter.test_start_lado import start_lado
from tests.workflows.time_control import eventually


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
        "teams": 5,
        "practitioners": 13,
        "people": 3,
        "cases": 3,
    }
    assert await _counts(db) == after_first


async def test_the_examples_cover_every_role_a_process_needs_each_in_its_team_and_every_age_band(
    cli: Cli, db: async_sessionmaker[AsyncSession]
) -> None:
    seeded = (await cli("seed")).json()

    async with db() as session:
        rows = (
            await session.execute(
                select(practitioners.c.role, practitioners.c.agency, teams.c.id, teams.c.service_manager_id).join(
                    teams, teams.c.id == practitioners.c.team_id
                )
            )
        ).all()
        bands = {}
        for band in ("school_age", "under_five", "unborn"):
            case = await get_case_by_reference(seeded[band]["reference"], session=session)
            assert case is not None
            facts = await get_case_facts(case["id"], date.today(), session=session)
            assert facts is not None
            bands[band] = facts.age_band
    team_of = {Role(role): team for role, _, team, _ in rows}
    agency_of = {Role(role): agency for role, agency, _, _ in rows}
    managed_by = {team: manager for _, _, team, manager in rows}
    case_team = seeded["team_id"]
    assert sorted(team_of) == sorted(
        (
            Role.SOCIAL_WORKER,
            Role.TEAM_MANAGER,
            Role.SERVICE_MANAGER,
            Role.HEALTH_VISITOR,
            Role.MIDWIFE,
            Role.EDT_WORKER,
            Role.LADO,
            Role.LADO_MANAGER,
            Role.CONFERENCE_CHAIR,
            Role.FGC_COORDINATOR,
            Role.POLICE_OFFICER,
            Role.DESIGNATED_PROFESSIONAL,
            Role.ADMINISTRATOR,
        )
    )
    # The LADO's service is managed by the LADO manager (§6); the chair is outside the case's team (§5).
    assert team_of[Role.LADO] == team_of[Role.LADO_MANAGER] != case_team
    assert managed_by[team_of[Role.LADO]] == seeded["lado_manager_id"]
    assert team_of[Role.CONFERENCE_CHAIR] != case_team
    assert (agency_of[Role.POLICE_OFFICER], agency_of[Role.DESIGNATED_PROFESSIONAL]) == ("police", "health")
    assert bands == {
        "school_age": AgeBand.FIVE_AND_OVER,
        "under_five": AgeBand.UNDER_FIVE,
        "unborn": AgeBand.UNBORN,
    }


async def test_a_seeded_system_takes_an_allegation_for_its_lado_from_the_command_line(
    cli: Cli, worker: Harness
) -> None:
    seeded = (await cli("seed")).json()
    reference = f"LADO-{uuid.uuid4().int % 10_000:04d}"

    started = await start_lado(cli, worker, seeded["lado_id"], reference)

    assert started.code == 0, started.stderr

    async def listed() -> list[dict] | None:
        """the allegation's case lists the LADO's process"""
        return (await cli("list", "--case", reference, "--actor", seeded["lado_id"])).json()["processes"] or None

    processes = await eventually(listed, attempts=30, interval=0.5)
    assert [(p["workflow_id"], p["process"]) for p in processes] == [(started.json()["workflow_id"], "lado")]


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


async def test_in_development_the_seed_gives_every_example_the_data_folders_password_and_elsewhere_none(
    cli: Cli, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await cli("seed")
    async with db() as session:
        without = (await session.execute(select(func.count()).select_from(practitioner_passwords))).scalar_one()
    development = Cli(env={**cli.env, "SAFEGUARDING_ENVIRONMENT": "development"})

    await development("seed")

    services = Services(settings=Settings(environment="test"), profile=PROFILE, sessions=db)
    password = (tmp_path / "data" / "dev-password").read_text().strip()
    signed_in = [
        (await sign_in(services, practitioner_id, password, now=datetime.now(UTC))).practitioner_id
        for practitioner_id, *_ in PRACTITIONERS.values()
    ]
    assert without == 0
    assert signed_in == [practitioner_id for practitioner_id, *_ in PRACTITIONERS.values()]
