"""Human tasks: the decisions processes are waiting for, as a team's work tray shows them.

A task carries the due date of the deadline it serves (the process sets it from that deadline), not the
deadline's key; the tray finds that deadline as the task's process's deadline falling due on the same day,
one still running first. Whether a task is overdue is decided here, once, in SQL, so that the tray's
filter, its counts and each item's colour can never disagree: its deadline is missed, or still running
and passed; a task whose due date matches no deadline is overdue from the end of that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, RowMapping, Select, and_, any_, case, false, func, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import DeadlineState, TaskState
from safeguarding.schema import cases, deadlines, human_tasks, process_records

RUNNING = (DeadlineState.PENDING, DeadlineState.EXTENDED, DeadlineState.MISSED)
"""Deadlines still to be met: a missed one stays to be met (late)."""


@dataclass(frozen=True)
class TeamTasks:
    """A team's open tasks, whoever they are assigned to."""

    team_id: str


@dataclass(frozen=True)
class EveryTeamsTasks:
    """Every team's open tasks: the authority's whole workload."""


@dataclass(frozen=True)
class PractitionerTasks:
    """A practitioner's open tasks: those assigned to them, and the unassigned ones their role may take.

    `team_id` limits the unassigned ones to that team's; None takes them from every team (a role whose
    work spans teams).
    """

    practitioner_id: str
    role: str
    team_id: str | None


@dataclass(frozen=True)
class TaskFilter:
    """Which of the scope's open tasks: by process, stage, due date (both days included) and overdue or not."""

    process: str | None = None
    stage: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool | None = None


@dataclass(frozen=True)
class TrayPosition:
    """Where a page ended: the last task's due date (None: undated) and id, in the tray's order."""

    due_date: date | None
    task_id: int


