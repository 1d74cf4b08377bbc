"""The due-date calculator: when a rule falls due for a trigger, and why, on today's calendar.

A practitioner can check any deadline by hand against its basis, with the same rules table, procedure
profile and working-day calendar the running processes count on (statutory-rules.md §1): the bank holidays
of England and Wales, the profile's local closures and the closures announced in the case store since
(`calendar_source`). Any active practitioner may use it; it reads no case.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from safeguarding.bank_holidays import FIRST_YEAR
from safeguarding.calendar_source import current_calendar
from safeguarding.codes import ClockKind
from safeguarding.deadlines import RuleNotSet, compute_due
from safeguarding.rules import UnknownRule
from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services
from safeguarding.working_days import COUNTING_CONVENTION, local_date


class DueDate(BaseModel):
    """A rule's deadline for a trigger, with the basis of its count in plain English."""

    rule_id: str
    title: str
    clock: ClockKind
    amount: int
    trigger: datetime = Field(description="The moment counted from.")
    due_date: date
    due_at: datetime | None = Field(description="Set for an hours clock: the moment it is due.")
    passes_at: datetime = Field(description="When it is missed: the end of its due date, or its due moment.")
    basis: str
    citation: str
    profile: str = Field(description="The procedure profile counted with: authority, version and digest.")
    calendar_version: str
    counting_convention: str


async def due_date(services: Services, principal: Principal, rule_id: str, trigger_at: datetime) -> DueDate:
    """Return when `rule_id` falls due for a trigger at `trigger_at` (timezone-aware), with its basis.

    `principal` is any active practitioner: resolving one is the check. The calendar is today's, reaching
    twelve years past today or past the trigger, whichever is later (`bank_holidays.YEARS_AHEAD`).
    """
    if trigger_at.tzinfo is None:
        raise Invalid("the trigger needs its offset from UTC, e.g. 2026-12-22T15:30:00+00:00", field="trigger_at")
    trigger_day = local_date(trigger_at)
    if trigger_day.year < FIRST_YEAR:
        raise Invalid(f"the trigger is before {FIRST_YEAR}, where the bank-holiday calendar starts", field="trigger_at")
    profile = services.profile
    async with services.sessions() as session:
        calendar = await current_calendar(
            today=max(local_date(await services.now()), trigger_day), profile=profile, session=session
        )
    try:
        due = compute_due(profile, rule_id, trigger_at, calendar)
    except (UnknownRule, RuleNotSet) as exc:
        raise Invalid(str(exc), field="rule_id") from None
    return DueDate(
        rule_id=due.rule_id,
        title=due.title,
        clock=due.clock,
        amount=due.amount,
        trigger=due.trigger_at,
        due_date=due.due_date,
        due_at=due.due_at,
        passes_at=due.passes_at,
        basis=due.basis,
        citation=due.citation,
        profile=profile.ref,
        calendar_version=due.calendar_version,
        counting_convention=COUNTING_CONVENTION,
    )
