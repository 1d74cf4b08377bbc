"""What starting any process shares: who may start it, the moment it starts from, the open case, the start itself.

A process is started with the typed search attributes a work list filters on (statutory-rules.md §1: a
manager sees each team's work), under an id that keeps one case from running the same process twice, and
its first deadline is returned as the process itself computes it: the same rules, profile and calendar
(England and Wales, with the announced closed days).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict
from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import WorkflowAlreadyStartedError

from safeguarding import search_attributes as sa
from safeguarding.bank_holidays import FIRST_YEAR
from safeguarding.calendar_source import current_calendar
from safeguarding.codes import Process, Role
from safeguarding.deadlines import RuleNotSet, compute_due
from safeguarding.models import ProcessContext
from safeguarding.service.access import Principal, refuse, require_team
from safeguarding.service.errors import Conflict, Invalid, NotFound
from safeguarding.service.root import Services
from safeguarding.service.temporal_outages import outage_as_unavailable
from safeguarding.store.cases import get_case_by_reference
from safeguarding.working_days import local_date


class FirstDeadline(BaseModel):
    """The deadline a process sets when it starts, with its basis and citation, as its `status` will show it."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    title: str
    due_date: date
    due_at: datetime | None
    passes_at: datetime
    basis: str
    citation: str


class ProcessStarted(BaseModel):
    """A process started: its workflow id, the case it runs on, and its first deadline (None when none runs yet)."""

    model_config = ConfigDict(frozen=True)

    workflow_id: str
    case_reference: str
    deadline: FirstDeadline | None


class ProcessInput(Protocol):
    """What every process starts with: the context of the case it runs on."""

    @property
    def context(self) -> ProcessContext:
        """The case, team, profile and calendar the process runs under."""
        ...


def require_starter(principal: Principal, action: str, roles: tuple[Role, ...], done: str) -> None:
    """Refuse a principal whose role does not start this process: "... a notification is taken by a lado or ..."."""
    if principal.role not in roles:
        whose = " or ".join(roles)
        raise refuse(principal, action, f"{principal.practitioner_id} is a {principal.role}: {done} by a {whose}")


async def check_moment(services: Services, field: str, moment: datetime) -> None:
    """Refuse a moment in the future, or one before the bank-holiday calendar starts (no deadline counts there).

    The present is the services' clock: the wall clock, or the demo's simulated one.
    """
    if moment > await services.now():
        raise Invalid(f"{field} {moment.isoformat()} is in the future", field=field)
    if local_date(moment).year < FIRST_YEAR:
        raise Invalid(
            f"{field} {moment.isoformat()} is before {FIRST_YEAR}, where the bank-holiday calendar starts", field=field
        )


async def open_case(reference: str, *, session: AsyncSession) -> RowMapping:
    """Return the open case `reference`; refuse an unknown or closed one."""
    case = await get_case_by_reference(reference, session=session)
    if case is None:
        raise NotFound(f"no case with reference {reference!r}")
    if case["closed_at"] is not None:
        raise Conflict(f"case {reference} is closed")
    return case


async def open_team_case(principal: Principal, action: str, reference: str, *, session: AsyncSession) -> RowMapping:
    """Return the open case `reference`, refusing a team-bound principal of another team."""
    case = await open_case(reference, session=session)
    require_team(principal, action, case["team_id"], target=reference)
    return case


async def case_context(services: Services, case: RowMapping, *, session: AsyncSession) -> ProcessContext:
    """Return the context of a process of `case`: the profile and today's calendar, announced days included."""
    today = local_date(await services.now())
    calendar = await current_calendar(today=today, profile=services.profile, session=session)
    return ProcessContext(
        case_id=case["id"],
        case_reference=case["reference"],
        team_id=case["team_id"],
        profile=services.profile,
        calendar=calendar,
    )


async def start_process(
    services: Services, workflow: str, arg: ProcessInput, workflow_id: str, process: Process
) -> None:
    """Start the process with the typed search attributes a work list filters on, before its first task runs.

    A process already running under `workflow_id` is refused: the id is what keeps one case from
    running the same process twice.
    """
    context = arg.context
    client = await services.temporal()
    try:
        with outage_as_unavailable(f"starting {workflow_id}"):
            await client.start_workflow(
                workflow,
                arg,
                id=workflow_id,
                task_queue=services.task_queue,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(sa.CASE_PROCESS, str(process)),
                        SearchAttributePair(sa.CASE_TEAM, context.team_id),
                        SearchAttributePair(sa.CASE_REFERENCE, context.case_reference),
                    ]
                ),
            )
    except WorkflowAlreadyStartedError:
        raise Conflict(f"{workflow_id} is already running") from None


def first_deadline(
    context: ProcessContext, rule_id: str, trigger_at: datetime, trigger_label: str | None = None
) -> FirstDeadline:
    """Return the deadline `rule_id` sets from `trigger_at`, as the process itself computes and shows it.

    Asked before the process starts: a local rule the profile sets no value for refuses the start, so
    nothing runs on a clock nobody has set.
    """
    try:
        due = compute_due(context.profile, rule_id, trigger_at, context.calendar, trigger_label=trigger_label)
    except RuleNotSet as exc:
        raise Conflict(str(exc)) from None
    return FirstDeadline(
        rule_id=due.rule_id,
        title=due.title,
        due_date=due.due_date,
        due_at=due.due_at,
        passes_at=due.passes_at,
        basis=due.basis,
        citation=due.citation,
    )
