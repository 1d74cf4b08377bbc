"""`python -m starter close-case --case REF --closure-reason RC7 --reason TEXT [--closed-on DATE] --actor ID`.

Closes a child's case with its census reason for closure (RC1–RC9, statutory-rules.md §9), as a manager of its
team or the head of service (`safeguarding.service.case_closure`): only once nothing on it is still going on.
An open Child in Need plan ends with it. Also `POST /cases/{id}/closure`. Prints ids and codes only.
"""

from __future__ import annotations

import argparse

from safeguarding.codes import ReasonForClosure
from safeguarding.service.case_closure import CaseClosed, CaseClosure, close_case_by_reference
from starter.arguments import acting, add_actor, option_names, parse_day
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `close-case` command."""
    parser = subparsers.add_parser(
        "close-case", help="close a child's case with its census reason for closure", description=__doc__
    )
    parser.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    parser.add_argument(
        "--closure-reason",
        required=True,
        choices=[str(reason) for reason in ReasonForClosure],
        help="the census reason: RC7 services ceased, RC5 moved to another authority, ...",
    )
    parser.add_argument("--reason", required=True, metavar="TEXT", help="why, in words (the change log keeps it)")
    parser.add_argument("--closed-on", metavar="DATE", help="the day it closed, if before today, e.g. 2026-11-23")
    add_actor(parser, acts="who closes it")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Close the case and print it as closed."""
    return finish("close-case", close(args), option_names("closed_on", "closure_reason", "reason"))


async def close(args: argparse.Namespace) -> CaseClosed:
    """Close the case `--case` as `--actor`."""
    closure = CaseClosure(
        closure_reason=ReasonForClosure(args.closure_reason),
        closed_on=parse_day("--closed-on", args.closed_on),
        reason=args.reason,
    )
    return await acting(args.actor, close_case_by_reference, args.case, closure)
