"""Finding a person by name and date of birth: best match first, a page at a time, within what the reader may see."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.schema import case_members, people
from safeguarding.service.errors import Refused
from safeguarding.service.people import find_people
from safeguarding.service.people_models import PersonSearch
from safeguarding.service.root import Services
from tests.factories import create_case
from tests.service.conftest import Teams

BORN = date(2018, 3, 7)
PEOPLE = [
    # id, given name, family name, date of birth, expected date of birth
    ("p-exact-b", "Sam", "Okafor", BORN, None),
    ("p-exact-a", "SAM", "okafor", BORN, None),
    ("p-similar-family", "Sam", "Okafor-Reid", BORN, None),
    ("p-similar-given", "Samantha", "Okafor", BORN, None),
    ("p-shorter-given", "Sa", "Okafor", BORN, None),
    ("p-swapped", "Sam", "Okafor", date(2018, 7, 3), None),
    ("p-year-after", "Sam", "Okafor", date(2019, 3, 7), None),
    ("p-year-before", "Sam", "Okafor", date(2017, 3, 7), None),
    ("p-no-date", "Sam", "Okafor", None, None),
    ("p-expected", "Sam", "Okafor", None, BORN),
    # not candidates: another day, another name, a similar name with another date
    ("p-day-after", "Sam", "Okafor", date(2018, 3, 8), None),
    ("p-other-name", "Pam", "Okafor", BORN, None),
    ("p-similar-swapped", "Samantha", "Okafor", date(2018, 7, 3), None),
    ("p-two-years", "Sam", "Okafor", date(2016, 3, 7), None),
]
RANKED = [
    ("p-exact-a", "exact"),
    ("p-exact-b", "exact"),
    ("p-expected", "exact"),
    ("p-shorter-given", "similar_names"),
    ("p-similar-given", "similar_names"),
    ("p-similar-family", "similar_names"),
    ("p-swapped", "day_month_swapped"),
    ("p-year-after", "year_off_by_one"),
    ("p-year-before", "year_off_by_one"),
    ("p-no-date", "no_date_recorded"),
]
SEARCH = {"given_name": "sam", "family_name": "OKAFOR", "date_of_birth": BORN}


@pytest.fixture
async def recorded(db: async_sessionmaker[AsyncSession]) -> None:
    async with db.begin() as session:
        await session.execute(
            insert(people),
            [
                {
                    "id": person_id,
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": born,
                    "expected_birth_date": expected,
                }
                for person_id, given, family, born, expected in PEOPLE
            ],
        )


async def _link(db: async_sessionmaker[AsyncSession], team_id: str, *person_ids: str) -> None:
    """Put `person_ids` on a case of `team_id` as members of the child's family."""
    async with db.begin() as session:
        case = await create_case(session, team_id=team_id)
        await session.execute(
            insert(case_members),
            [{"case_id": case.case_id, "person_id": person_id, "relationship": "sibling"} for person_id in person_ids],
        )


async def test_candidates_come_best_match_first(services: Services, teams: Teams, recorded: None) -> None:
    found = await find_people(services, teams.principal(Role.SOCIAL_WORKER), PersonSearch(**SEARCH, limit=100))

    assert [(match.person_id, match.match) for match in found.matches] == RANKED
    assert found.total == len(RANKED)


async def test_candidates_come_a_page_at_a_time(services: Services, teams: Teams, recorded: None) -> None:
    reader = teams.principal(Role.SERVICE_MANAGER)
    pages = [
        await find_people(services, reader, PersonSearch(**SEARCH, limit=4, offset=offset)) for offset in (0, 4, 8, 12)
    ]

    assert [[match.person_id for match in page.matches] for page in pages] == [
        [person_id for person_id, _ in RANKED[0:4]],
        [person_id for person_id, _ in RANKED[4:8]],
        [person_id for person_id, _ in RANKED[8:]],
        [],
    ]
    assert {page.total for page in pages} == {len(RANKED)}


async def test_a_team_bound_reader_finds_only_people_on_their_teams_cases_or_on_none(
    services: Services, teams: Teams, recorded: None, db: async_sessionmaker[AsyncSession]
) -> None:
    await _link(db, teams.other, "p-exact-a", "p-swapped", "p-no-date")
    await _link(db, teams.ours, "p-no-date")

    ours = await find_people(services, teams.principal(Role.BUSINESS_SUPPORT), PersonSearch(**SEARCH, limit=100))
    spanning = await find_people(services, teams.principal(Role.EDT_WORKER), PersonSearch(**SEARCH, limit=100))

    hidden = {"p-exact-a", "p-swapped"}
    assert [match.person_id for match in ours.matches] == [p for p, _ in RANKED if p not in hidden]
    assert ours.total == len(RANKED) - len(hidden)
    assert [match.person_id for match in spanning.matches] == [p for p, _ in RANKED]


async def test_a_child_found_by_their_case_is_seen_by_their_team(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        theirs = await create_case(session, team_id=teams.other, date_of_birth=BORN)
        ours = await create_case(session, team_id=teams.ours, date_of_birth=BORN)
    search = PersonSearch(given_name="Child", family_name="Fictional", date_of_birth=BORN)

    found = await find_people(services, teams.principal(Role.SOCIAL_WORKER), search)

    assert [match.person_id for match in found.matches] == [ours.child_id]
    assert theirs.child_id != ours.child_id


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.HEALTH_VISITOR, Role.POLICE_OFFICER])
async def test_a_role_that_reads_no_case_may_not_search_for_people(
    services: Services, teams: Teams, recorded: None, role: Role
) -> None:
    with pytest.raises(Refused, match="find people"):
        await find_people(services, teams.principal(role), PersonSearch(**SEARCH))


async def test_a_date_of_birth_a_day_out_finds_only_those_born_that_day_and_those_with_no_date(
    services: Services, teams: Teams, recorded: None
) -> None:
    found = await find_people(
        services,
        teams.principal(Role.SOCIAL_WORKER),
        PersonSearch(given_name="Sam", family_name="Okafor", date_of_birth=date(2018, 3, 8), limit=100),
    )

    assert [(match.person_id, match.match) for match in found.matches] == [
        ("p-day-after", "exact"),
        ("p-no-date", "no_date_recorded"),
    ]


async def test_letter_case_is_ignored_beyond_the_english_alphabet_too(
    services: Services, teams: Teams, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:
        await session.execute(
            insert(people).values(id="p-accents", given_name="ÉLOÏSE", family_name="ÅNGSTRÖM", date_of_birth=BORN)
        )

    found = await find_people(
        services,
        teams.principal(Role.SOCIAL_WORKER),
        PersonSearch(given_name="éloïse", family_name="ångström", date_of_birth=BORN),
    )

    assert [(match.person_id, match.match) for match in found.matches] == [("p-accents", "exact")]
