"""People: children, their family, the adults allegations are about — and the cases each is on.

A person's details (names, dates of birth, addresses, national numbers) live here and nowhere else. Who may see
a person follows from their cases (`person_links`): the child of a case, a member of its family, the subject of
an allegation, a participant in a family group conference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    RowMapping,
    String,
    and_,
    cast,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import case_members, cases, fgc_participants, lado_allegations, people

REGISTRATION_LOCK = 7_310_001
"""The advisory lock registrations take in turn, so two registering the same child cannot both miss the other."""


async def lock_registrations(*, session: AsyncSession) -> None:
    """Wait for other registrations to finish; held until this transaction ends."""
    await session.execute(select(func.pg_advisory_xact_lock(REGISTRATION_LOCK)))


async def insert_person(person_id: str, details: Mapping[str, Any], *, session: AsyncSession) -> None:
    """Record a new person with `details` (columns of `people`: names, dates, census codes, contact details)."""
    await session.execute(insert(people).values(id=person_id, **details))


async def get_person(person_id: str, *, session: AsyncSession, for_update: bool = False) -> RowMapping | None:
    """Return the person's row, or None; `for_update` holds it against other changes until the transaction ends."""
    query = select(people).where(people.c.id == person_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).mappings().one_or_none()


async def update_person(person_id: str, details: Mapping[str, Any], *, session: AsyncSession) -> RowMapping:
    """Change the person's `details` and return the row as it is now.

    `updated_at` moves forward on every change, even two in the same microsecond, so a reader's copy of it
    tells whether the record changed since they read it.
    """
    query = (
        update(people)
        .where(people.c.id == person_id)
        .values(**details, updated_at=func.greatest(func.now(), people.c.updated_at + text("interval '1 microsecond'")))
        .returning(people)
    )
    return (await session.execute(query)).mappings().one()


async def find_same_person(given_name: str, family_name: str, on: date, *, session: AsyncSession) -> list[str]:
    """Return the ids of people with these names (whatever their case) born, or expected to be born, on `on`.

    Names are compared as the case store lowers them, on both sides, so letter case never hides a match.
    """
    query = (
        select(people.c.id)
        .where(
            func.lower(people.c.given_name) == func.lower(given_name),
            func.lower(people.c.family_name) == func.lower(family_name),
            or_(people.c.date_of_birth == on, people.c.expected_birth_date == on),
        )
        .order_by(people.c.id)
    )
    return list((await session.execute(query)).scalars())


def person_links() -> CompoundSelect:
    """Return a query of (person_id, case_id, part, relationship): every case each person is on, and how."""
    return (
        select(
            cases.c.child_id.label("person_id"),
            cases.c.id.label("case_id"),
            literal("child").label("part"),
            cast(null(), String).label("relationship"),
        )
        .where(cases.c.child_id.is_not(None))
        .union(
            select(
                case_members.c.person_id,
                case_members.c.case_id,
                literal("family"),
                case_members.c.relationship,
            ),
            select(
                lado_allegations.c.subject_id,
                lado_allegations.c.case_id,
                literal("allegation_subject"),
                cast(null(), String),
            ),
            select(
                fgc_participants.c.person_id,
                fgc_participants.c.case_id,
                literal("fgc_participant"),
                cast(null(), String),
            ).where(fgc_participants.c.person_id.is_not(None)),
        )
    )


async def list_person_cases(person_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the cases the person is on, oldest first: case id, reference, team, kind, part and relationship."""
    links = person_links().subquery()
    query = (
        select(
            cases.c.id.label("case_id"),
            cases.c.reference,
            cases.c.team_id,
            cases.c.kind,
            links.c.part,
            links.c.relationship,
        )
        .join(links, and_(links.c.case_id == cases.c.id, links.c.person_id == person_id))
        .order_by(cases.c.opened_at, cases.c.id, links.c.part)
    )
    return (await session.execute(query)).mappings().all()


def visible_to_team(team_id: str) -> Any:
    """Return a condition on `people`: on one of the team's cases, or on no case at all."""
    links = person_links().subquery()
    on_team = select(links.c.person_id).join(cases, cases.c.id == links.c.case_id).where(cases.c.team_id == team_id)
    return or_(people.c.id.in_(on_team), people.c.id.not_in(select(links.c.person_id)))
