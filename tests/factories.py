"""Rows for tests, with sensible defaults: teams, practitioners, cases, contacts, idempotency records.

Factories take the caller's session and never commit (the test owns the transaction), except
`seed_team`, which takes the session factory and commits a whole team. Every name is obviously
fictional and every address is under `example.invalid`, which can never be delivered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.schema import cases, contacts, idempotency_records, people, practitioners, teams

HEALTH_ROLES = frozenset({Role.HEALTH_VISITOR, Role.MIDWIFE})


@dataclass(frozen=True)
class CaseIds:
    case_id: str
    reference: str
    child_id: str
    team_id: str


@dataclass(frozen=True)
class SeededTeam:
    team_id: str
    social_worker_id: str
    team_manager_id: str
    service_manager_id: str
    health_visitor_id: str
    midwife_id: str


def new_id(prefix: str) -> str:
    """Return a fresh id such as `case-3f9a0c12`; short, unique, and valid as a model `Id`."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def create_team(
    session: AsyncSession,
    *,
    team_id: str | None = None,
    name: str = "Fictional Assessment Team",
    mailbox: str | None = None,
    service_manager_id: str | None = None,
) -> str:
    """Create a team and return its id."""
    team_id = team_id or new_id("team")
    await session.execute(
        insert(teams).values(
            id=team_id,
            name=name,
            mailbox=mailbox or f"{team_id}@example.invalid",
            service_manager_id=service_manager_id,
        )
    )
    return team_id


async def create_practitioner(
    session: AsyncSession,
    *,
    team_id: str,
    role: Role = Role.SOCIAL_WORKER,
    practitioner_id: str | None = None,
    given_name: str = "Fictional",
    family_name: str | None = None,
    active: bool = True,
) -> str:
    """Create a practitioner in `team_id` and return their id; health roles belong to the health agency."""
    practitioner_id = practitioner_id or new_id(role.replace("_", "-"))
    await session.execute(
        insert(practitioners).values(
            id=practitioner_id,
            given_name=given_name,
            family_name=family_name or f"Test {role.replace('_', ' ').title()}",
            email=f"{practitioner_id}@example.invalid",
            role=str(role),
            agency="health" if role in HEALTH_ROLES else "social_care",
            team_id=team_id,
            active=active,
        )
    )
    return practitioner_id


async def create_case(
    session: AsyncSession,
    *,
    team_id: str | None = None,
    date_of_birth: date | None = None,
    expected_birth_date: date | None = None,
    reference: str | None = None,
    allocated_practitioner_id: str | None = None,
    opened_at: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
) -> CaseIds:
    """Create a child and their case (and a team if none is given); return the ids.

    With neither date given, the child was born on 1 June 2015 (5 and over). Give only an expected
    birth date for an unborn child.
    """
    team_id = team_id or await create_team(session)
    if date_of_birth is None and expected_birth_date is None:
        date_of_birth = date(2015, 6, 1)
    child_id = new_id("person")
    await session.execute(
        insert(people).values(
            id=child_id,
            given_name="Child",
            family_name="Fictional",
            date_of_birth=date_of_birth,
            expected_birth_date=expected_birth_date,
            address="1 Nowhere Lane, Testtown",
        )
    )
    case_id = new_id("case")
    reference = reference or f"REF-{uuid.uuid4().hex[:8].upper()}"
    await session.execute(
        insert(cases).values(
            id=case_id,
            reference=reference,
            child_id=child_id,
            team_id=team_id,
            allocated_practitioner_id=allocated_practitioner_id,
            opened_at=opened_at,
        )
    )
    return CaseIds(case_id=case_id, reference=reference, child_id=child_id, team_id=team_id)


async def create_contact(
    session: AsyncSession,
    *,
    case_id: str,
    received_at: datetime,
    referrer_email: str | None = "referrer@example.invalid",
    source: str = "school",
    summary: str = "Fictional concern raised for testing.",
) -> str:
    """Create a contact (a referral received) on a case and return its id."""
    contact_id = new_id("contact")
    await session.execute(
        insert(contacts).values(
            id=contact_id,
            case_id=case_id,
            received_at=received_at,
            source=source,
            referrer_name="Fictional Referrer",
            referrer_email=referrer_email,
            referrer_organisation="Fictional Primary School",
            summary=summary,
        )
    )
    return contact_id


async def create_idempotency_record(
    session: AsyncSession,
    *,
    principal_id: str,
    key: str,
    age: timedelta,
    status_code: int | None = None,
    response_body: Any = None,
    path: str = "/contacts",
    request_hash: str = "hash-of-the-first",
) -> None:
    """Record the claim a request with `key` took `age` ago (by the database's clock): answered with
    `status_code` and `response_body`, or, without a status, still claimed, as a request that died leaves it."""
    await session.execute(
        insert(idempotency_records).values(
            principal_id=principal_id,
            key=key,
            method="POST",
            path=path,
            request_hash=request_hash,
            status_code=status_code,
            response_body=response_body,
            created_at=func.now() - age,
        )
    )


async def seed_team(sessionmaker: async_sessionmaker[AsyncSession]) -> SeededTeam:
    """Create and commit a team with a social worker, team manager, service manager, health visitor, midwife."""
    async with sessionmaker.begin() as session:
        team_id = await create_team(session)
        ids = {
            role: await create_practitioner(session, team_id=team_id, role=role)
            for role in (
                Role.SOCIAL_WORKER,
                Role.TEAM_MANAGER,
                Role.SERVICE_MANAGER,
                Role.HEALTH_VISITOR,
                Role.MIDWIFE,
            )
        }
        await session.execute(
            update(teams).where(teams.c.id == team_id).values(service_manager_id=ids[Role.SERVICE_MANAGER])
        )
    return SeededTeam(
        team_id=team_id,
        social_worker_id=ids[Role.SOCIAL_WORKER],
        team_manager_id=ids[Role.TEAM_MANAGER],
        service_manager_id=ids[Role.SERVICE_MANAGER],
        health_visitor_id=ids[Role.HEALTH_VISITOR],
        midwife_id=ids[Role.MIDWIFE],
    )
