"""`python -m starter calendar announce|refresh|show`: the working-day calendar the deadlines count on.

`announce DATE NAME [--local]` records a newly announced bank holiday (or, with `--local`, a closure of
the authority) in the case store and offers the calendar to every running process at once: no package
upgrade, no worker restart. `refresh` runs the CalendarRefresh workflow once, now (the Schedule runs it
every weekday morning): it offers today's calendar to every running process, which recomputes the
deadlines still ahead of it (statutory-rules.md §1). `show` prints the current calendar's version and the
coming closed days: bank holidays of England and Wales, the profile's local closures and the announced days.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Any

from safeguarding import calendar_announcements
from safeguarding.housekeeping import CalendarDistribution
from safeguarding.service.root import open_services
from safeguarding.working_days import ClosedDay, local_date
from starter.exits import Refused, finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `calendar` command with `announce`, `refresh` and `show`."""
    parser = subparsers.add_parser("calendar", help="announce, refresh or show the working-day calendar")
    parser.description = __doc__
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    announce = actions.add_parser("announce", help="record a newly announced closed day and offer it to every case")
    announce.add_argument("day", metavar="DATE", help="the closed day, e.g. 2027-05-10")
    announce.add_argument("name", metavar="NAME", help="its name, e.g. 'Coronation of the King'")
    announce.add_argument("--local", action="store_true", help="a closure of the authority, not a bank holiday")
    announce.set_defaults(handler=handle_announce)
    refresh = actions.add_parser("refresh", help="offer today's calendar to every running process, now")
    refresh.set_defaults(handler=handle_refresh)
    show = actions.add_parser("show", help="print the calendar's version and the coming closed days")
    show.add_argument("--days", type=int, default=365, help="how far ahead to list closed days (default 365)")
    show.set_defaults(handler=handle_show)


def handle_announce(args: argparse.Namespace) -> int:
    """Announce the closed day and print the calendar's new version and how many processes took it."""
    return finish("calendar", announce(args))


def handle_refresh(args: argparse.Namespace) -> int:
    """Run the refresh and print how many processes took the calendar."""
    return finish("calendar", refresh())


def handle_show(args: argparse.Namespace) -> int:
    """Print the current calendar."""
    return finish("calendar", show(args.days))


async def announce(args: argparse.Namespace) -> dict[str, Any]:
    """Record the day through the use case, with this command's settings, case store and Temporal client."""
    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        raise Refused(f"{args.day!r} is not an ISO date (e.g. 2027-05-10)") from None
    now = datetime.now(UTC)
    async with open_services() as services:
        return await calendar_announcements.announce(
            ClosedDay(day=day, name=args.name, local=args.local),
            today=local_date(now),
            profile=services.profile,
            sessionmaker=services.sessions,
            client=await services.temporal(),
            task_queue=services.task_queue,
            now=now,
        )


async def refresh() -> CalendarDistribution:
    """Offer today's calendar to every running process and wait for the result."""
    async with open_services() as services:
        return await calendar_announcements.refresh(
            await services.temporal(), services.task_queue, now=datetime.now(UTC)
        )


async def show(days: int) -> dict[str, Any]:
    """Return today's calendar version and the closed days from today to `days` ahead."""
    async with open_services() as services:
        return await calendar_announcements.show(
            today=local_date(datetime.now(UTC)), days=days, profile=services.profile, sessionmaker=services.sessions
        )
