"""The reads behind the daily team digest: each team's overdue deadlines and those due in the next 7 days.

As at the start of the digest day in England: a deadline is overdue when it has passed (day-based
deadlines pass at midnight at the end of their due day) and is still pending, or is recorded as missed;
it is due soon when it is pending, has not passed, and falls due within the 7 calendar days starting on
the digest day. Met and extended deadlines are left out. Ids and case references only: no names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import DeadlineState
from safeguarding.schema import cases, deadlines
from safeguarding.working_days import at_local_time

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class DigestItem:
    """One deadline in a digest."""

    deadline_id: int
    workflow_id: str
    case_id: str
    case_reference: str
    rule_id: str
    title: str
    due_date: date
    passes_at: datetime
    state: str


@dataclass
class TeamDigest:
    """One team's digest: overdue first, then due soon, each in due order."""

    team_id: str
    overdue: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)


async def list_team_digests(day: date, *, session: AsyncSession) -> list[TeamDigest]:
    """Return the digest of every team with something overdue or due soon on `day`, by team id."""
    as_of = at_local_time(day, time(0, 0))
    overdue = or_(
        deadlines.c.state == DeadlineState.MISSED.value,
        and_(deadlines.c.state == DeadlineState.PENDING.value, deadlines.c.passes_at <= as_of),
    )
    due_soon = and_(
        deadlines.c.state == DeadlineState.PENDING.value,
        deadlines.c.passes_at > as_of,
        deadlines.c.due_date < day + timedelta(days=DUE_SOON_DAYS),
    )
    query = (
        select(
            deadlines.c.team_id,
            deadlines.c.id.label("deadline_id"),
            deadlines.c.workflow_id,
            deadlines.c.case_id,
            cases.c.reference.label("case_reference"),
            deadlines.c.rule_id,
            deadlines.c.title,
            deadlines.c.due_date,
            deadlines.c.passes_at,
            deadlines.c.state,
            overdue.label("is_overdue"),
        )
        .join(cases, cases.c.id == deadlines.c.case_id)
        .where(or_(overdue, due_soon))
        .order_by(deadlines.c.team_id, deadlines.c.passes_at, cases.c.reference, deadlines.c.id)
    )
    digests: dict[str, TeamDigest] = {}
    for row in (await session.execute(query)).mappings():
        digest = digests.setdefault(row["team_id"], TeamDigest(team_id=row["team_id"]))
        item = DigestItem(**{name: row[name] for name in DigestItem.__dataclass_fields__})
        (digest.overdue if row["is_overdue"] else digest.due_soon).append(item)
    return list(digests.values())
