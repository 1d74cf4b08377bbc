"""`python -m starter list --case REF --actor PRACTITIONER_ID`: a case's processes and their workflow ids.

Read from the case store (`safeguarding.service.case_processes`), for a practitioner entitled to read the
case. The ids are what `decide`, `status` and `raise-disagreement` take. Running and finished processes are
listed, oldest first, each with its stage and outcome; no Temporal server is needed. Ids and codes only.
"""

from __future__ import annotations

import argparse

from safeguarding.service.case_processes import CaseProcesses, case_processes
from starter.arguments import acting, add_actor
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `list` command."""
    parser = subparsers.add_parser("list", help="a case's processes and their workflow ids", description=__doc__)
    parser.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    add_actor(parser, acts="who reads it")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the case's processes."""
    return finish("list", list_processes(args))


async def list_processes(args: argparse.Namespace) -> CaseProcesses:
    """Return the case `--case` and its processes, as `--actor` may read them."""
    return await acting(args.actor, case_processes, args.case)
