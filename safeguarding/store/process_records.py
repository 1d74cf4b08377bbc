"""A finished process's record: read it, and add to it what happens after (statutory-rules.md §8).

A process that has finished can take no Update, but a professional disagreement may still be raised about
one of its decisions, and resolved, long after. Its record in the case store (`process_records`, its
decisions and its chronology) is then where the dispute and its resolution are written, under keys of
their own, so a retried write changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import cases, chronology, decisions, process_records


async def get_process_record(workflow_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the record of process `workflow_id` with its case's reference, or None."""
    query = (
        select(process_records, cases.c.reference.label("case_reference"))
        .join(cases, cases.c.id == process_records.c.case_id)
        .where(process_records.c.workflow_id == workflow_id)
    )
    return (await session.execute(query)).mappings().one_or_none()


async def list_decisions(workflow_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the decisions process `workflow_id` recorded, in order."""
    query = select(decisions).where(decisions.c.workflow_id == workflow_id).order_by(decisions.c.id)
    return (await session.execute(query)).mappings().all()


async def has_entry(workflow_id: str, entry_key: str, *, session: AsyncSession) -> bool:
    """Return whether the chronology holds entry `entry_key` of `workflow_id`."""
    query = select(func.count()).where(chronology.c.workflow_id == workflow_id, chronology.c.entry_key == entry_key)
    return (await session.execute(query)).scalar_one() > 0


async def add_entry(
    row: RowMapping,
    entry_key: str,
    event: str,
    summary: str,
    *,
    occurred_at: datetime,
    actor_id: str | None,
    now: datetime,
    session: AsyncSession,
) -> None:
    """Add an entry to the chronology of the finished process `row`, once (by its key)."""
    values = {
        "workflow_id": row["workflow_id"],
        "entry_key": entry_key,
        "case_id": row["case_id"],
        "event": event,
        "occurred_at": occurred_at,
        "summary": summary,
        "actor_id": actor_id,
        "recorded_at": now,
    }
    await session.execute(insert(chronology).values(values).on_conflict_do_nothing())


async def add_decision(
    row: RowMapping,
    decision: str,
    *,
    actor_id: str,
    actor_role: str,
    effective_at: datetime,
    outcome: str,
    rationale: str | None,
    now: datetime,
    session: AsyncSession,
) -> str:
    """Add a decision to the record of the finished process `row`, numbered after its others; return its key."""
    made = sum(
        existing["decision"] == decision for existing in await list_decisions(row["workflow_id"], session=session)
    )
    key = f"{decision}:{made + 1}"
    await session.execute(
        insert(decisions).values(
            workflow_id=row["workflow_id"],
            decision_key=key,
            case_id=row["case_id"],
            decision=decision,
            actor_id=actor_id,
            actor_role=actor_role,
            effective_at=effective_at,
            recorded_at=now,
            outcome=outcome,
            rationale=rationale,
        )
    )
    return key


async def set_outcome(workflow_id: str, outcome: str, now: datetime, *, session: AsyncSession) -> None:
    """Change the outcome on the record of finished process `workflow_id`."""
    await session.execute(
        update(process_records)
        .where(process_records.c.workflow_id == workflow_id)
        .values(outcome=outcome, updated_at=now)
    )
