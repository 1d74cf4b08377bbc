"""The working-day calendar of England and Wales, as pure functions (statutory-rules.md §1).

Bank holidays come in as data (a `WorkingCalendar` snapshot built outside any workflow by
`safeguarding.bank_holidays`), so a workflow can use these functions deterministically and can take a
newer snapshot when a one-off bank holiday is announced.

Counting convention (statutory-rules.md §1, decided here): the trigger day is day 0; "within N working
days of X" is due on the N-th working day after X. A trigger on a non-working day counts the next
working day as day 1. Month periods are calendar months (same day-of-month, clamped to the month's end),
and a month-based due date on a non-working day moves back to the previous working day.
"""

from __future__ import annotations

import hashlib
from calendar import monthrange
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

LONDON = ZoneInfo("Europe/London")

COUNTING_CONVENTION = (
    "Working days are Monday to Friday except bank holidays in England and Wales. The trigger day is "
    "day 0 and a deadline of N working days falls on the N-th working day after it; a trigger on a "
    "non-working day makes the next working day day 1. Hours are wall-clock hours. Months are calendar "
    "months, and a month-based date on a non-working day moves back to the previous working day. "
    "(DfE census validation counts the end date inclusively, one day less.)"
)


class ClosedDay(BaseModel):
    """A day that is not a working day: a bank holiday, or a local closure the profile adds."""

    model_config = ConfigDict(frozen=True)

    day: date
    name: str
    local: bool = False


class WorkingCalendar(BaseModel):
    """A versioned snapshot of the days that are not working days, beyond weekends.

    The version is a digest of the days, so two snapshots with the same days have the same version
    and a workflow can tell a real change from a repeated delivery.
    """

    model_config = ConfigDict(frozen=True)

    version: str
    closed_days: tuple[ClosedDay, ...]

    @classmethod
    def of(cls, closed_days: list[ClosedDay]) -> WorkingCalendar:
        """Build a snapshot whose version is derived from its days."""
        ordered = tuple(sorted(set(closed_days), key=lambda c: (c.day, c.name)))
        digest = hashlib.sha256(
            "\n".join(f"{c.day.isoformat()}|{c.name}|{c.local}" for c in ordered).encode()
        ).hexdigest()[:12]
        return cls(version=f"ENG-{digest}", closed_days=ordered)

    @cached_property
    def _by_day(self) -> dict[date, ClosedDay]:
        return {c.day: c for c in self.closed_days}

    def closure(self, day: date) -> ClosedDay | None:
        """Return why `day` is closed (bank holiday or local closure), or None."""
        return self._by_day.get(day)


def is_working_day(day: date, calendar: WorkingCalendar) -> bool:
    """Return whether `day` is Monday to Friday and not a bank holiday or local closure."""
    return day.weekday() < 5 and calendar.closure(day) is None


def next_working_day(day: date, calendar: WorkingCalendar) -> date:
    """Return the first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day, calendar):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, calendar: WorkingCalendar) -> date:
    """Return the last working day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_working_day(day, calendar):
        day -= timedelta(days=1)
    return day


def add_working_days(trigger: date, n: int, calendar: WorkingCalendar) -> date:
    """Return the N-th working day after `trigger` (trigger is day 0; §1 counting convention).

    A trigger on a non-working day needs no special case: the first working day after it is day 1.
    """
    if n < 1:
        raise ValueError(f"a working-day period must be at least 1 day, not {n}")
    day = trigger
    for _ in range(n):
        day = next_working_day(day, calendar)
    return day


def subtract_working_days(anchor: date, n: int, calendar: WorkingCalendar) -> date:
    """Return the N-th working day before `anchor`, for "N working days before the conference"."""
    if n < 1:
        raise ValueError(f"a working-day period must be at least 1 day, not {n}")
    day = anchor
    for _ in range(n):
        day = previous_working_day(day, calendar)
    return day


def add_calendar_months(start: date, months: int) -> date:
    """Return the same day-of-month `months` later, clamped to that month's last day (§1)."""
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def months_due(start: date, months: int, calendar: WorkingCalendar) -> date:
    """Return the due date of a "within N months" period: moved back off a non-working day (§1)."""
    due = add_calendar_months(start, months)
    return due if is_working_day(due, calendar) else previous_working_day(due, calendar)


