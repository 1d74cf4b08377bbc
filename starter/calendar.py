"""`python -m starter calendar refresh|show`: the bank-holiday calendar the deadlines count on.

`refresh` runs the CalendarRefresh workflow once, now (the Schedule runs it every weekday morning): it
offers today's calendar to every running process, which recomputes the deadlines still ahead of it
(statutory-rules.md §1). `show` prints the current calendar's version and the coming closed days: bank
holidays of England and Wales and the profile's local closures.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.config import Settings
from safeguarding.housekeeping import CalendarDistribution
from safeguarding.procedure_profile import load_profile
from safeguarding.temporal import connect
from safeguarding.working_days import local_date
from starter.exits import finish

REFRESH_TIMEOUT = timedelta(minutes=10)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `calendar` command with `refresh` and `show`."""
    parser = subparsers.add_parser("calendar", help="refresh or show the bank-holiday calendar", description=__doc__)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    refresh = actions.add_parser("refresh", help="offer today's calendar to every running process, now")
    refresh.set_defaults(handler=handle_refresh)
    show = actions.add_parser("show", help="print the calendar's version and the coming closed days")
    show.add_argument("--days", type=int, default=365, help="how far ahead to list closed days (default 365)")
    show.set_defaults(handler=handle_show)


def handle_refresh(args: argparse.Namespace) -> int:
    """Run the refresh and print how many processes took the calendar."""
    return finish("calendar", refresh())


def handle_show(args: argparse.Namespace) -> int:
    """Print the current calendar."""
    return finish("calendar", show(args.days))


async def refresh() -> CalendarDistribution:
    """Run CalendarRefresh as `calendar-refresh-manual-<UTC timestamp>` and wait for its result."""
    settings = Settings()
    client = await connect(settings)
    return await client.execute_workflow(
        "CalendarRefresh",
        id=f"calendar-refresh-manual-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}",
        task_queue=settings.task_queue,
        execution_timeout=REFRESH_TIMEOUT,
        result_type=CalendarDistribution,
    )


async def show(days: int) -> dict[str, Any]:
    """Return today's calendar version and the closed days from today to `days` ahead."""
    settings = Settings()
    profile = load_profile(settings.profile_path)
    today = local_date(datetime.now(UTC))
    calendar = england_and_wales_calendar(today=today, local_closures=profile.local_closures)
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
