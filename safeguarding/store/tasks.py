"""Human tasks: the decisions processes are waiting for, as a team's work tray shows them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import TaskState
from safeguarding.schema import human_tasks


async def list_open_tasks_for_team(team_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the team's open tasks, soonest due first; tasks without a due date come last."""
    query = (
        select(human_tasks)
        .where(human_tasks.c.team_id == team_id, human_tasks.c.state == TaskState.OPEN)
        .order_by(human_tasks.c.due_date.asc().nulls_last(), human_tasks.c.opened_at, human_tasks.c.id)
    )
    return (await session.execute(query)).mappings().all()
