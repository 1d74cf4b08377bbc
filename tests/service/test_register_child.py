"""Registering a child and family opens the child's case: who may, for which team, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.schema import case_members, cases, people
from safeguarding.service.case_models import ChildRegistration
from safeguarding.service.cases import register_child
from safeguarding.service.errors import Conflict, Invalid, Refused
from safeguarding.service.root import Services
from safeguarding.working_days import add_calendar_months
from tests.factories import create_case
from tests.service.conftest import Teams
from tests.service.registrations import child, mother, registration, today


async def _counts(db: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    async with db() as session:
        return tuple(  # type: ignore[return-value]
            [
                (await session.execute(select(func.count()).select_from(table))).scalar_one()
                for table in (people, cases, case_members)
            ]
        )


async def test_a_social_worker_registers_a_child_and_mother_on_a_new_case_of_their_team(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)

    registered = await register_child(services, worker, registration(family=(mother(),)))

    assert registered.team_id == teams.ours
    assert registered.reference == "EX-0001"
    async with db() as session:
        case = (await session.execute(select(cases).where(cases.c.id == registered.case_id))).mappings().one()
        child_row = (await session.execute(select(people).where(people.c.id == registered.child_id))).mappings().one()
        members = (
            (await session.execute(select(case_members).where(case_members.c.case_id == registered.case_id)))
            .mappings()
            .all()
        )
    assert (case["child_id"], case["team_id"], case["kind"], case["reference"]) == (
        registered.child_id,
        teams.ours,
        "child",
        "EX-0001",
    )
    assert (child_row["given_name"], child_row["sex"], child_row["ethnicity"], child_row["upn"]) == (
        "Zebedee",
        "M",
        "WBRI",
        "B801200005001",
    )
    assert [(m["person_id"], m["relationship"], m["parental_responsibility"]) for m in members] == [
        (registered.family[0].person_id, "mother", True)
    ]


async def test_case_references_follow_the_highest_of_the_profiles_pattern_in_use(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        await create_case(session, team_id=teams.other, reference="EX-0041")
        await create_case(session, team_id=teams.other, reference="EX-12345")  # not of the pattern: ignored
    worker = teams.principal(Role.BUSINESS_SUPPORT)

    first = await register_child(services, worker, registration())
    second = await register_child(
        services, worker, registration(child=child(given_name="Hollis", upn=None, nhs_number=None))
    )

    assert (first.reference, second.reference) == ("EX-0042", "EX-0043")


async def test_a_known_family_member_is_linked_not_recorded_again(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    first = await register_child(services, worker, registration(family=(mother(),)))
    mother_id = first.family[0].person_id
    before = await _counts(db)

    sibling = await register_child(
        services,
        worker,
        registration(
            child=child(given_name="Juniper", upn=None, nhs_number=None),
            family=({"person_id": mother_id, "relationship": "mother", "parental_responsibility": True},),
        ),
    )

    assert sibling.family[0].person_id == mother_id
    assert await _counts(db) == (before[0] + 1, before[1] + 1, before[2] + 1)


async def test_an_unborn_child_is_registered_with_an_expected_date(services: Services, teams: Teams) -> None:
    expected = today() + timedelta(days=90)
    unborn = child(date_of_birth=None, expected_birth_date=expected.isoformat(), upn=None, nhs_number=None)

    registered = await register_child(services, teams.principal(Role.TEAM_MANAGER), registration(child=unborn))

    assert registered.reference == "EX-0001"


@pytest.mark.parametrize("role", [Role.EDT_WORKER, Role.SERVICE_MANAGER])
async def test_a_role_spanning_teams_names_the_team_the_case_belongs_to(
    services: Services, teams: Teams, role: Role
) -> None:
    duty = teams.principal(role)

    with pytest.raises(Invalid) as unnamed:
        await register_child(services, duty, registration())
    registered = await register_child(services, duty, registration(team_id=teams.other))

    assert unnamed.value.field == "team_id"
    assert registered.team_id == teams.other


async def test_a_team_bound_practitioner_may_not_open_a_case_for_another_team(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    before = await _counts(db)

    with pytest.raises(Refused, match="team"):
        await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration(team_id=teams.other))

    assert await _counts(db) == before


@pytest.mark.parametrize(
    "role", [Role.SUPPORT_WORKER, Role.HEALTH_VISITOR, Role.LADO, Role.CONFERENCE_CHAIR, Role.ADMINISTRATOR]
)
async def test_a_role_outside_the_front_door_may_not_register_a_child(
    services: Services, teams: Teams, role: Role, db: async_sessionmaker[AsyncSession]
) -> None:
    with pytest.raises(Refused, match="register child"):
        await register_child(services, teams.principal(role), registration())

    assert await _counts(db) == (0, 0, 0)


async def test_an_unknown_team_is_invalid(services: Services, teams: Teams) -> None:
    with pytest.raises(Invalid, match="no team 'team-nowhere'") as refused:
        await register_child(services, teams.principal(Role.EDT_WORKER), registration(team_id="team-nowhere"))
    assert refused.value.field == "team_id"


async def test_a_date_of_birth_in_the_future_is_invalid(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()

    with pytest.raises(Invalid, match="cannot be in the future") as refused:
        await register_child(
            services, teams.principal(Role.SOCIAL_WORKER), registration(child=child(date_of_birth=tomorrow))
        )
    with pytest.raises(Invalid, match="cannot be in the future") as refused_member:
        await register_child(
            services,
            teams.principal(Role.SOCIAL_WORKER),
            registration(family=(mother(person={**mother()["person"], "date_of_birth": tomorrow}),)),
        )

    assert (refused.value.field, refused_member.value.field) == (
        "child.date_of_birth",
        "family[0].person.date_of_birth",
    )
    assert await _counts(db) == (0, 0, 0)


@pytest.mark.parametrize(
    ("expected", "reason"),
    [
        (lambda: today() - timedelta(days=1), "cannot be in the past"),
        (lambda: add_calendar_months(today(), 10) + timedelta(days=1), "at most 10 months ahead"),
    ],
)
async def test_an_expected_date_of_birth_in_the_past_or_too_far_ahead_is_invalid(
    services: Services, teams: Teams, expected, reason: str
) -> None:
    unborn = child(date_of_birth=None, expected_birth_date=expected().isoformat(), upn=None, nhs_number=None)

    with pytest.raises(Invalid, match=reason) as refused:
        await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration(child=unborn))

    assert refused.value.field == "child.expected_birth_date"


async def test_an_expected_date_ten_months_ahead_is_accepted(services: Services, teams: Teams) -> None:
    unborn = child(
        date_of_birth=None,
        expected_birth_date=add_calendar_months(today(), 10).isoformat(),
        upn=None,
        nhs_number=None,
    )

    registered = await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration(child=unborn))

    assert registered.child_id.startswith("person-")


async def test_a_child_matching_someone_recorded_is_refused_unless_confirmed_as_someone_else(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    first = await register_child(services, worker, registration())
    before = await _counts(db)
    same_in_other_case = child(given_name="ZEBEDEE", family_name="quillfeather", upn=None, nhs_number=None)

    with pytest.raises(Conflict, match=first.child_id) as refused:
        await register_child(services, worker, registration(child=same_in_other_case))
    assert await _counts(db) == before
    confirmed = await register_child(services, worker, registration(child=same_in_other_case, confirm_new_person=True))

    assert refused.value.field == "confirm_new_person"
    assert "Zebedee" not in refused.value.reason
    assert confirmed.child_id != first.child_id


async def test_an_unborn_child_expected_on_a_recorded_childs_birthday_with_the_same_names_is_a_duplicate(
    services: Services, teams: Teams
) -> None:
    worker = teams.principal(Role.SOCIAL_WORKER)
    expected = today() + timedelta(days=30)
    unborn = child(date_of_birth=None, expected_birth_date=expected.isoformat(), upn=None, nhs_number=None)
    first = await register_child(services, worker, registration(child=unborn))

    with pytest.raises(Conflict, match=first.child_id):
        await register_child(services, worker, registration(child=unborn))


async def test_a_known_family_member_that_does_not_exist_is_invalid(services: Services, teams: Teams) -> None:
    member = {"person_id": "person-nobody", "relationship": "father", "parental_responsibility": False}

    with pytest.raises(Invalid, match="no person 'person-nobody'") as refused:
        await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration(family=(member,)))

    assert refused.value.field == "family[0].person_id"


async def test_a_team_bound_practitioner_may_not_link_someone_on_other_teams_cases_only(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    theirs = await register_child(services, teams.principal(Role.SOCIAL_WORKER, team=teams.other), registration())
    before = await _counts(db)
    member = {"person_id": theirs.child_id, "relationship": "sibling", "parental_responsibility": False}

    with pytest.raises(Refused, match=f"{theirs.child_id} is on no case of team {teams.ours}"):
        await register_child(
            services,
            teams.principal(Role.SOCIAL_WORKER),
            registration(child=child(given_name="Other", upn=None, nhs_number=None), family=(member,)),
        )

    assert await _counts(db) == before


async def test_someone_on_no_case_may_be_linked_by_any_team(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        await session.execute(insert(people).values(id="person-unlinked", given_name="Una", family_name="Linked"))
    member = {"person_id": "person-unlinked", "relationship": "aunt", "parental_responsibility": False}

    registered = await register_child(services, teams.principal(Role.SOCIAL_WORKER), registration(family=(member,)))

    assert registered.family[0].person_id == "person-unlinked"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"child": child(given_name="Zeb\x00edee")}, ("child", "given_name")),
        ({"child": child(address="3 Imaginary\x1b Row")}, ("child", "address")),
        ({"child": child(family_name="Quill\nfeather")}, ("child", "family_name")),
        ({"child": child(upn="A801200005001")}, ("child", "upn")),
        ({"child": child(upn="B80120000500")}, ("child", "upn")),
        ({"child": child(nhs_number="9434765918")}, ("child", "nhs_number")),
        ({"child": child(nhs_number="943476591")}, ("child", "nhs_number")),
        ({"child": child(sex="X")}, ("child", "sex")),
        ({"child": child(ethnicity="NONE")}, ("child", "ethnicity")),
        ({"child": child(date_of_birth="1899-12-31")}, ("child", "date_of_birth")),
        ({"child": child(unexpected="field")}, ("child", "unexpected")),
        ({"child": child(), "family": [mother(relationship="mo\x07ther")]}, ("family", 0, "relationship")),
        (
            {"child": child(), "family": [mother(parental_responsibility=None)]},
            ("family", 0, "parental_responsibility"),
        ),
        ({"child": child(), "family": [{**mother(), "person_id": "person-x"}]}, ("family", 0)),
    ],
)
def test_a_malformed_registration_is_refused_before_anything_is_done(body: dict, field: tuple) -> None:
    with pytest.raises(ValidationError) as refused:
        ChildRegistration.model_validate(body)

    assert [error["loc"][: len(field)] for error in refused.value.errors()] == [field]


@pytest.mark.parametrize(
    "changes",
    [
        {"date_of_birth": None},
        {"expected_birth_date": (today() + timedelta(days=30)).isoformat()},
    ],
)
def test_a_child_has_a_date_of_birth_or_an_expected_one_never_both_nor_neither(changes: dict) -> None:
    with pytest.raises(ValidationError, match="exactly one of them"):
        ChildRegistration.model_validate({"child": child(**changes)})


def test_an_unborn_child_has_no_upn_yet() -> None:
    expected = (today() + timedelta(days=30)).isoformat()
    with pytest.raises(ValidationError, match="an unborn child has no UPN or NHS number yet"):
        ChildRegistration.model_validate(
            {"child": child(date_of_birth=None, expected_birth_date=expected, nhs_number=None)}
        )


def test_a_upn_and_nhs_number_typed_with_spaces_are_kept_compact() -> None:
    registered = ChildRegistration.model_validate({"child": child(upn="b801 2000 05001", nhs_number="943-476-5919")})

    assert (registered.child.upn, registered.child.nhs_number) == ("B801200005001", "9434765919")


def test_the_reason_a_number_is_refused_does_not_repeat_it() -> None:
    with pytest.raises(ValidationError) as refused:
        ChildRegistration.model_validate({"child": child(nhs_number="9434765918")})

    assert "mistyped" in refused.value.errors()[0]["msg"]
    assert "9434765918" not in refused.value.errors()[0]["msg"]