async def list_open_tasks_for_team(team_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the team's open tasks, soonest due first; tasks without a due date come last."""
    query = (
        select(human_tasks)
        .where(human_tasks.c.team_id == team_id, human_tasks.c.state == TaskState.OPEN)
        .order_by(human_tasks.c.due_date.asc().nulls_last(), human_tasks.c.opened_at, human_tasks.c.id)
    )
    return (await session.execute(query)).mappings().all()


async def list_tray_tasks(
    scope: TeamTasks | PractitionerTasks,
    filters: TaskFilter,
    *,
    now: datetime,
    today: date,
    after: TrayPosition | None,
    limit: int,
    session: AsyncSession,
) -> Sequence[RowMapping]:
    """Return up to `limit` open tasks after `after`, soonest due first (undated last, then by id).

    Each row holds the task, its process and stage, its case's reference, its deadline (`deadline_*`,
    None when no deadline of its process falls due on its due date) and `overdue`.
    """
    query, overdue = _tray(scope, now=now, today=today)
    task = human_tasks.c
    conditions: list[ColumnElement[bool]] = []
    if filters.process is not None:
        conditions.append(process_records.c.process == filters.process)
    if filters.stage is not None:
        conditions.append(process_records.c.stage == filters.stage)
    if filters.due_from is not None:
        conditions.append(task.due_date >= filters.due_from)
    if filters.due_to is not None:
        conditions.append(task.due_date <= filters.due_to)
    if filters.overdue is not None:
        conditions.append(overdue if filters.overdue else ~overdue)
    if after is not None:
        conditions.append(_after(after))
    query = (
        query.add_columns(overdue.label("overdue"))
        .where(*conditions)
        .order_by(task.due_date.asc().nulls_last(), task.id)
        .limit(limit)
    )
    return (await session.execute(query)).mappings().all()


async def count_tray_tasks(
    scope: TeamTasks | PractitionerTasks, *, now: datetime, today: date, week_ends: date, session: AsyncSession
) -> RowMapping:
    """Return how many of the scope's open tasks are overdue, due today, due by `week_ends`, and open at all.

    A task due today or this week that is overdue already (an hours clock passed this morning) counts as
    overdue only.
    """
    query, overdue = _tray(scope, now=now, today=today)
    counts = query.with_only_columns(*_counts(overdue, today, week_ends))
    return (await session.execute(counts)).mappings().one()


async def count_tasks_by_worker(
    scope: TeamTasks | EveryTeamsTasks, *, now: datetime, today: date, week_ends: date, session: AsyncSession
) -> Sequence[RowMapping]:
    """Return, for each team and assignee (None: unassigned) with open tasks, the counts `count_tray_tasks` gives.

    Counted with the same `overdue` test as the tray, so a manager's workload and each worker's tray agree.
    """
    query, overdue = _tray(scope, now=now, today=today)
    task = human_tasks.c
    counts = (
        query.with_only_columns(task.team_id, task.assignee_id, *_counts(overdue, today, week_ends))
        .group_by(task.team_id, task.assignee_id)
        .order_by(task.team_id, task.assignee_id.asc().nulls_last())
    )
    return (await session.execute(counts)).mappings().all()


def _counts(overdue: ColumnElement[bool], today: date, week_ends: date) -> list[ColumnElement[int]]:
    """Return the tray's counts: overdue, due today, due by `week_ends` (each not overdue), and open at all."""
    due = human_tasks.c.due_date
    return [
        func.count().filter(overdue).label("overdue"),
        func.count().filter(~overdue, due == today).label("due_today"),
        func.count().filter(~overdue, due >= today, due <= week_ends).label("due_this_week"),
        func.count().label("open"),
    ]


def _tray(
    scope: TeamTasks | EveryTeamsTasks | PractitionerTasks, *, now: datetime, today: date
) -> tuple[Select, ColumnElement[bool]]:
    """Return the scope's open tasks joined to process, case and deadline, and the task's `overdue` test."""
    task = human_tasks.c
    running = deadlines.c.state.in_([str(state) for state in RUNNING])
    deadline = (
        select(
            deadlines.c.deadline_key,
            deadlines.c.rule_id,
            deadlines.c.title,
            deadlines.c.basis,
            deadlines.c.citation,
            deadlines.c.state,
            deadlines.c.due_at,
            deadlines.c.passes_at,
        )
        .where(deadlines.c.workflow_id == task.workflow_id, deadlines.c.due_date == task.due_date)
        .order_by(running.desc(), deadlines.c.passes_at, deadlines.c.deadline_key)
        .limit(1)
        .lateral("deadline")
    )
    d = deadline.c
    overdue = func.coalesce(
        case(
            (
                d.deadline_key.is_not(None),
                (d.state == DeadlineState.MISSED)
                | (d.state.in_([DeadlineState.PENDING, DeadlineState.EXTENDED]) & (d.passes_at <= now)),
            ),
            else_=task.due_date < today,
        ),
        false(),
    )
    query = (
        select(
            task.id,
            task.workflow_id,
            task.task_key,
            task.decision,
            task.title,
            task.allowed_roles,
            task.assignee_id,
            task.due_date,
            task.team_id,
            task.case_id,
            task.opened_at,
            process_records.c.process,
            process_records.c.stage,
            cases.c.reference.label("case_reference"),
            *(column.label(f"deadline_{column.name}") for column in d),
        )
        .join(process_records, process_records.c.workflow_id == task.workflow_id)
        .join(cases, cases.c.id == task.case_id)
        .outerjoin(deadline, true())
        .where(task.state == TaskState.OPEN, _in_scope(scope))
    )
    return query, overdue


def _in_scope(scope: TeamTasks | EveryTeamsTasks | PractitionerTasks) -> ColumnElement[bool]:
    task = human_tasks.c
    if isinstance(scope, EveryTeamsTasks):
        return true()
    if isinstance(scope, TeamTasks):
        return task.team_id == scope.team_id
    takes = and_(task.assignee_id.is_(None), literal(scope.role) == any_(task.allowed_roles))
    if scope.team_id is not None:
        takes = and_(takes, task.team_id == scope.team_id)
    return or_(task.assignee_id == scope.practitioner_id, takes)


def _after(position: TrayPosition) -> ColumnElement[bool]:
    """Return the rows after `position` in the order due date (undated last), then id."""
    task = human_tasks.c
    if position.due_date is None:
        return and_(task.due_date.is_(None), task.id > position.task_id)
    return or_(
        task.due_date > position.due_date,
        and_(task.due_date == position.due_date, task.id > position.task_id),
        task.due_date.is_(None),
    )
