"""`python -m starter raise-disagreement WORKFLOW_ID KEY --actor PRACTITIONER_ID --raised-at ... ...`.

Raise a professional disagreement (statutory-rules.md §8) about a decision of a process (its key in that
process's `status`, e.g. `submit_assessment:1`) or an open question of a running one (an open task's key,
e.g. `authorise`), saying what you disagree with and what you propose (`safeguarding.service.disagreements`).
A process that has finished is disputed through its record in the case store: a step-down to a Family
Support Plan can be disputed after the assessment has closed. Who raises it comes from `--actor`, whose
role and team are read from the case store; only the roles of `safeguarding.authority.DISAGREEMENT_RAISERS`
may. The disagreement runs on the case of the process it concerns as `disagreement-<case ref>-<raised at>`;
that process keeps running and its clocks keep counting. The stage it starts at is printed with its time
limit and basis. A refused disagreement writes nothing.
"""

from __future__ import annotations

import argparse

from safeguarding.service.disagreements import DisagreementRaised, DisagreementRequest, raise_disagreement
from starter.arguments import MOMENT_HELP, acting, add_actor, option_names, parse_moment
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `raise-disagreement` command."""
    parser = subparsers.add_parser(
        "raise-disagreement",
        help="raise a professional disagreement about a process's decision (running or finished) or open task",
        description=__doc__,
    )
    parser.add_argument("workflow_id", metavar="WORKFLOW_ID", help="the process it is about, e.g. assessment-EX-0007")
    parser.add_argument(
        "about_key", metavar="KEY", help="a decision's key in its status (e.g. submit_assessment:1) or an open task's"
    )
    add_actor(parser, acts="who raises it")
    parser.add_argument("--raised-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    parser.add_argument("--disagrees-with", required=True, metavar="TEXT", help="what you disagree with, and why")
    parser.add_argument("--proposes", required=True, metavar="TEXT", help="what you propose instead")
    parser.add_argument(
        "--immediate-risk",
        action="store_true",
        help="the child is at immediate risk: start at the profile's higher stage and alert the duty manager",
    )
    parser.add_argument(
        "--counterpart",
        metavar="PRACTITIONER_ID",
        help="the practitioner you disagree with, if not the one who made the decision",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Start the disagreement and print its first stage's time limit."""
    return finish("raise-disagreement", raise_it(args), option_names("raised_at"))


async def raise_it(args: argparse.Namespace) -> DisagreementRaised:
    """Raise the disagreement the options describe, as `--actor`."""
    request = DisagreementRequest(
        about_workflow_id=args.workflow_id,
        about_key=args.about_key,
        raised_at=parse_moment("--raised-at", args.raised_at),
        disagrees_with=args.disagrees_with,
        proposes=args.proposes,
        immediate_risk=args.immediate_risk,
        counterpart_id=args.counterpart,
    )
    return await acting(args.actor, raise_disagreement, request)
