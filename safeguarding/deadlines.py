"""Rule + trigger + calendar -> a due date (or moment) with its plain-English basis.

Implements the clocks and the counting convention of statutory-rules.md §1 over the rules table: the
basis says what the deadline was counted from and which days were skipped, so a practitioner can check
it by hand ("15 working days after the strategy discussion on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are
bank holidays"). Pure: workflows call it with the calendar and profile they carry.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from safeguarding.codes import ClockKind
from safeguarding.procedure_profile import OfficeHours, ProcedureProfile
from safeguarding.rules import Direction, Rule
from safeguarding.working_days import (
    LONDON,
    WorkingCalendar,
    add_calendar_months,
    add_working_days,
    at_local_time,
    closed_days_between,
    describe_closed_days,
    describe_day,
    describe_moment,
    end_of_day,
    is_out_of_hours,
    is_working_day,
    local_date,
    months_due,
    next_working_day,
    subtract_working_days,
)


class Due(BaseModel):
    """A computed deadline. `passes_at` is the moment it is missed; `due_at` is set for hours clocks."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    title: str
    clock: ClockKind
    amount: int
    trigger_at: datetime
    due_date: date
    due_at: datetime | None
    passes_at: datetime
    basis: str
    citation: str
    calendar_version: str


class RuleNotSet(ValueError):
    """A local rule that the profile leaves without a value: never guessed."""


def compute_due(
    profile: ProcedureProfile,
    rule_id: str,
    trigger_at: datetime,
    calendar: WorkingCalendar,
    *,
    trigger_label: str | None = None,
) -> Due:
    """Return when `rule_id` falls due for a trigger at `trigger_at`, with the basis of the count."""
    if trigger_at.tzinfo is None:
        raise ValueError("trigger_at must be timezone-aware")
    rule = profile.rule(rule_id)
    if rule.amount is None:
        raise RuleNotSet(f"rule {rule_id!r} is local ({rule.citation}) and profile {profile.ref} sets no value for it")
    label = trigger_label or rule.trigger
    due_at: datetime | None = None
    if rule.clock is ClockKind.HOURS:
        sign = 1 if rule.direction is Direction.AFTER else -1
        # Aware arithmetic within one zone is wall-clock arithmetic (an hour short across the spring
        # change); an hours clock counts elapsed hours (§1), so add in UTC and return in the trigger's zone.
        elapsed = sign * timedelta(hours=rule.amount)
        due_at = (trigger_at.astimezone(UTC) + elapsed).astimezone(trigger_at.tzinfo)
        due_date, passes_at = local_date(due_at), due_at
        basis = _hours_basis(rule, label, trigger_at)
    else:
        due_date, basis = _day_count(rule, rule.amount, label, local_date(trigger_at), calendar)
        passes_at = end_of_day(due_date)
    return Due(
        rule_id=rule.id,
        title=rule.title,
        clock=rule.clock,
        amount=rule.amount,
        trigger_at=trigger_at,
        due_date=due_date,
        due_at=due_at,
        passes_at=passes_at,
        basis=basis,
        citation=rule.citation,
        calendar_version=calendar.version,
    )


def _hours_basis(rule: Rule, label: str, trigger_at: datetime) -> str:
    word = "after" if rule.direction is Direction.AFTER else "before"
    return (
        f"{rule.amount} hours {word} {label} at {describe_moment(trigger_at)}; wall-clock hours, "
        "so nights, weekends and bank holidays count"
    )


def _day_count(rule: Rule, amount: int, label: str, trigger: date, calendar: WorkingCalendar) -> tuple[date, str]:
    unit = _unit(rule.clock, amount)
    word = "after" if rule.direction is Direction.AFTER else "before"
    basis = f"{amount} {unit} {word} {label} on {describe_day(trigger)}"
    if rule.clock is ClockKind.WORKING_DAYS:
        if rule.direction is Direction.BEFORE:
            due = subtract_working_days(trigger, amount, calendar)
        else:
            due = add_working_days(trigger, amount, calendar)
            if not is_working_day(trigger, calendar):
                basis += f" (not a working day, so {describe_day(next_working_day(trigger, calendar))} is day 1)"
        skipped = closed_days_between(trigger, due, calendar)
        return due, basis + (f"; {describe_closed_days(skipped)}" if skipped else "")
    if rule.clock is ClockKind.CALENDAR_MONTHS:
        raw = add_calendar_months(trigger, amount if rule.direction is Direction.AFTER else -amount)
        due = months_due(trigger, amount, calendar) if rule.direction is Direction.AFTER else raw
        if due != raw:
            why = calendar.closure(raw)
            reason = f"is {why.name}" if why else "is a weekend"
            basis += f"; {describe_day(raw)} {reason}, so the deadline moves back to the previous working day"
        return due, basis
    due = trigger + timedelta(days=amount if rule.direction is Direction.AFTER else -amount)
    return due, basis


def _unit(clock: ClockKind, amount: int) -> str:
    singular = {
        ClockKind.WORKING_DAYS: "working day",
        ClockKind.CALENDAR_MONTHS: "calendar month",
        ClockKind.CALENDAR_DAYS: "calendar day",
        ClockKind.HOURS: "hour",
    }[clock]
    return singular if amount == 1 else singular + "s"


def office_moment(day: date, profile: ProcedureProfile) -> datetime:
    """Return the profile's reminder time on `day`, in England."""
    return at_local_time(day, profile.office.reminder_time).astimezone(LONDON)


def alert_moment(at: datetime, office: OfficeHours, calendar: WorkingCalendar) -> datetime:
    """Return when an alert due at `at` goes out: then in office hours, else at the next reminder time (§1).

    Before the reminder time on a working day it waits for it; otherwise (evening, night, weekend, bank
    holiday) it goes at the reminder time of the next working day. A manager is alerted when someone can act.
    """
    if not is_out_of_hours(at, calendar, office.opens, office.closes):
        return at
    local = at.astimezone(LONDON)
    day = local.date()
    if not (is_working_day(day, calendar) and local.time() < office.reminder_time):
        day = next_working_day(day, calendar)
    return at_local_time(day, office.reminder_time)
