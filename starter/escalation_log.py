"""`python -m starter escalation-log --partnership ID --from DATE --to DATE --actor PRACTITIONER_ID`.

Each safeguarding partnership keeps a log of professional disagreements (statutory-rules.md §8). This
prints, as JSON, every disagreement raised under the partnership between the two days (in England,
both included), oldest first: who raised it (practitioner id and role), what about (the process, its
workflow id and the decision or open question disputed), whether the child was said to be at immediate
risk, the stage it started at and the stage it reached, the outcome, any decision it changed, and the
time it took in hours (null while it is still open). Ids and codes only: what was said is on the case.
Read by the partnership's chair and designated professionals and the service managers; a team manager
sees the lines of their own team's cases (`safeguarding.service.escalation_log`).
"""

from __future__ import annotations

import argparse
from datetime import date

from safeguarding.service.escalation_log import EscalationLogLine, read_escalation_log
from safeguarding.service.principals import principal_for
from safeguarding.service.root import open_services
from starter.exits import Refused, finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `escalation-log` command."""
    parser = subparsers.add_parser(
        "escalation-log", help="list a partnership's professional disagreements, as JSON", description=__doc__
    )
    parser.add_argument("--partnership", required=True, metavar="ID", help="e.g. example-partnership")
    parser.add_argument("--from", dest="first_day", required=True, metavar="DATE", help="first day, e.g. 2026-04-01")
    parser.add_argument("--to", dest="last_day", required=True, metavar="DATE", help="last day, e.g. 2027-03-31")
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who reads the log (their id)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the log."""
    return finish("escalation-log", escalation_log(args.partnership, args.first_day, args.last_day, args.actor))


async def escalation_log(partnership_id: str, first: str, last: str, actor: str) -> list[EscalationLogLine]:
    """Return the partnership's log lines for the period."""
    first_day, last_day = _day("--from", first), _day("--to", last)
    if last_day < first_day:
        raise Refused(f"--to {last_day.isoformat()} is before --from {first_day.isoformat()}")
    async with open_services() as services:
        principal = await principal_for(services, actor)
        log = await read_escalation_log(services, principal, partnership_id, first_day, last_day)
    return log.lines


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option} {text!r} is not a date such as 2026-04-01") from None
