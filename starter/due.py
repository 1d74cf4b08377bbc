"""`python -m starter due RULE_ID DATE --actor PRACTITIONER_ID`: show when a rule falls due, and why, as JSON.

A practitioner or developer can check any deadline by hand against its basis: the same rules table,
procedure profile and calendar the workflows use (statutory-rules.md §1 for the counting convention),
with the closed days announced in the case store (`calendar announce`). Any active practitioner may ask
(`safeguarding.service.due`).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, time
from pathlib import Path

from safeguarding.bank_holidays import FIRST_YEAR
from safeguarding.config import Settings
from safeguarding.service.due import DueDate, due_date
from safeguarding.service.principals import principal_for
from safeguarding.service.root import open_services
from safeguarding.working_days import LONDON, local_date
from starter.exits import finish

MIDDAY = time(12, 0)

DATE_HELP = (
    "the trigger: an ISO date (2026-12-22), taken as 12:00 midday in Europe/London so that an hours "
    "clock is well defined, or an ISO date and time (2026-12-22T15:30, 2026-12-22T15:30+00:00); a time "
    "without an offset is Europe/London local time"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `due` command."""
    parser = subparsers.add_parser(
        "due",
        help="show when a rule falls due for a trigger date, with its basis",
        description=__doc__,
    )
    parser.add_argument("rule_id", metavar="RULE_ID", help="a rule id, e.g. icpc or assessment")
    parser.add_argument("trigger", metavar="DATE", help=DATE_HELP)
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who asks (their id)")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="procedure profile file (default: SAFEGUARDING_PROFILE_PATH, else profiles/example.toml)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the deadline as JSON; on a usage error print one line on stderr and return 2."""
    return finish("due", describe_due(args.rule_id, args.trigger, args.actor, args.profile))


async def describe_due(rule_id: str, trigger: str, actor: str, profile_path: Path | None) -> dict[str, object]:
    """Return the deadline of `rule_id` for `trigger` under the profile, as JSON-ready values."""
    trigger_at = parse_trigger(trigger)
    settings = Settings(profile_path=profile_path) if profile_path else Settings()
    async with open_services(settings) as services:
        due = await due_date(services, await principal_for(services, actor), rule_id, trigger_at)
    return printable(due)


def printable(due: DueDate) -> dict[str, object]:
    """Return the deadline's values with dates and moments as ISO text (a moment with its offset, never Z)."""
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in due.model_dump().items()}


def parse_trigger(text: str) -> datetime:
    """Return the trigger moment: a bare date is midday in England; a naive time is England's local time.

    The calendar starts in 2015 (`bank_holidays.FIRST_YEAR`): an earlier date would silently count
    without bank holidays, so it is refused.
    """
    try:
        at = datetime.combine(date.fromisoformat(text), MIDDAY, tzinfo=LONDON)
    except ValueError:
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"DATE {text!r} is not an ISO date (2026-12-22) or date and time") from None
        if at.tzinfo is None:
            at = at.replace(tzinfo=LONDON)
    if local_date(at).year < FIRST_YEAR:
        raise ValueError(f"DATE {text!r} is before {FIRST_YEAR}, where the bank-holiday calendar starts")
    return at
