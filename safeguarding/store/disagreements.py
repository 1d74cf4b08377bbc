"""The partnership's escalation log (statutory-rules.md §8): one line per professional disagreement.

The disagreement process keeps its line up to date as it moves (upserted by workflow id, so a retried
write changes nothing); the partnership lists its lines per period. Ids and codes only: what was said
is in the case's chronology, not in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.commands.disagreement import DisagreementLogEntry
from safeguarding.schema import cases, disagreements
from safeguarding.working_days import at_local_time


@dataclass(frozen=True)
class EscalationLogLine:
    """One disagreement as the partnership's log shows it: who, about what, stage reached, time taken, outcome."""

    workflow_id: str
    case_reference: str
    raised_by_id: str
    raised_by_role: str
    about_process: str | None
    about_workflow_id: str
    about_key: str
    about_outcome: str | None
    immediate_risk: bool
    raised_at: datetime
    started_at_stage: str
    stage_reached: str
    outcome: str
    changed_to: str | None
    closed_at: datetime | None

    @property
    def time_taken_hours(self) -> float | None:
        """Return the hours from raising to the outcome (None while it is open), to one decimal place."""
        if self.closed_at is None:
            return None
        return round((self.closed_at - self.raised_at).total_seconds() / 3600, 1)


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
    partnership_id: str, first_day: date, last_day: date, *, session: AsyncSession
) -> list[EscalationLogLine]:
    """Return the partnership's disagreements raised from `first_day` to `last_day` (days in England), in order."""
    start = at_local_time(first_day, time(0, 0))
    end = at_local_time(last_day + timedelta(days=1), time(0, 0))
    columns = [disagreements.c[name] for name in EscalationLogLine.__dataclass_fields__ if name != "case_reference"]
    query = (
        select(*columns, cases.c.reference.label("case_reference"))
        .join(cases, cases.c.id == disagreements.c.case_id)
        .where(
            disagreements.c.partnership_id == partnership_id,
            disagreements.c.raised_at >= start,
            disagreements.c.raised_at < end,
        )
        .order_by(disagreements.c.raised_at, disagreements.c.id)
    )
    return [EscalationLogLine(**row) for row in (await session.execute(query)).mappings()]
