"""Teams: the units whose work a tray, a manager and a case belong to; their mailbox and service manager (§1, §8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import RowMapping, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import teams


async def get_team(team_id: str, *, session: AsyncSession, for_update: bool = False) -> RowMapping | None:
    """Return the team's row, or None; `for_update` holds it against other changes until the transaction ends."""
    query = select(teams).where(teams.c.id == team_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).mappings().one_or_none()


async def list_teams(*, session: AsyncSession) -> Sequence[RowMapping]:
    """Return every team, by name."""
    return (await session.execute(select(teams).order_by(teams.c.name, teams.c.id))).mappings().all()


async def insert_team(team_id: str, details: Mapping[str, Any], *, session: AsyncSession) -> RowMapping | None:
    """Create a team and return its row; None when a team has this id already."""
    query = insert(teams).values(id=team_id, **details).on_conflict_do_nothing().returning(teams)
    return (await session.execute(query)).mappings().one_or_none()


async def update_team(team_id: str, details: Mapping[str, Any], *, session: AsyncSession) -> RowMapping:
    """Change the team's details and return its row as it is now."""
    query = update(teams).where(teams.c.id == team_id).values(**details).returning(teams)
    return (await session.execute(query)).mappings().one()


async def teams_managed_by(practitioner_id: str, *, session: AsyncSession) -> list[str]:
    """Return the ids of the teams whose service manager is `practitioner_id`."""
    query = select(teams.c.id).where(teams.c.service_manager_id == practitioner_id).order_by(teams.c.id)
    return list((await session.execute(query)).scalars())
