"""`python -m starter due RULE_ID DATE`: show when a rule falls due, and why, as JSON.

A practitioner or developer can check any deadline by hand against its basis: the same rules table,
procedure profile and calendar the workflows use (statutory-rules.md §1 for the counting convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time
from pathlib import Path

from pydantic import ValidationError

from safeguarding.bank_holidays import FIRST_YEAR, england_and_wales_calendar
from safeguarding.config import Settings
from safeguarding.deadlines import RuleNotSet, compute_due
from safeguarding.procedure_profile import ProfileError, load_profile
from safeguarding.rules import UnknownRule
from safeguarding.working_days import COUNTING_CONVENTION, LONDON, local_date

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
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="procedure profile file (default: SAFEGUARDING_PROFILE_PATH, else profiles/example.toml)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the deadline as JSON; on a usage error print one line on stderr and return 2."""
    try:
        print(json.dumps(describe_due(args.rule_id, args.trigger, args.profile), indent=2))
    except (UnknownRule, RuleNotSet, ProfileError, ValidationError, ValueError) as exc:
        message = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        print(f"due: {message}", file=sys.stderr)
        return 2
    return 0


def describe_due(rule_id: str, trigger: str, profile_path: Path | None) -> dict[str, object]:
    """Return the deadline of `rule_id` for `trigger` under the profile, as JSON-ready values."""
    trigger_at = parse_trigger(trigger)
    profile = load_profile(profile_path or Settings().profile_path)
    calendar = england_and_wales_calendar(today=local_date(trigger_at), local_closures=profile.local_closures)
    due = compute_due(profile, rule_id, trigger_at, calendar)
    return {
        "rule_id": due.rule_id,
        "title": due.title,
        "clock": due.clock.value,
        "amount": due.amount,
        "trigger": due.trigger_at.isoformat(),
        "due_date": due.due_date.isoformat(),
        "due_at": due.due_at.isoformat() if due.due_at else None,
        "passes_at": due.passes_at.isoformat(),
        "basis": due.basis,
        "citation": due.citation,
        "profile": profile.ref,
        "calendar_version": due.calendar_version,
        "counting_convention": COUNTING_CONVENTION,
    }


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
