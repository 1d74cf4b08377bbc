"""Correcting a person's details: every changed field audited, nothing written for no change, no change lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.schema import change_log
from safeguarding.service.access import Principal
from safeguarding.service.case_models import Registration
from safeguarding.service.cases import register_child
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.people import list_person_changes, read_person, update_person
from safeguarding.service.people_models import PersonChange, PersonRecord
from safeguarding.service.root import Services
from tests.service.conftest import Teams
from tests.service.registrations import child, mother, registration, today


@pytest.fixture
def worker(teams: Teams) -> Principal:
    return teams.principal(Role.SOCIAL_WORKER)


@pytest.fixture
async def registered(services: Services, worker: Principal) -> Registration:
    return await register_child(services, worker, registration(family=(mother(),)))


async def _read(services: Services, teams: Teams, person_id: str) -> PersonRecord:
    return await read_person(services, teams.principal(Role.SERVICE_MANAGER), person_id)


def _change(record: PersonRecord, **fields: object) -> PersonChange:
    return PersonChange.model_validate(
        {"expected_updated_at": record.updated_at, "reason": "Corrected with the family", **fields}
    )


def today_at_noon() -> str:
    return f"{today().isoformat()}T12:00:00+00:00"


async def _log_rows(db: async_sessionmaker[AsyncSession]) -> int:
    async with db() as session:
        return (await session.execute(select(func.count()).select_from(change_log))).scalar_one()


async def test_each_changed_field_is_written_to_the_change_log_with_who_and_why(
    services: Services, teams: Teams, worker: Principal, registered: Registration
) -> None:
    before = await _read(services, teams, registered.child_id)
    assert before.date_of_birth is not None
    new_birthday = before.date_of_birth - timedelta(days=1)

    after = await update_person(
        services,
        worker,
        registered.child_id,
        _change(before, given_name="Zebadiah", date_of_birth=new_birthday.isoformat(), ethnicity="WBRI", email=None),
    )
    changes = await list_person_changes(services, teams.principal(Role.TEAM_MANAGER), registered.child_id)

    assert (after.given_name, after.date_of_birth, after.updated_at > before.updated_at) == (
        "Zebadiah",
        new_birthday,
        True,
    )
    reason = "Corrected with the family"
    assert sorted((c.field, c.old_value, c.new_value, c.changed_by, c.reason) for c in changes.changes) == [
        ("date_of_birth", before.date_of_birth.isoformat(), new_birthday.isoformat(), worker.practitioner_id, reason),
        ("given_name", "Zebedee", "Zebadiah", worker.practitioner_id, reason),
    ]
    assert (changes.record_kind, changes.record_id) == ("person", registered.child_id)


async def test_a_change_that_changes_nothing_writes_nothing(
    services: Services, teams: Teams, worker: Principal, registered: Registration, db: async_sessionmaker[AsyncSession]
) -> None:
    before = await _read(services, teams, registered.child_id)

    after = await update_person(
        services, worker, registered.child_id, _change(before, given_name="Zebedee", sex="M", phone=None)
    )

    assert after.updated_at == before.updated_at
    assert await _log_rows(db) == 0


async def test_a_change_made_to_a_copy_changed_since_is_refused_and_writes_nothing(
    services: Services, teams: Teams, worker: Principal, registered: Registration, db: async_sessionmaker[AsyncSession]
) -> None:
    stale = await _read(services, teams, registered.child_id)
    await update_person(services, worker, registered.child_id, _change(stale, address="4 Imaginary Row"))
    logged = await _log_rows(db)

    with pytest.raises(Conflict, match=f"person {registered.child_id} was changed at") as refused:
        await update_person(services, worker, registered.child_id, _change(stale, family_name="Quillfeather-Jones"))

    assert refused.value.field == "expected_updated_at"
    now = await _read(services, teams, registered.child_id)
    assert (now.family_name, now.address) == ("Quillfeather", "4 Imaginary Row")
    assert await _log_rows(db) == logged


async def test_of_two_changes_made_at_once_to_the_same_copy_one_is_made_and_the_other_refused(
    services: Services, teams: Teams, worker: Principal, registered: Registration, db: async_sessionmaker[AsyncSession]
) -> None:
    copy = await _read(services, teams, registered.child_id)

    outcomes = await asyncio.gather(
        update_person(services, worker, registered.child_id, _change(copy, address="5 Imaginary Row")),
        update_person(services, worker, registered.child_id, _change(copy, phone="01632 960002")),
        return_exceptions=True,
    )

    made = [outcome for outcome in outcomes if isinstance(outcome, PersonRecord)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    assert (len(made), len(refused)) == (1, 1)
    now = await _read(services, teams, registered.child_id)
    assert (now.address, now.phone) == (made[0].address, made[0].phone)
    async with db() as session:
        fields = list((await session.execute(select(change_log.c.field))).scalars())
    assert fields == (["address"] if made[0].address == "5 Imaginary Row" else ["phone"])


async def test_a_date_of_birth_in_the_future_is_invalid(
    services: Services, teams: Teams, worker: Principal, registered: Registration
) -> None:
    copy = await _read(services, teams, registered.child_id)

    with pytest.raises(Invalid, match="cannot be in the future") as refused:
        await update_person(
            services, worker, registered.child_id, _change(copy, date_of_birth=today() + timedelta(days=1))
        )

    assert refused.value.field == "date_of_birth"


async def test_a_child_is_not_left_without_a_date(
    services: Services, teams: Teams, worker: Principal, registered: Registration
) -> None:
    copy = await _read(services, teams, registered.child_id)

    with pytest.raises(Invalid, match="has a date of birth or an expected one"):
        await update_person(services, worker, registered.child_id, _change(copy, date_of_birth=None))


async def test_an_unborn_child_born_gets_a_date_of_birth(services: Services, teams: Teams, worker: Principal) -> None:
    expected = today() + timedelta(days=20)
    unborn = child(date_of_birth=None, expected_birth_date=expected.isoformat(), upn=None, nhs_number=None)
    registered = await register_child(services, worker, registration(child=unborn))
    copy = await _read(services, teams, registered.child_id)

    with pytest.raises(Invalid, match="an unborn child has no UPN or NHS number yet"):
        await update_person(services, worker, registered.child_id, _change(copy, nhs_number="9434765919"))
    born = await update_person(
        services, worker, registered.child_id, _change(copy, date_of_birth=today(), nhs_number="9434765919")
    )

    assert (born.date_of_birth, born.expected_birth_date, born.nhs_number) == (today(), expected, "9434765919")


async def test_a_family_member_on_another_teams_case_only_is_refused_to_a_team_bound_practitioner(
    services: Services, teams: Teams, registered: Registration, db: async_sessionmaker[AsyncSession]
) -> None:
    copy = await _read(services, teams, registered.family[0].person_id)
    outsider = teams.principal(Role.TEAM_MANAGER, team=teams.other)

    with pytest.raises(Refused, match=f"is on no case of team {teams.other}"):
        await update_person(services, outsider, registered.family[0].person_id, _change(copy, phone="01632 960003"))
    with pytest.raises(Refused):
        await list_person_changes(services, outsider, registered.family[0].person_id)

    assert await _log_rows(db) == 0


@pytest.mark.parametrize("role", [Role.SUPPORT_WORKER, Role.CONFERENCE_CHAIR, Role.ADMINISTRATOR])
async def test_a_role_outside_the_front_door_may_not_correct_a_person(
    services: Services, teams: Teams, registered: Registration, role: Role
) -> None:
    copy = await _read(services, teams, registered.child_id)

    with pytest.raises(Refused, match="update person"):
        await update_person(services, teams.principal(role), registered.child_id, _change(copy, phone="01632 960004"))


async def test_the_change_log_is_refused_to_a_role_that_reads_no_case(
    services: Services, teams: Teams, registered: Registration
) -> None:
    with pytest.raises(Refused, match="read person changes"):
        await list_person_changes(services, teams.principal(Role.ADMINISTRATOR), registered.child_id)


async def test_an_unknown_person_is_not_found(services: Services, worker: Principal, teams: Teams) -> None:
    change = PersonChange(expected_updated_at=today_at_noon(), reason="x", phone="01632 960005")

    with pytest.raises(NotFound, match="no person 'person-nowhere'"):
        await update_person(services, worker, "person-nowhere", change)
    with pytest.raises(NotFound, match="no person 'person-nowhere'"):
        await list_person_changes(services, worker, "person-nowhere")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, "say what changes"),
        ({"given_name": None}, "given_name cannot be cleared"),
        ({"family_name": "Quill\x00feather"}, "control character U\\+0000"),
        ({"upn": "A801200005001"}, "check letter"),
        ({"email": "not an address"}, "should match pattern"),
        ({"date_of_birth": "1850-01-01"}, "greater than or equal to 1900-01-01"),
    ],
)
def test_a_malformed_change_is_refused(fields: dict, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        PersonChange.model_validate({"expected_updated_at": today_at_noon(), "reason": "x", **fields})


def test_a_change_carries_the_time_zone_of_the_copy_it_was_made_to() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        PersonChange.model_validate(
            {"expected_updated_at": "2026-11-30T12:00:00", "reason": "x", "phone": "01632 960006"}
        )


def test_names_are_kept_as_given_without_surrounding_spaces() -> None:
    change = PersonChange.model_validate({"expected_updated_at": today_at_noon(), "reason": "x", "given_name": " Zeb "})

    assert change.details() == {"given_name": "Zeb"}
