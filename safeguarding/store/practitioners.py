"""Practitioners: who may act, in which role and team (the command line resolves an `Actor` from here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import RowMapping, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.named_practitioners import NamedPractitioner
from safeguarding.schema import practitioners


async def get_practitioner(
    practitioner_id: str, *, session: AsyncSession, for_update: bool = False
) -> RowMapping | None:
    """Return the practitioner's row (id, role, team_id, active, ...), or None when there is none.

    Inactive practitioners are returned too: whether one may still act is the caller's decision. With
    `for_update` the row is held against other changes until the transaction ends.
    """
    query = select(practitioners).where(practitioners.c.id == practitioner_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).mappings().one_or_none()


async def list_practitioners(
    *, team_id: str | None = None, include_inactive: bool = False, session: AsyncSession
) -> Sequence[RowMapping]:
    """Return the practitioners (of one team, with `team_id`), by team, family name and given name."""
    query = select(practitioners).order_by(
        practitioners.c.team_id, practitioners.c.family_name, practitioners.c.given_name, practitioners.c.id
    )
    if team_id is not None:
        query = query.where(practitioners.c.team_id == team_id)
    if not include_inactive:
        query = query.where(practitioners.c.active.is_(True))
    return (await session.execute(query)).mappings().all()


async def insert_practitioner(
    practitioner_id: str, details: Mapping[str, Any], *, session: AsyncSession
) -> RowMapping | None:
    """Record a new practitioner and return their row; None when someone has this id already."""
    new = insert(practitioners).values(id=practitioner_id, **details)
    query = new.on_conflict_do_nothing().returning(practitioners)
    return (await session.execute(query)).mappings().one_or_none()


async def update_practitioner(practitioner_id: str, details: Mapping[str, Any], *, session: AsyncSession) -> RowMapping:
    """Change the practitioner's role, team or whether they are active; return their row as it is now."""
    query = (
        update(practitioners).where(practitioners.c.id == practitioner_id).values(**details).returning(practitioners)
    )
    return (await session.execute(query)).mappings().one()


async def named_practitioner_problems(named: Sequence[NamedPractitioner], *, session: AsyncSession) -> list[str]:
    """Return why each id a body names cannot be used (unknown, inactive, wrong role), field by field; [] if none.

    Checked before a decision is sent: the workflow would accept any id, and the task would go to no one.
    """
    ids = {n.practitioner_id for n in named}
    query = select(practitioners.c.id, practitioners.c.role, practitioners.c.active).where(practitioners.c.id.in_(ids))
    rows = {row.id: row for row in (await session.execute(query)).all()} if ids else {}
    problems = []
    for name in named:
        row = rows.get(name.practitioner_id)
        if row is None:
            problems.append(f"{name.field}: no practitioner {name.practitioner_id!r}")
        elif not row.active:
            problems.append(f"{name.field}: practitioner {name.practitioner_id} is inactive")
        elif name.roles and row.role not in name.roles:
            needs = " or ".join(name.roles)
            problems.append(f"{name.field}: {name.practitioner_id} is a {row.role}; it must name a {needs}")
    return problems


async def practitioner_by_sso_subject(subject: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the practitioner whose single sign-on subject is `subject` (active or not), None when none is."""
    query = select(practitioners).where(practitioners.c.sso_subject == subject)
    return (await session.execute(query)).mappings().one_or_none()
