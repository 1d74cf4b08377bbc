"""`python -m starter lado-report --actor PRACTITIONER_ID`: the LADO's caseload and resolution targets, as JSON.

Reads the case store only (no Temporal server needed); statutory-rules.md §6. `caseload`: the open
allegations, counted by stage (a police-led case shows `paused_police_investigation`) and by LADO, each
with its next date due and its rule (`next_due`, `next_due_rule_id`; a deadline missed and not yet met
counts, flagged `next_due_missed`). `resolution_targets`: for each target (1 month, 3 months, 12 months;
1 week for clearly unfounded or malicious allegations), how many allegations met it, missed it (a target
passed while the allegation was still open counts as missed) and are still open within it, and the share
met. References and ids only: no names. Read by the LADO, the LADO's manager and the service manager
(`safeguarding.service.lado_report`).
"""

from __future__ import annotations

import argparse

from safeguarding.service.lado_report import LadoReport, read_lado_report
from safeguarding.service.principals import principal_for
from safeguarding.service.root import open_services
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `lado-report` command."""
    parser = subparsers.add_parser(
        "lado-report", help="the LADO's caseload and the share of allegations resolved in time", description=__doc__
    )
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who reads the report (their id)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the report."""
    return finish("lado-report", report(args.actor))


async def report(actor: str) -> LadoReport:
    """Return the caseload and the resolution targets as they stand now."""
    async with open_services() as services:
        return await read_lado_report(services, await principal_for(services, actor))
