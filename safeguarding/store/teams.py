"""Teams: the units whose work a tray, a manager and a case belong to."""

from __future__ import annotations

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import teams


async def get_team(team_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the team row, or None when there is no such team."""
    return (await session.execute(select(teams).where(teams.c.id == team_id))).mappings().one_or_none()