def closed_days_between(start: date, end: date, calendar: WorkingCalendar) -> list[ClosedDay]:
    """Return the bank holidays and local closures on weekdays strictly after `start`, up to `end`."""
    low, high = min(start, end), max(start, end)
    return [c for c in calendar.closed_days if low < c.day <= high and c.day.weekday() < 5]


def local_date(at: datetime) -> date:
    """Return the date in England of an aware datetime."""
    return at.astimezone(LONDON).date()


def at_local_time(day: date, clock_time: time) -> datetime:
    """Return the aware datetime of `clock_time` on `day` in England (handles the clock changes)."""
    return datetime.combine(day, clock_time, tzinfo=LONDON)


def end_of_day(day: date) -> datetime:
    """Return the moment a day-based deadline passes: midnight at the end of `day`, in England."""
    return at_local_time(day + timedelta(days=1), time(0, 0))


def is_out_of_hours(at: datetime, calendar: WorkingCalendar, opens: time, closes: time) -> bool:
    """Return whether `at` falls outside office hours: evenings, nights, weekends, bank holidays (§1)."""
    local = at.astimezone(LONDON)
    if not is_working_day(local.date(), calendar):
        return True
    return not (opens <= local.time() < closes)


def next_office_opening(at: datetime, calendar: WorkingCalendar, opens: time) -> datetime:
    """Return the next moment the office opens at or after `at` (the day team's hand-over time)."""
    local = at.astimezone(LONDON)
    day = local.date()
    if is_working_day(day, calendar) and local.time() <= opens:
        return at_local_time(day, opens)
    return at_local_time(next_working_day(day, calendar), opens)


def latest_office_moment(at: datetime, calendar: WorkingCalendar, clock_time: time) -> datetime:
    """Return the latest working-day `clock_time` at or before `at` (when to send a reminder)."""
    local = at.astimezone(LONDON)
    day = local.date()
    if is_working_day(day, calendar) and local.time() >= clock_time:
        return at_local_time(day, clock_time)
    return at_local_time(previous_working_day(day, calendar), clock_time)


def describe_day(day: date) -> str:
    """Return a day as people read it in the basis of a deadline: "Tue 22 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def describe_moment(at: datetime) -> str:
    """Return a moment in England as "Sat 5 Dec 2026 14:30"."""
    local = at.astimezone(LONDON)
    return f"{describe_day(local.date())} {local:%H:%M}"


def describe_closed_days(days: list[ClosedDay]) -> str:
    """Return "25, 28 Dec and 1 Jan are bank holidays" style text, naming local closures apart."""
    parts = []
    for local, noun in ((False, "bank holiday"), (True, "local closure day")):
        chosen = [c.day for c in days if c.local is local]
        if not chosen:
            continue
        groups: list[tuple[str, list[int]]] = []
        for d in chosen:
            label = f"{d:%b}"
            if groups and groups[-1][0] == label:
                groups[-1][1].append(d.day)
            else:
                groups.append((label, [d.day]))
        phrases = [", ".join(str(n) for n in nums) + f" {label}" for label, nums in groups]
        text = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
        parts.append(f"{text} is a {noun}" if len(chosen) == 1 else f"{text} are {noun}s")
    return "; ".join(parts)


def describe_time_left(today: date, due: date, calendar: WorkingCalendar) -> str:
    """Return how long is left until `due` as a reminder's subject says it: "due in 5 working days".

    Counted as the §1 convention counts a period: today is day 0, so a deadline on the next working
    day is 1 working day away ("due tomorrow" when that is the next calendar day too).
    """
    if due <= today:
        return "due today"
    if due == today + timedelta(days=1):
        return "due tomorrow"
    left = len([d for d in _days_after(today, due) if is_working_day(d, calendar)])
    return f"due in {left} working day{'s' if left != 1 else ''}"


def _days_after(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range(1, (end - start).days + 1)]
