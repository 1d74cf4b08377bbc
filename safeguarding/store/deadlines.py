"""Deadlines as the case store holds them: each process's statutory clocks with their basis and state."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import deadlines, process_records


async def list_deadlines(workflow_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return a process's deadlines, the one that passes first first."""
    query = (
        select(deadlines)
        .where(deadlines.c.workflow_id == workflow_id)
        .order_by(deadlines.c.passes_at, deadlines.c.deadline_key)
    )
    return (await session.execute(query)).mappings().all()


async def list_case_deadlines(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return every deadline of the case's processes with its process, the one that passes first first."""
    query = (
        select(deadlines, process_records.c.process)
        .join(process_records, process_records.c.workflow_id == deadlines.c.workflow_id)
        .where(deadlines.c.case_id == case_id)
        .order_by(deadlines.c.passes_at, deadlines.c.workflow_id, deadlines.c.deadline_key)
    )
    return (await session.execute(query)).mappings().all()
