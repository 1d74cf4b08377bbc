"""`python -m starter start front-door|assessment|strategy-discussion ...`: start a process.

`start front-door` records the contact in the case store and starts the front door (statutory-rules.md
§2) as `front-door-<contact id>`, so several contacts on one case each run their own clock. `start
assessment` starts a child and family assessment directly from a referral (§3) as `assessment-<case
ref>`, the id the front door hands off to, so one case never runs two. Both print the workflow id and the
first deadline with its basis, computed by the same rules, profile and calendar the workflow uses.
A refused start writes nothing.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import WorkflowAlreadyStartedError

from safeguarding import search_attributes as sa
from safeguarding.bank_holidays import FIRST_YEAR, england_and_wales_calendar
from safeguarding.codes import Process, StrategyReason
from safeguarding.commands.assessment import AssessmentInput
from safeguarding.commands.front_door import FrontDoorInput
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput, strategy_discussion_id
from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.deadlines import compute_due
from safeguarding.models import ProcessContext
from safeguarding.procedure_profile import ProcedureProfile, load_profile
from safeguarding.store.cases import get_case_by_reference
from safeguarding.store.contacts import delete_contact, insert_contact
from safeguarding.temporal import connect
from safeguarding.working_days import local_date
from starter.exits import Refused, finish

MOMENT_HELP = "an ISO date and time with its offset, e.g. 2026-11-24T10:15:00+00:00 (or ...Z); not in the future"


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
            context = _context(await _case(args.case, session=session), profile)
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
        workflow_id = f"front-door-{contact_id}"
        try:
            started = FrontDoorInput(context=context, contact_id=contact_id, received_at=received_at)
            await _start(client, settings, "FrontDoor", started, workflow_id, Process.FRONT_DOOR)
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
    settings, client, context = await _open_case(args.case)
    workflow_id = f"assessment-{context.case_reference}"
    started = AssessmentInput(context=context, referral_at=referral_at)
    await _start(client, settings, "Assessment", started, workflow_id, Process.ASSESSMENT)
    return _started(workflow_id, None, context, "assessment", referral_at)


async def start_strategy_discussion(args: argparse.Namespace) -> dict[str, Any]:
    """Start a strategy discussion about an open case on new information (statutory-rules.md §4)."""
    concerns_at = parse_moment("--concerns-at", args.concerns_at)
    settings, client, context = await _open_case(args.case)
    workflow_id = strategy_discussion_id(context.case_reference, concerns_at)
    started = StrategyDiscussionInput(context=context, concerns_at=concerns_at, reason=StrategyReason.NEW_INFORMATION)
    await _start(client, settings, "StrategyDiscussion", started, workflow_id, Process.STRATEGY_DISCUSSION)
    return _started(workflow_id, None, context, "strategy_discussion", concerns_at)


async def _open_case(reference: str) -> tuple[Settings, Client, ProcessContext]:
    """Return the settings, a Temporal client and the context of a process on the open case `reference`."""
    settings = Settings()
    profile = load_profile(settings.profile_path)
    client = await connect(settings)
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            context = _context(await _case(reference, session=session), profile)
    finally:
        await engine.dispose()
    return settings, client, context


def parse_moment(option: str, text: str) -> datetime:
    """Return the moment `text` names; refuse one without a time zone, in the future, or before the calendar.

    A moment without an offset is ambiguous around the clock changes and across machines, so it is
    refused rather than guessed.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Refused(f"{option} {text!r} is not an ISO date and time (e.g. 2026-11-24T10:15:00+00:00)") from None
    if moment.tzinfo is None:
        raise Refused(f"{option} {text!r} has no time zone: add its offset, e.g. {text}+00:00 or {text}Z")
    if moment > datetime.now(UTC):
        raise Refused(f"{option} {moment.isoformat()} is in the future")
    if local_date(moment).year < FIRST_YEAR:
        raise Refused(f"{option} {text!r} is before {FIRST_YEAR}, where the bank-holiday calendar starts")
    return moment


async def _case(reference: str, *, session: AsyncSession) -> RowMapping:
    case = await get_case_by_reference(reference, session=session)
    if case is None:
        raise Refused(f"no case with reference {reference!r}")
    if case["closed_at"] is not None:
        raise Refused(f"case {reference} is closed")
    return case


def _context(case: RowMapping, profile: ProcedureProfile) -> ProcessContext:
    """Return the context of a process of `case`: the profile and today's calendar of England and Wales."""
    calendar = england_and_wales_calendar(today=local_date(datetime.now(UTC)), local_closures=profile.local_closures)
    return ProcessContext(
        case_id=case["id"],
        case_reference=case["reference"],
        team_id=case["team_id"],
        profile=profile,
        calendar=calendar,
    )


async def _start(
    client: Client,
    settings: Settings,
    workflow: str,
    arg: FrontDoorInput | AssessmentInput | StrategyDiscussionInput,
    workflow_id: str,
    process: Process,
) -> None:
    """Start the process with the typed search attributes a work list filters on, before its first task runs."""
    context = arg.context
    try:
        await client.start_workflow(
            workflow,
            arg,
            id=workflow_id,
            task_queue=settings.task_queue,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.CASE_PROCESS, str(process)),
                    SearchAttributePair(sa.CASE_TEAM, context.team_id),
                    SearchAttributePair(sa.CASE_REFERENCE, context.case_reference),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        raise Refused(f"{workflow_id} is already running") from None


def _started(
    workflow_id: str, contact_id: str | None, context: ProcessContext, rule_id: str, trigger_at: datetime
) -> dict[str, Any]:
    due = compute_due(context.profile, rule_id, trigger_at, context.calendar)
    return {
        "workflow_id": workflow_id,
        "contact_id": contact_id,
        "case_reference": context.case_reference,
        "deadline": {
            "rule_id": due.rule_id,
            "title": due.title,
            "due_date": due.due_date,
            "due_at": due.due_at,
            "passes_at": due.passes_at,
            "basis": due.basis,
            "citation": due.citation,
        },
    }
