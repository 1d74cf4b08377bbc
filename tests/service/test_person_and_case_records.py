"""A case's record (its child, family and processes) and a person's (with the cases the reader may see)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Process, Role
from safeguarding.schema import case_members, cases, process_records
from safeguarding.service.cases import read_case, register_child
from safeguarding.service.errors import Invalid, NotFound, Refused
from safeguarding.service.people import read_person
from safeguarding.service.root import Services
from tests.factories import create_case
from tests.service.conftest import Teams
from tests.service.registrations import mother, registration

STARTED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


async def test_a_case_is_read_with_its_child_family_and_processes(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    registered = await register_child(services, worker, registration(family=(mother(),)))
    async with db.begin() as session:
        await session.execute(
            insert(process_records).values(
                workflow_id=f"front-door-{registered.reference}",
                case_id=registered.case_id,
                process=Process.FRONT_DOOR.value,
                stage="screening",
                team_id=teams.ours,
                profile_ref="example@test",
                responsible_id=worker.practitioner_id,
                started_at=STARTED,
            )
        )

    case = await read_case(services, teams.principal(Role.TEAM_MANAGER), registered.case_id)

    assert (case.case_id, case.reference, case.team_id, case.kind) == (
        registered.case_id,
        registered.reference,
        teams.ours,
        "child",
    )
    assert case.child is not None
    assert (case.child.person_id, case.child.given_name, case.child.upn) == (
        registered.child_id,
        "Zebedee",
        "B801200005001",
    )
    assert [
        (m.person.person_id, m.person.given_name, m.relationship, m.parental_responsibility) for m in case.family
    ] == [(registered.family[0].person_id, "Marigold", "mother", True)]
    assert [(p.workflow_id, p.process, p.stage, p.started_at) for p in case.processes] == [
        (f"front-door-{registered.reference}", Process.FRONT_DOOR, "screening", STARTED)
    ]


async def test_another_teams_case_is_refused_to_a_team_bound_reader_and_shown_to_a_role_spanning_teams(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        theirs = await create_case(session, team_id=teams.other)

    with pytest.raises(Refused, match=f"this is team {teams.other}'s work"):
        await read_case(services, teams.principal(Role.SOCIAL_WORKER), theirs.case_id)
    case = await read_case(services, teams.principal(Role.CONFERENCE_CHAIR), theirs.case_id)

    assert case.child is not None and case.child.person_id == theirs.child_id


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MIDWIFE, Role.FGC_COORDINATOR])
async def test_a_role_that_reads_no_case_is_refused_before_the_case_is_looked_up(
    services: Services, teams: Teams, role: Role
) -> None:
    with pytest.raises(Refused, match="read case"):
        await read_case(services, teams.principal(role), "case-nowhere")


async def test_an_unknown_case_is_not_found(services: Services, teams: Teams) -> None:
    with pytest.raises(NotFound, match="no case 'case-nowhere'"):
        await read_case(services, teams.principal(Role.SOCIAL_WORKER), "case-nowhere")


@pytest.mark.parametrize("case_id", ["Zebedee Quillfeather", "case-\x00", ""])
async def test_a_case_id_that_cannot_be_one_is_invalid_and_not_repeated(
    services: Services, teams: Teams, case_id: str
) -> None:
    with pytest.raises(Invalid, match="case_id is not an id") as refused:
        await read_case(services, teams.principal(Role.SOCIAL_WORKER), case_id)

    assert refused.value.field == "case_id"
    assert "Zebedee" not in refused.value.reason


async def test_a_person_is_read_with_the_cases_the_reader_may_see(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    registered = await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration(family=(mother(),)))
    mother_id = registered.family[0].person_id
    async with db.begin() as session:
        theirs = await create_case(session, team_id=teams.other)
        await session.execute(
            insert(case_members).values(case_id=theirs.case_id, person_id=mother_id, relationship="aunt")
        )

    ours = await read_person(services, teams.principal(Role.SUPPORT_WORKER), mother_id)
    everyone = await read_person(services, teams.principal(Role.SERVICE_MANAGER), mother_id)

    assert (ours.given_name, ours.email, ours.date_of_birth is not None) == (
        "Marigold",
        "marigold@example.invalid",
        True,
    )
    assert [(c.case_id, c.part, c.relationship) for c in ours.cases] == [(registered.case_id, "family", "mother")]
    assert sorted((c.case_id, c.part, c.relationship) for c in everyone.cases) == sorted(
        [(registered.case_id, "family", "mother"), (theirs.case_id, "family", "aunt")]
    )


async def test_a_person_on_other_teams_cases_only_is_refused_to_a_team_bound_reader(
    services: Services, teams: Teams
) -> None:
    theirs = await register_child(services, teams.principal(Role.SOCIAL_WORKER, team=teams.other), registration())

    with pytest.raises(Refused, match=f"{theirs.child_id} is on no case of team {teams.ours}"):
        await read_person(services, teams.principal(Role.TEAM_MANAGER), theirs.child_id)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SCHOOL_SAFEGUARDING_LEAD])
async def test_a_role_that_reads_no_case_may_not_read_a_person(services: Services, teams: Teams, role: Role) -> None:
    registered = await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration())

    with pytest.raises(Refused, match="read person"):
        await read_person(services, teams.principal(role), registered.child_id)


async def test_an_unknown_person_is_not_found(services: Services, teams: Teams) -> None:
    with pytest.raises(NotFound, match="no person 'person-nowhere'"):
        await read_person(services, teams.principal(Role.SOCIAL_WORKER), "person-nowhere")


async def test_an_allegations_case_is_read_without_a_child(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        await session.execute(
            insert(cases).values(
                id="allegation-x", reference="LADO-0001", kind="lado_allegation", team_id=teams.other, opened_at=STARTED
            )
        )

    case = await read_case(services, teams.principal(Role.LADO, team=teams.other), "allegation-x")

    assert (case.kind, case.child, case.family, case.processes) == ("lado_allegation", None, (), ())
