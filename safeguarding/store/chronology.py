"""A case's chronology: the append-only record of what happened, written by every process."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import chronology


async def list_chronology(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the case's chronology in the order things happened (ties in the order they were written)."""
    query = (
        select(chronology).where(chronology.c.case_id == case_id).order_by(chronology.c.occurred_at, chronology.c.id)
    )
    return (await session.execute(query)).mappings().all()
