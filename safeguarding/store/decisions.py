"""The decisions a process recorded, as the case store keeps them once the process has finished."""

from __future__ import annotations

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import decisions


async def first_decision(workflow_id: str, decision: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the first `decision` the process `workflow_id` recorded (actor_role, effective_at, ...), or None."""
    query = (
        select(decisions)
        .where(decisions.c.workflow_id == workflow_id, decisions.c.decision == decision)
        .order_by(decisions.c.effective_at, decisions.c.id)
        .limit(1)
    )
    return (await session.execute(query)).mappings().one_or_none()
