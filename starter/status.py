"""`python -m starter status WORKFLOW_ID --actor PRACTITIONER_ID`: where a process stands, as JSON.

The process's own `status` query (`safeguarding.service.status`), for a practitioner entitled to read its
case (their own team's, or any for a role that spans teams): process, case reference, stage, open human
tasks, every deadline with its rule id, due date, basis, state and the day it was met, the decisions made,
and the facts of its kind (`safeguarding.facts`: `facts.process` names the kind, a fact not known yet is
null). Ids and codes only; names stay in the case store. Dates and times are ISO 8601. With no worker
polling the task queue it says so at once and exits 1; it waits for an answer at most
`SAFEGUARDING_WORKER_WAIT_SECONDS` (`safeguarding.service.worker_wait`).
"""

from __future__ import annotations

import argparse

from safeguarding.models import ProcessStatus
from safeguarding.service.status import process_status
from starter.arguments import acting, add_actor
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `status` command."""
    parser = subparsers.add_parser("status", help="show where a process stands, as JSON", description=__doc__)
    parser.add_argument("workflow_id", metavar="WORKFLOW_ID", help="e.g. front-door-contact-1a2b3c4d5e6f")
    add_actor(parser, acts="who reads it")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the process's status."""
    return finish("status", status(args))


async def status(args: argparse.Namespace) -> ProcessStatus:
    """Return the process's status, as `--actor` may read it."""
    return await acting(args.actor, process_status, args.workflow_id)
