"""Moving the clock of a test to a chosen moment in England (time-skipping server only)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from temporalio.testing import WorkflowEnvironment

from safeguarding.census.period import CensusYear
from safeguarding.working_days import LONDON, WorkingCalendar, at_local_time, local_date, previous_working_day

CENSUS_ROOM = timedelta(days=120)
"""How far into a census year a test exporting it may begin: its story, with the server's own skips, fits after."""
CENSUS_START = timedelta(days=14)
"""How far into the next census year such a test is moved: its contact, on the last working day, falls in it too
(Easter's bank holidays may close the first days of April)."""


async def skip_to(env: WorkflowEnvironment, when: datetime) -> None:
    """Move the time-skipping server's clock forward to `when` (which must be ahead of it)."""
    now = await env.get_current_time()
    if when <= now:
        raise ValueError(f"cannot go back in time from {now.isoformat()} to {when.isoformat()}")
    await env.sleep(when - now)


def next_weekday_at(after: datetime, weekday: int, clock: time) -> datetime:
    """Return the first moment after `after` that falls on `weekday` (0 = Monday) at `clock`, in England."""
    day = after.astimezone(LONDON).date() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return at_local_time(day, clock)


def last_working_day_at(now: datetime, calendar: WorkingCalendar, clock: time = time(10, 0)) -> datetime:
    """Return `clock` on the working day before `now`'s date: a moment in office hours already past."""
    day: date = previous_working_day(now.astimezone(LONDON).date(), calendar)
    return at_local_time(day, clock)


async def early_in_a_census_year(env: WorkflowEnvironment) -> CensusYear:
    """Return the census year the clock is early in, first moving it to mid-April of the next one if need be.

    A test that exports the census of what it did must do it all within one census year (1 April to 31 March,
    statutory-rules.md §9). The time-skipping server's clock is shared by a process's tests, so it may be
    anywhere in a year, and it moves on by itself while a test waits on a timer.
    """
    today = local_date(await env.get_current_time())
    year = CensusYear.of(today)
    if today <= year.first_day + CENSUS_ROOM:
        return year
    following = CensusYear(year.year + 1)
    await skip_to(env, at_local_time(following.first_day + CENSUS_START, time(10, 0)))
    return following


async def eventually(check, *, attempts: int = 100, interval: float = 0.05):
    """Return `check()`'s first truthy result, polling a bounded number of times (activities run in real time)."""
    for _ in range(attempts):
        result = await check()
        if result:
            return result
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met after {attempts} attempts: {check.__doc__ or check}")
