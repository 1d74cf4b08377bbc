"""`python -m starter raise-disagreement WORKFLOW_ID KEY --actor PRACTITIONER_ID --raised-at ... ...`.

Raise a professional disagreement (statutory-rules.md §8) about a decision of a process (its key in that
process's `status`, e.g. `submit_assessment:1`) or an open question of a running one (an open task's key,
e.g. `authorise`), saying what you disagree with and what you propose. A process that has finished is
disputed through its record in the case store (its decisions' keys are those of its record): a step-down
to a Family Support Plan can be disputed after the assessment has closed. Who raises it comes from
`--actor`, whose role and team are read from the case store; only the roles of
`safeguarding.authority.DISAGREEMENT_RAISERS` may. The disagreement runs on the case of the process it
concerns as `disagreement-<case ref>-<raised at>`; that process keeps running and its clocks keep
counting. It starts at the profile's first stage, or, for a child said to be at immediate risk, at the
profile's higher stage; the stage's time limit is printed with its basis, computed by the same profile
and calendar the workflow uses. The process, the key and the actor are checked before anything starts,
so a refused disagreement writes nothing. A process that stopped without closing (terminated) has no
complete record and is refused.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.authority import DISAGREEMENT_RAISERS
from safeguarding.codes import Process
from safeguarding.commands.disagreement import RAISED, DisagreementInput, RaiseDisagreement, disagreement_id
from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.store.process_records import get_process_record, list_decisions
from safeguarding.temporal import connect
from starter.decide import resolve_actor
from starter.exits import Refused, finish
from starter.starting import MOMENT_HELP, first_deadline, open_case, parse_moment, start_process
from starter.status import status


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
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who raises it (their id)")
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
    return finish("raise-disagreement", raise_disagreement(args))


async def raise_disagreement(args: argparse.Namespace) -> dict[str, Any]:
    """Check the process, the key and the actor, then start `disagreement-<case ref>-<raised at>`."""
    raised_at = parse_moment("--raised-at", args.raised_at)
    about = await _about(args.workflow_id)
    settings, client, context = await open_case(about.case_reference)
    procedure = context.profile.disagreement
    if procedure is None:
        raise Refused(f"profile {context.profile.ref} has no [disagreement] procedure")
    actor = await resolve_actor(settings, args.actor)
    if actor.role not in DISAGREEMENT_RAISERS:
        raise Refused(f"{actor.practitioner_id} is a {actor.role}: a {actor.role} may not raise a disagreement")
    counterpart = None if args.counterpart is None else await resolve_actor(settings, args.counterpart)
    _check_key(about, args.about_key)
    raised = RaiseDisagreement(
        actor=actor,
        effective_at=raised_at,
        about_workflow_id=args.workflow_id,
        about_key=args.about_key,
        disagrees_with=args.disagrees_with,
        proposes=args.proposes,
        immediate_risk=args.immediate_risk,
        counterpart_id=counterpart.practitioner_id if counterpart else None,
    )
    workflow_id = disagreement_id(context.case_reference, raised_at)
    started = DisagreementInput(context=context, raised=raised)
    await start_process(client, settings, "Disagreement", started, workflow_id, Process.DISAGREEMENT)
    stage = procedure.immediate_risk_starts_at if args.immediate_risk else procedure.stages[0].id
    return {
        "workflow_id": workflow_id,
        "about_workflow_id": args.workflow_id,
        "about_key": args.about_key,
        "case_reference": context.case_reference,
        "stage": stage,
        "deadline": first_deadline(context, procedure.stage(stage).rule_id, raised_at, RAISED),
    }


@dataclass(frozen=True)
class _About:
    """The process a disagreement is about: what it is, its case, and the keys that can be disputed."""

    workflow_id: str
    process: Process
    case_reference: str
    keys: frozenset[str]


async def _about(workflow_id: str) -> _About:
    """Return the process, from its closed record once it has finished, else from its `status` while it runs.

    The record is asked first: a finished process may no longer be known to Temporal at all.
    """
    settings = Settings()
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            record = await get_process_record(workflow_id, session=session)
            made = await list_decisions(workflow_id, session=session)
    finally:
        await engine.dispose()
    if record is not None and record["closed_at"] is not None:
        keys = frozenset(decision["decision_key"] for decision in made)
        return _About(workflow_id, Process(record["process"]), record["case_reference"], keys)
    await _refuse_unless_running(settings, workflow_id)
    about = await status(workflow_id)
    keys = frozenset({decision.key for decision in about.decisions} | {task.key for task in about.open_tasks})
    return _About(workflow_id, about.process, about.case_reference, keys)


async def _refuse_unless_running(settings: Settings, workflow_id: str) -> None:
    """Refuse an unknown process, or one that stopped without closing (asked first: it may not answer)."""
    client = await connect(settings)
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise Refused(f"no workflow {workflow_id!r}") from None
        raise
    if description.status is not WorkflowExecutionStatus.RUNNING:
        how = description.status.name.lower() if description.status else "stopped"
        raise Refused(f"{workflow_id} stopped without closing ({how}): it has no record to dispute")


def _check_key(about: _About, key: str) -> None:
    """Refuse what the process would refuse to mark disputed: a disagreement itself, or a key it does not have."""
    if about.process is Process.DISAGREEMENT:
        raise Refused(f"{about.workflow_id} is a disagreement: escalate it instead of disputing it")
    if key not in about.keys:
        raise Refused(
            f"{key!r} is neither a decision nor an open question of {about.workflow_id} "
            f"(it has: {', '.join(sorted(about.keys)) or 'nothing yet'})"
        )
