"""`python -m starter start fgc ...`: start a family group conference on an open case.

A conference is offered from another process of the case (an assessment, a Child in Need or child
protection plan: `--from` names it, and it must be a process of the same case), or before care
proceedings in the letter before proceedings (the s31ZA offer: `--offer-letter-at`; statutory-rules.md
§7, commencement date unconfirmed). It runs as `fgc-<case ref>-<date proposed>`, so a case has one
conference proposed per day. It is voluntary, and every clock of §7 is local and starts only once the
manager has agreed the referral and the family has consented: at the start no deadline runs yet, and
`deadline` is printed as null. A refused start writes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from safeguarding import search_attributes as sa
from safeguarding.codes import FgcReason, Process
from safeguarding.commands.fgc import FgcInput, fgc_workflow_id
from safeguarding.models import ProcessContext
from starter.exits import Refused, finish
from starter.starting import MOMENT_HELP, open_case, parse_moment, start_process

CLOCKS_START = "when the manager has agreed the referral and the family has consented (statutory-rules.md §7)"


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
    fgc.set_defaults(handler=handle_fgc)


def handle_fgc(args: argparse.Namespace) -> int:
    """Start the conference and print its id."""
    return finish("start", start_fgc(args))


async def start_fgc(args: argparse.Namespace) -> dict[str, Any]:
    """Start `fgc-<case ref>-<date proposed>` on the open case `--case`."""
    proposed_at = parse_moment("--proposed-at", args.proposed_at)
    offer_letter_at = None if args.offer_letter_at is None else parse_moment("--offer-letter-at", args.offer_letter_at)
    settings, client, context = await open_case(args.case)
    started = FgcInput(
        context=context,
        proposed_at=proposed_at,
        reason=FgcReason(args.reason),
        source_workflow_id=args.source_workflow_id,
        offer_letter_at=offer_letter_at,
    )
    if started.source_workflow_id is not None:
        await _check_source(client, started.source_workflow_id, context)
    workflow_id = fgc_workflow_id(context.case_reference, proposed_at)
    await start_process(client, settings, "FamilyGroupConference", started, workflow_id, Process.FGC)
    return {
        "workflow_id": workflow_id,
        "case_reference": context.case_reference,
        "reason": started.reason,
        "source_workflow_id": started.source_workflow_id,
        "deadline": None,
        "clocks_start": CLOCKS_START,
    }


async def _check_source(client: Client, workflow_id: str, context: ProcessContext) -> None:
    """Refuse a `--from` process that does not exist or belongs to another case: the conference links to it."""
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise Refused(f"--from: no workflow {workflow_id!r}") from None
        raise
    reference = description.typed_search_attributes.get(sa.CASE_REFERENCE)
    if reference != context.case_reference:
        raise Refused(f"--from: {workflow_id} is not a process of case {context.case_reference}")
