"""Practitioners: who may act, in which role and team (the command line resolves an `Actor` from here)."""

from __future__ import annotations

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import practitioners


async def get_practitioner(practitioner_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the practitioner's row (id, role, team_id, active, ...), or None when there is none.

    Inactive practitioners are returned too: whether one may still act is the caller's decision.
    """
    query = select(practitioners).where(practitioners.c.id == practitioner_id)
    return (await session.execute(query)).mappings().one_or_none()
