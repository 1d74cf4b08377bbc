"""Safeguarding partnerships and each team's duty manager: who a disagreement reaches beyond the team (§8).

A disagreement that reaches the partnership's stage goes to its business unit's mailbox; one raised as
immediate risk goes at once to the team's duty manager.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import duty_managers, safeguarding_partnerships


async def upsert_partnership(partnership_id: str, *, name: str, mailbox: str, session: AsyncSession) -> None:
    """Record a safeguarding partnership and the mailbox of its business unit (replacing an earlier one)."""
    statement = insert(safeguarding_partnerships).values(id=partnership_id, name=name, mailbox=mailbox)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["id"], set_={"name": statement.excluded.name, "mailbox": statement.excluded.mailbox}
        )
    )


async def set_duty_manager(team_id: str, practitioner_id: str, now: datetime, *, session: AsyncSession) -> None:
    """Name the manager on duty for `team_id` from `now` (the rota changes; the last one set counts)."""
    statement = insert(duty_managers).values(team_id=team_id, practitioner_id=practitioner_id, updated_at=now)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["team_id"],
            set_={"practitioner_id": statement.excluded.practitioner_id, "updated_at": statement.excluded.updated_at},
        )
    )
