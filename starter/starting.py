"""What every `start` command shares: reading a moment, finding the open case, starting a process.

A process is started with the typed search attributes a work list filters on (statutory-rules.md §1: a
manager sees each team's work), under an id that keeps one case from running the same process twice,
and its first deadline is printed as the process itself computes it: the same rules, profile and
calendar (England and Wales, with the announced closed days).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import WorkflowAlreadyStartedError

from safeguarding import search_attributes as sa
from safeguarding.bank_holidays import FIRST_YEAR
from safeguarding.calendar_source import current_calendar
from safeguarding.codes import Process
from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.deadlines import compute_due
from safeguarding.models import ProcessContext
from safeguarding.procedure_profile import ProcedureProfile, load_profile
from safeguarding.store.cases import get_case_by_reference
from safeguarding.temporal import connect
from safeguarding.working_days import local_date
from starter.exits import Refused

MOMENT_HELP = "an ISO date and time with its offset, e.g. 2026-11-24T10:15:00+00:00 (or ...Z); not in the future"


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


async def open_case(reference: str) -> tuple[Settings, Client, ProcessContext]:
    """Return the settings, a Temporal client and the context of a process on the open case `reference`."""
    settings = Settings()
    profile = load_profile(settings.profile_path)
    client = await connect(settings)
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            context = await case_context(await open_case_row(reference, session=session), profile, session=session)
    finally:
        await engine.dispose()
    return settings, client, context


async def open_case_row(reference: str, *, session: AsyncSession) -> RowMapping:
    """Return the open case `reference`; refuse an unknown or closed one."""
    case = await get_case_by_reference(reference, session=session)
    if case is None:
        raise Refused(f"no case with reference {reference!r}")
    if case["closed_at"] is not None:
        raise Refused(f"case {reference} is closed")
    return case


async def case_context(case: RowMapping, profile: ProcedureProfile, *, session: AsyncSession) -> ProcessContext:
    """Return the context of a process of `case`: the profile and today's calendar, announced days included."""
    calendar = await current_calendar(today=local_date(datetime.now(UTC)), profile=profile, session=session)
    return ProcessContext(
        case_id=case["id"],
        case_reference=case["reference"],
        team_id=case["team_id"],
        profile=profile,
        calendar=calendar,
    )


class ProcessInput(Protocol):
    """What every process starts with: the context of the case it runs on."""

    @property
    def context(self) -> ProcessContext:
        """The case, team, profile and calendar the process runs under."""
        ...


async def start_process(
    client: Client, settings: Settings, workflow: str, arg: ProcessInput, workflow_id: str, process: Process
) -> None:
    """Start the process with the typed search attributes a work list filters on, before its first task runs.

    A process already running under `workflow_id` is refused: the id is what keeps one case from
    running the same process twice.
    """
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


def first_deadline(
    context: ProcessContext, rule_id: str, trigger_at: datetime, trigger_label: str | None = None
) -> dict[str, Any]:
    """Return the deadline `rule_id` sets from `trigger_at`, as the process itself computes and shows it."""
    due = compute_due(context.profile, rule_id, trigger_at, context.calendar, trigger_label=trigger_label)
    return {
        "rule_id": due.rule_id,
        "title": due.title,
        "due_date": due.due_date,
        "due_at": due.due_at,
        "passes_at": due.passes_at,
        "basis": due.basis,
        "citation": due.citation,
    }
