"""`python -m starter start front-door|assessment|strategy-discussion|lado|fgc ...`: start a process.

`start front-door` records the contact in the case store and starts the front door (statutory-rules.md
§2) as `front-door-<contact id>`, so several contacts on one case each run their own clock. `start
assessment` starts a child and family assessment directly from a referral (§3) as `assessment-<case
ref>`, the id the front door hands off to, so one case never runs two. `start strategy-discussion`
starts one on an open case when new information arrives (§4). Each prints the workflow id and the first
deadline with its basis, computed by the same rules, profile and calendar the workflow uses. `start lado`
records an allegation and starts the LADO's process (§6); `start fgc` proposes a family group conference
(§7). A refused start writes nothing.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from safeguarding.codes import Process, StrategyReason
from safeguarding.commands.assessment import AssessmentInput, assessment_id
from safeguarding.commands.front_door import FrontDoorInput, front_door_id
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput, strategy_discussion_id
from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.models import ProcessContext
from safeguarding.procedure_profile import load_profile
from safeguarding.store.contacts import delete_contact, insert_contact
from safeguarding.temporal import connect
from starter.exits import finish
from starter.start_fgc import register_fgc
from starter.start_lado import register_lado
from starter.starting import (
    MOMENT_HELP,
    case_context,
    first_deadline,
    open_case,
    open_case_row,
    parse_moment,
    start_process,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `start` command and its two processes."""
    parser = subparsers.add_parser("start", help="record a contact and start a process", description=__doc__)
    processes = parser.add_subparsers(dest="process", required=True, metavar="PROCESS")

    front_door = processes.add_parser("front-door", help="record a contact and start the front door")
    front_door.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    front_door.add_argument("--received-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    front_door.add_argument("--source", required=True, help="who made contact, e.g. school, police, health")
    front_door.add_argument("--summary", required=True, help="what the referrer said")
    front_door.add_argument("--referrer-name")
    front_door.add_argument("--referrer-email", help="where the acknowledgement and the outcome are sent")
    front_door.add_argument("--referrer-organisation")
    front_door.set_defaults(handler=handle_front_door)

    assessment = processes.add_parser("assessment", help="start a child and family assessment from a referral")
    assessment.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0002")
    assessment.add_argument("--referral-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    assessment.set_defaults(handler=handle_assessment)

    discussion = processes.add_parser(
        "strategy-discussion", help="start a strategy discussion on an open case when new information arrives"
    )
    discussion.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    discussion.add_argument("--concerns-at", required=True, metavar="ISO_DATETIME", help=MOMENT_HELP)
    discussion.set_defaults(handler=handle_strategy_discussion)

    register_lado(processes)
    register_fgc(processes)


def handle_front_door(args: argparse.Namespace) -> int:
    """Record the contact, start the front door and print where it stands."""
    return finish("start", start_front_door(args))


def handle_assessment(args: argparse.Namespace) -> int:
    """Start the assessment and print where it stands."""
    return finish("start", start_assessment(args))


def handle_strategy_discussion(args: argparse.Namespace) -> int:
    """Start the strategy discussion and print its time limit."""
    return finish("start", start_strategy_discussion(args))


async def start_front_door(args: argparse.Namespace) -> dict[str, Any]:
    """Record the contact and start `front-door-<contact id>`; remove the contact again if the start fails."""
    received_at = parse_moment("--received-at", args.received_at)
    settings = Settings()
    profile = load_profile(settings.profile_path)
    client = await connect(settings)
    engine = create_engine(database_url(settings, settings.data_dir))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions.begin() as session:
            context = await case_context(await open_case_row(args.case, session=session), profile, session=session)
            contact_id = await insert_contact(
                case_id=context.case_id,
                received_at=received_at,
                source=args.source,
                summary=args.summary,
                referrer_name=args.referrer_name,
                referrer_email=args.referrer_email,
                referrer_organisation=args.referrer_organisation,
                session=session,
            )
        # Committed before the start, so the workflow's first activities find the contact; taken out again
        # if the process does not start, so a refused start leaves nothing behind.
        workflow_id = front_door_id(contact_id)
        try:
            started = FrontDoorInput(context=context, contact_id=contact_id, received_at=received_at)
            await start_process(client, settings, "FrontDoor", started, workflow_id, Process.FRONT_DOOR)
        except Exception:
            async with sessions.begin() as session:
                await delete_contact(contact_id, session=session)
            raise
    finally:
        await engine.dispose()
    return _started(workflow_id, contact_id, context, "referral_decision", received_at)


async def start_assessment(args: argparse.Namespace) -> dict[str, Any]:
    """Start `assessment-<case ref>` from a referral received at `--referral-at`."""
    referral_at = parse_moment("--referral-at", args.referral_at)
    settings, client, context = await open_case(args.case)
    workflow_id = assessment_id(context.case_reference)
    started = AssessmentInput(context=context, referral_at=referral_at)
    await start_process(client, settings, "Assessment", started, workflow_id, Process.ASSESSMENT)
    return _started(workflow_id, None, context, "assessment", referral_at)


async def start_strategy_discussion(args: argparse.Namespace) -> dict[str, Any]:
    """Start a strategy discussion about an open case on new information (statutory-rules.md §4)."""
    concerns_at = parse_moment("--concerns-at", args.concerns_at)
    settings, client, context = await open_case(args.case)
    workflow_id = strategy_discussion_id(context.case_reference, concerns_at)
    started = StrategyDiscussionInput(context=context, concerns_at=concerns_at, reason=StrategyReason.NEW_INFORMATION)
    await start_process(client, settings, "StrategyDiscussion", started, workflow_id, Process.STRATEGY_DISCUSSION)
    return _started(workflow_id, None, context, "strategy_discussion", concerns_at)


def _started(
    workflow_id: str, contact_id: str | None, context: ProcessContext, rule_id: str, trigger_at: datetime
) -> dict[str, Any]:
    return {
        "workflow_id": workflow_id,
        "contact_id": contact_id,
        "case_reference": context.case_reference,
        "deadline": first_deadline(context, rule_id, trigger_at),
    }
