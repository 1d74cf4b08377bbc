"""The processes a case has had, running and finished, as the case store records them.

Each process writes its record here as it runs (`store/processes.py`), so a case's processes and their
workflow ids are read without asking Temporal: what a practitioner needs to find the id to `decide` or
`status`. Ids, codes and dates only: no names.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import process_records


async def list_case_processes(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the case's processes, oldest first: workflow id, process, stage, outcome, who leads, dates."""
    query = (
        select(
            process_records.c.workflow_id,
            process_records.c.process,
            process_records.c.stage,
            process_records.c.outcome,
            process_records.c.responsible_id,
            process_records.c.started_at,
            process_records.c.closed_at,
        )
        .where(process_records.c.case_id == case_id)
        .order_by(process_records.c.started_at, process_records.c.workflow_id)
    )
    return (await session.execute(query)).mappings().all()
