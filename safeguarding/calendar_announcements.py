"""Use cases of the working-day calendar: announce a closed day, offer the calendar to running cases, show it.

statutory-rules.md §1: working days exclude the bank holidays of England and Wales, one-off days
included, and an authority's own closures count where its procedures say so. An operator announces such a
day (`calendar announce`); it is recorded in the case store and offered at once to every running process,
which recomputes the deadlines still ahead of it (those already passed keep their dates). The command line
and, later, the service layer's other entry points call these functions; they take their clients from the
caller.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from safeguarding.calendar_source import current_calendar
from safeguarding.housekeeping import CalendarDistribution
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.store.closures import announce_closure
from safeguarding.working_days import ClosedDay, WorkingCalendar

REFRESH_TIMEOUT = timedelta(minutes=10)
NAME_LENGTH = 100


class ClosureRefused(ValueError):
    """A closed day the calendar will not take; the message says why in one line."""


async def announce(
    closed: ClosedDay,
    *,
    today: date,
    profile: ProcedureProfile,
    sessionmaker: async_sessionmaker[AsyncSession],
    client: Client,
    task_queue: str,
    now: datetime,
) -> dict[str, Any]:
    """Record `closed` and offer the resulting calendar to every running process; return both.

    Refused: a day before `today` (no deadline still ahead can fall on it), a Saturday or Sunday (never a
    working day), a day already closed, and a name that is blank, too long or holds control characters.
    """
    _check_name(closed.name)
    if closed.day < today:
        raise ClosureRefused(f"{closed.day.isoformat()} has passed; only a day from today on can be announced")
    if closed.day.weekday() >= 5:
        raise ClosureRefused(f"{closed.day.isoformat()} is a {closed.day:%A}, never a working day")
    async with sessionmaker() as session:
        already = (await current_calendar(today=today, profile=profile, session=session)).closure(closed.day)
        if already is not None:
            raise ClosureRefused(f"{closed.day.isoformat()} is already closed ({already.name})")
        await announce_closure(closed.day, closed.name, local=closed.local, session=session)
        await session.commit()
        calendar = await current_calendar(today=today, profile=profile, session=session)
    distribution = await refresh(client, task_queue, now=now)
    return {
        "announced": closed.model_dump(mode="json"),
        "version": calendar.version,
        "offered": distribution.offered,
        "taken": distribution.taken,
    }


async def refresh(client: Client, task_queue: str, *, now: datetime) -> CalendarDistribution:
    """Run CalendarRefresh as `calendar-refresh-manual-<UTC timestamp>` and wait for its result.

    The workflow loads the calendar through the worker's `load_calendar`, the same source as `show`.
    """
    return await client.execute_workflow(
        "CalendarRefresh",
        id=f"calendar-refresh-manual-{now:%Y%m%dT%H%M%S%fZ}",
        task_queue=task_queue,
        execution_timeout=REFRESH_TIMEOUT,
        result_type=CalendarDistribution,
    )


async def show(
    *, today: date, days: int, profile: ProcedureProfile, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, Any]:
    """Return today's calendar version and the closed days from today to `days` ahead."""
    async with sessionmaker() as session:
        calendar: WorkingCalendar = await current_calendar(today=today, profile=profile, session=session)
    until = today + timedelta(days=days)
    return {
        "version": calendar.version,
        "today": today,
        "profile": profile.ref,
        "coming": [
            {"day": closed.day, "name": closed.name, "local": closed.local}
            for closed in calendar.closed_days
            if today <= closed.day <= until
        ],
    }


def _check_name(name: str) -> None:
    if not name.strip():
        raise ClosureRefused("the closed day needs a name, e.g. 'Coronation of the King'")
    if len(name) > NAME_LENGTH:
        raise ClosureRefused(f"the name is longer than {NAME_LENGTH} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ClosureRefused("the name holds a control character")
