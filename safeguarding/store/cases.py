"""Cases, their families, and the coded facts a process may know about one (statutory-rules.md §3: age bands).

A workflow never sees a date of birth: it asks for the age band on a given day, computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import AgeBand, CaseKind
from safeguarding.models import CaseFacts
from safeguarding.schema import case_members, cases, people


async def get_case(case_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the case row, or None when there is no such case."""
    result = await session.execute(select(cases).where(cases.c.id == case_id))
    return result.mappings().one_or_none()


async def get_case_by_reference(reference: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the case row with this reference (as people and the command line know a case), or None."""
    result = await session.execute(select(cases).where(cases.c.reference == reference))
    return result.mappings().one_or_none()


async def last_case_reference(pattern: str, *, session: AsyncSession) -> str | None:
    """Return the highest case reference of the form `pattern` (a `^PREFIX[0-9]{n}$` pattern), or None.

    The numbers have a fixed width, so the highest reference is the highest number.
    """
    return await session.scalar(select(func.max(cases.c.reference)).where(cases.c.reference.regexp_match(pattern)))


async def insert_child_case(
    case_id: str, *, reference: str, child_id: str, team_id: str, opened_at: datetime, session: AsyncSession
) -> None:
    """Open a child's case."""
    await session.execute(
        insert(cases).values(
            id=case_id,
            reference=reference,
            kind=CaseKind.CHILD.value,
            child_id=child_id,
            team_id=team_id,
            opened_at=opened_at,
        )
    )


async def close_case(case_id: str, *, closed_at: datetime, reason: str, session: AsyncSession) -> bool:
    """Close the open case with its census reason (codes.ReasonForClosure); return False if it was closed already."""
    query = (
        update(cases)
        .where(cases.c.id == case_id, cases.c.closed_at.is_(None))
        .values(closed_at=closed_at, closure_reason=reason)
        .returning(cases.c.id)
    )
    return (await session.execute(query)).scalar_one_or_none() is not None


async def insert_case_member(
    case_id: str, person_id: str, *, relationship: str, parental_responsibility: bool, session: AsyncSession
) -> None:
    """Record a member of the child's family on the case, with whether they hold parental responsibility."""
    await session.execute(
        insert(case_members).values(
            case_id=case_id,
            person_id=person_id,
            relationship=relationship,
            parental_responsibility=parental_responsibility,
        )
    )


async def list_case_members(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the case's family: each person's row with their relationship and parental responsibility."""
    query = (
        select(people, case_members.c.relationship, case_members.c.parental_responsibility)
        .join(case_members, case_members.c.person_id == people.c.id)
        .where(case_members.c.case_id == case_id)
        .order_by(case_members.c.parental_responsibility.desc(), people.c.family_name, people.c.given_name, people.c.id)
    )
    return (await session.execute(query)).mappings().all()


async def get_case_facts(case_id: str, on: date, *, session: AsyncSession) -> CaseFacts | None:
    """Return the coded facts about a case as they stand on `on`, or None when there is no such case.

    Raises ValueError when the child has neither a date of birth nor an expected birth date, because
    no age band can be given and guessing one would choose the wrong process.
    """
    query = (
        select(
            cases.c.id,
            cases.c.reference,
            cases.c.team_id,
            cases.c.child_id,
            cases.c.allocated_practitioner_id,
            people.c.date_of_birth,
            people.c.expected_birth_date,
        )
        .join(people, people.c.id == cases.c.child_id)
        .where(cases.c.id == case_id)
    )
    row = (await session.execute(query)).mappings().one_or_none()
    if row is None:
        return None
    return CaseFacts(
        case_id=row["id"],
        case_reference=row["reference"],
        team_id=row["team_id"],
        child_id=row["child_id"],
        age_band=age_band(date_of_birth=row["date_of_birth"], expected_birth_date=row["expected_birth_date"], on=on),
        allocated_practitioner_id=row["allocated_practitioner_id"],
    )


def age_band(*, date_of_birth: date | None, expected_birth_date: date | None, on: date) -> AgeBand:
    """Return the child's age band on `on`: unborn, under 5, or 5 and over.

    A child with no date of birth but an expected birth date is unborn (pre-birth assessment). A child
    is under 5 until the day of their fifth birthday; someone born on 29 February has it on 1 March in a
    year that is not a leap year.
    """
    if date_of_birth is None:
        if expected_birth_date is None:
            raise ValueError("the child has neither a date of birth nor an expected birth date")
        return AgeBand.UNBORN
    return AgeBand.UNDER_FIVE if _fifth_birthday(date_of_birth) > on else AgeBand.FIVE_AND_OVER


def _fifth_birthday(date_of_birth: date) -> date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + 5)
    except ValueError:
        return date(date_of_birth.year + 5, 3, 1)
