"""The queries of the LADO's reports: the open allegations, and how each resolution target stands.

statutory-rules.md §6 gives the targets (profile defaults): 80% of allegations resolved within 1 month,
90% within 3 months, all but exceptional ones within 12 months, and clearly unfounded or malicious ones
within 1 week. Each target is a deadline the LADO's process keeps (rule ids `lado_resolution_*`), so a
target is read from the deadlines: met, missed, or still open past its date (which counts as missed).
Only allegations that met the harm test carry the targets; one closed at initial consideration does not.
The 1-week target counts only allegations found unfounded or malicious, or flagged so and not yet decided.
Ids, references and codes only: no names. The report itself is `safeguarding.service.lado_report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import DeadlineState, Process
from safeguarding.commands.lado import ONE_WEEK_OUTCOMES, ONE_WEEK_TARGET, RESOLUTION_TARGETS
from safeguarding.schema import cases, deadlines, lado_outcomes, process_records

RESOLUTION_RULES = (*RESOLUTION_TARGETS.values(), ONE_WEEK_TARGET[1])


async def list_open_allegations(*, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the open allegations, oldest first, each with its earliest outstanding deadline.

    A police-led case shows its stage `paused_police_investigation`. The earliest outstanding deadline
    (`next_due`, `next_due_rule_id`, `next_due_state`) is one still pending, or one missed and not yet
    met, so an allegation whose target has passed shows that date rather than a later one, or none.
    """
    state = deadlines.c.state
    outstanding = (state == DeadlineState.PENDING) | ((state == DeadlineState.MISSED) & deadlines.c.met_on.is_(None))
    next_deadline = (
        select(deadlines.c.passes_at, deadlines.c.rule_id, state)
        .where(deadlines.c.workflow_id == process_records.c.workflow_id, outstanding)
        .order_by(deadlines.c.passes_at)
        .limit(1)
        .lateral("next_deadline")
    )
    query = (
        select(
            process_records.c.workflow_id,
            cases.c.reference,
            process_records.c.stage,
            process_records.c.responsible_id,
            cases.c.opened_at,
            next_deadline.c.passes_at.label("next_due"),
            next_deadline.c.rule_id.label("next_due_rule_id"),
            next_deadline.c.state.label("next_due_state"),
        )
        .join(cases, cases.c.id == process_records.c.case_id)
        .outerjoin(next_deadline, true())
        .where(process_records.c.process == Process.LADO.value, process_records.c.closed_at.is_(None))
        .order_by(cases.c.opened_at, cases.c.reference)
    )
    return (await session.execute(query)).mappings().all()


async def count_resolution_targets(now: datetime, *, session: AsyncSession) -> dict[str, RowMapping]:
    """Return, by rule id, how many allegations met each resolution target, missed it, or are open in time.

    Only the targets some allegation carries are returned. A target still pending at `now` after its date
    has passed counts as missed: the allegation was not resolved within it, whatever happens next.
    """
    state = deadlines.c.state
    missed = (state == DeadlineState.MISSED) | ((state == DeadlineState.PENDING) & (deadlines.c.passes_at <= now))
    query = (
        select(
            deadlines.c.rule_id,
            func.min(deadlines.c.title).label("title"),
            func.count().filter(state == DeadlineState.MET).label("met"),
            func.count().filter(missed).label("missed"),
            func.count().filter((state == DeadlineState.PENDING) & (deadlines.c.passes_at > now)).label("open"),
        )
        .join(process_records, process_records.c.workflow_id == deadlines.c.workflow_id)
        .outerjoin(lado_outcomes, lado_outcomes.c.case_id == deadlines.c.case_id)
        .where(
            process_records.c.process == Process.LADO.value,
            deadlines.c.rule_id.in_(RESOLUTION_RULES),
            # The 1-week target measures only allegations found unfounded or malicious (or not yet decided).
            (deadlines.c.rule_id != ONE_WEEK_TARGET[1])
            | lado_outcomes.c.outcome.is_(None)
            | lado_outcomes.c.outcome.in_([str(outcome) for outcome in ONE_WEEK_OUTCOMES]),
        )
        .group_by(deadlines.c.rule_id)
    )
    return {row["rule_id"]: row for row in (await session.execute(query)).mappings()}
