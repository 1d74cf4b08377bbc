"""The LADO's reports from the case store: the caseload, and the share of cases resolved within each target.

statutory-rules.md §6 gives the targets (profile defaults): 80% of allegations resolved within 1 month,
90% within 3 months, all but exceptional ones within 12 months, and clearly unfounded or malicious ones
within 1 week. Each target is a deadline the LADO's process keeps (rule ids `lado_resolution_*`), so a
share is read from the deadlines: met, missed, or still open past its date (which counts as missed).
Only allegations that met the harm test carry the targets; one closed at initial consideration does not.
The 1-week target counts only allegations found unfounded or malicious, or flagged so and not yet decided.
Ids, references and codes only: no names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import DeadlineState, Process
from safeguarding.commands.lado import ONE_WEEK_OUTCOMES, ONE_WEEK_TARGET, RESOLUTION_TARGETS
from safeguarding.rules import national_rule
from safeguarding.schema import cases, deadlines, lado_outcomes, process_records
from safeguarding.working_days import local_date

RESOLUTION_RULES = (*RESOLUTION_TARGETS.values(), ONE_WEEK_TARGET[1])


@dataclass(frozen=True)
class OpenAllegation:
    """One open allegation on the LADO's caseload."""

    workflow_id: str
    case_reference: str
    stage: str
    responsible_id: str | None
    notified_on: date
    next_due: datetime | None
    """When its earliest outstanding deadline passes: one still pending, or one missed and not yet met."""
    next_due_rule_id: str | None
    next_due_missed: bool


@dataclass
class Caseload:
    """The LADO service's open allegations, counted by stage and by LADO."""

    open: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    by_lado: dict[str, int] = field(default_factory=dict)
    allegations: list[OpenAllegation] = field(default_factory=list)


@dataclass(frozen=True)
class TargetShare:
    """How many allegations met one resolution target; `share` is met / (met + missed), None when none."""

    rule_id: str
    title: str
    met: int
    missed: int
    open: int
    share: float | None


async def get_lado_caseload(now: datetime, *, session: AsyncSession) -> Caseload:
    """Return the open allegations (a police-led case shows its stage `paused_police_investigation`).

    Each shows its next date due; a missed deadline not yet met counts, so an allegation whose target has
    passed shows that date (and that it was missed) rather than a later one, or none. As in the resolution
    shares, a deadline still pending at `now` after its date has passed is missed: the process may not yet
    have sent its overdue alert (it waits for office hours), but the date has gone.
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
    caseload = Caseload()
    for row in await session.execute(query):
        caseload.open += 1
        caseload.by_stage[row.stage] = caseload.by_stage.get(row.stage, 0) + 1
        lado = row.responsible_id or "unallocated"
        caseload.by_lado[lado] = caseload.by_lado.get(lado, 0) + 1
        caseload.allegations.append(
            OpenAllegation(
                workflow_id=row.workflow_id,
                case_reference=row.reference,
                stage=row.stage,
                responsible_id=row.responsible_id,
                notified_on=local_date(row.opened_at),
                next_due=row.next_due,
                next_due_rule_id=row.next_due_rule_id,
                next_due_missed=row.next_due_state == DeadlineState.MISSED
                or (row.next_due is not None and row.next_due <= now),
            )
        )
    return caseload


async def list_resolution_shares(now: datetime, *, session: AsyncSession) -> list[TargetShare]:
    """Return, for each resolution target, how many allegations met it, missed it, or are still open in time.

    A target still pending at `now` after its date has passed counts as missed: the allegation was not
    resolved within it, whatever happens next.
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
    found = {row.rule_id: row for row in await session.execute(query)}
    shares = []
    for rule_id in RESOLUTION_RULES:
        row = found.get(rule_id)
        met, lost, still_open = (row.met, row.missed, row.open) if row else (0, 0, 0)
        shares.append(
            TargetShare(
                rule_id=rule_id,
                title=row.title if row else national_rule(rule_id).title,
                met=met,
                missed=lost,
                open=still_open,
                share=round(met / (met + lost), 3) if met + lost else None,
            )
        )
    return shares
