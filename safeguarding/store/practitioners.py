"""Practitioners: who may act, in which role and team (the command line resolves an `Actor` from here)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.named_practitioners import NamedPractitioner
from safeguarding.schema import practitioners


async def get_practitioner(practitioner_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the practitioner's row (id, role, team_id, active, ...), or None when there is none.

    Inactive practitioners are returned too: whether one may still act is the caller's decision.
    """
    query = select(practitioners).where(practitioners.c.id == practitioner_id)
    return (await session.execute(query)).mappings().one_or_none()


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
