"""A case's chronology: the append-only record of what happened, written by every process."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, and_, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import chronology, decisions, practitioners, process_records


async def list_chronology(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the case's chronology in the order things happened (ties in the order they were written)."""
    query = (
        select(chronology).where(chronology.c.case_id == case_id).order_by(chronology.c.occurred_at, chronology.c.id)
    )
    return (await session.execute(query)).mappings().all()


async def list_chronology_newest_first(
    case_id: str, *, before: tuple[datetime, int] | None, limit: int, session: AsyncSession
) -> Sequence[RowMapping]:
    """Return up to `limit` of the case's entries, newest first, from before `before` (occurred at, id).

    Each row carries its process (`process`, None for an entry of no recorded process), the name of the
    practitioner who acted (`actor_given_name`, `actor_family_name`), and for a decision's entry the
    decision it records (`decision`, `outcome`, `actor_role`, `rationale`; None for any other entry).
    """
    entry = chronology.c
    made = decisions.c
    decision = (
        select(made.decision, made.outcome, made.actor_role, made.rationale)
        .where(
            made.workflow_id == entry.workflow_id,
            literal("decision.") + made.decision == entry.event,
            made.actor_id == entry.actor_id,
            made.effective_at == entry.occurred_at,
        )
        .order_by(made.id)
        .limit(1)
        .lateral("decision")
    )
    query = (
        select(
            chronology,
            process_records.c.process,
            practitioners.c.given_name.label("actor_given_name"),
            practitioners.c.family_name.label("actor_family_name"),
            decision.c.decision,
            decision.c.outcome,
            decision.c.actor_role,
            decision.c.rationale,
        )
        .outerjoin(process_records, process_records.c.workflow_id == entry.workflow_id)
        .outerjoin(practitioners, practitioners.c.id == entry.actor_id)
        .outerjoin(decision, true())
        .where(entry.case_id == case_id)
        .order_by(entry.occurred_at.desc(), entry.id.desc())
        .limit(limit)
    )
    if before is not None:
        occurred_at, entry_id = before
        query = query.where(
            or_(entry.occurred_at < occurred_at, and_(entry.occurred_at == occurred_at, entry.id < entry_id))
        )
    return (await session.execute(query)).mappings().all()
