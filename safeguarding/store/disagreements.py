"""The partnership's escalation log (statutory-rules.md §8): one line per professional disagreement.

The disagreement process keeps its line up to date as it moves (upserted by workflow id, so a retried
write changes nothing); the partnership lists its lines per period. Ids and codes only: what was said
is in the case's chronology, not in the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import RowMapping, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.commands.disagreement import DisagreementLogEntry
from safeguarding.schema import cases, disagreements
from safeguarding.working_days import at_local_time


async def upsert_disagreement(entry: DisagreementLogEntry, now: datetime, *, session: AsyncSession) -> None:
    """Write the disagreement's line as it now stands (insert, or replace the line of the same workflow)."""
    values = {**entry.model_dump(), "updated_at": now}
    statement = insert(disagreements).values(values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["workflow_id"],
            set_={column: statement.excluded[column] for column in values if column != "workflow_id"},
        )
    )


async def list_escalation_log(
    partnership_id: str, first_day: date, last_day: date, *, team_id: str | None = None, session: AsyncSession
) -> Sequence[RowMapping]:
    """Return the partnership's disagreements raised from `first_day` to `last_day` (days in England), in order.

    Each row is the disagreement's line with its case's reference (`case_reference`); `team_id` keeps only
    the lines of that team's cases.
    """
    start = at_local_time(first_day, time(0, 0))
    end = at_local_time(last_day + timedelta(days=1), time(0, 0))
    query = (
        select(disagreements, cases.c.reference.label("case_reference"))
        .join(cases, cases.c.id == disagreements.c.case_id)
        .where(
            disagreements.c.partnership_id == partnership_id,
            disagreements.c.raised_at >= start,
            disagreements.c.raised_at < end,
        )
        .order_by(disagreements.c.raised_at, disagreements.c.id)
    )
    if team_id is not None:
        query = query.where(disagreements.c.team_id == team_id)
    return (await session.execute(query)).mappings().all()
