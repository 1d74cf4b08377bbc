"""`python -m starter start fgc ... --actor PRACTITIONER_ID`: propose a family group conference on an open case.

A conference is offered from another process of the case (`--from` names it, and it must be a process of
the same case), or before care proceedings in the letter before proceedings (the s31ZA offer:
`--offer-letter-at`; statutory-rules.md §7, commencement date unconfirmed). It runs as
`fgc-<case ref>-<date proposed>` (`safeguarding.service.fgc`). Its clocks start only once the manager has
agreed the referral and the family has consented: `deadline` is printed as null. A refused start writes
nothing.
"""

from __future__ import annotations

import argparse

from safeguarding.codes import FgcReason
from safeguarding.service.fgc import ConferenceProposed, ConferenceRequest, start_fgc
from starter.arguments import MOMENT_HELP, acting, add_actor, option_names, parse_moment
from starter.exits import finish

OPTIONS = option_names("proposed_at", "offer_letter_at") | {"source_workflow_id": "--from"}
"""The options the request's fields are typed as, so a refusal names what the person typed."""


def register_fgc(processes: argparse._SubParsersAction) -> None:
    """Add `start fgc` to the processes of the `start` command."""
    fgc = processes.add_parser("fgc", help="start a family group conference on an open case")
    fgc.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    fgc.add_argument("--proposed-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    fgc.add_argument("--reason", required=True, choices=[str(reason) for reason in FgcReason])
    fgc.add_argument(
        "--from",
        dest="source_workflow_id",
        metavar="WORKFLOW_ID",
        help="the process of the case that offers it, e.g. assessment-EX-0007 (not with pre_proceedings)",
    )
    fgc.add_argument(
        "--offer-letter-at",
        metavar="ISO_DATETIME",
        help="with pre_proceedings only: the letter before proceedings that made the offer; " + MOMENT_HELP,
    )
    add_actor(fgc, acts="who proposes it, the referrer")
    fgc.set_defaults(handler=handle_fgc)


def handle_fgc(args: argparse.Namespace) -> int:
    """Start the conference and print its id."""
    return finish("start", propose_conference(args), OPTIONS)


async def propose_conference(args: argparse.Namespace) -> ConferenceProposed:
    """Start `fgc-<case ref>-<date proposed>` on the open case `--case`."""
    letter = args.offer_letter_at
    request = ConferenceRequest(
        case_reference=args.case,
        proposed_at=parse_moment("--proposed-at", args.proposed_at),
        reason=FgcReason(args.reason),
        source_workflow_id=args.source_workflow_id,
        offer_letter_at=None if letter is None else parse_moment("--offer-letter-at", letter),
    )
    return await acting(args.actor, start_fgc, request)
