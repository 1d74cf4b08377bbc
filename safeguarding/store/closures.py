"""Closed days announced to the service: one-off bank holidays and local closures (statutory-rules.md §1).

A one-off bank holiday is announced months ahead, long before a `holidays` release knows it, and an
authority decides its own closures; operators record both here, and every calendar the service builds
(the worker's, `calendar show`, a process's start) adds them to the package's days.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import announced_closures
from safeguarding.working_days import ClosedDay


async def announce_closure(day: date, name: str, *, local: bool, session: AsyncSession) -> None:
    """Record `day` as closed (announcing a day again replaces its name and kind)."""
    statement = insert(announced_closures).values(day=day, name=name, local=local)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["day"], set_={"name": statement.excluded.name, "local": statement.excluded.local}
        )
    )


async def list_announced_closures(*, session: AsyncSession) -> list[ClosedDay]:
    """Return every announced closed day, in date order."""
    rows = await session.execute(select(announced_closures).order_by(announced_closures.c.day))
    return [ClosedDay(day=row.day, name=row.name, local=row.local) for row in rows]
