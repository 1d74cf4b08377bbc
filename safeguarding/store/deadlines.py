"""Deadlines as the case store holds them: each process's statutory clocks with their basis and state."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import deadlines


async def list_deadlines(workflow_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return a process's deadlines, the one that passes first first."""
    query = (
        select(deadlines)
        .where(deadlines.c.workflow_id == workflow_id)
        .order_by(deadlines.c.passes_at, deadlines.c.deadline_key)
    )
    return (await session.execute(query)).mappings().all()
