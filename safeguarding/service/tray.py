"""The work tray: the open tasks of a practitioner ("mine") or of a team, soonest due first.

Each task shows red, amber or green against its deadline, with the deadline's basis. Red: the deadline
has passed (missed, or still running past the moment it passes). Amber: it falls due within the procedure
profile's `[tray] amber_within_working_days`, counted in working days (statutory-rules.md §1: weekends,
the bank holidays of England and Wales, the profile's local closures and the closures announced since;
today is day 0). Green: later, no due date, or a deadline already met. The windows (overdue, today, this
week, the next N working days) are counted on the same calendar.

"Mine" is every task assigned to the practitioner, and every unassigned task their role may take in
their team; for a role whose work spans teams (the EDT, the chairs, the LADO: `access.SPANS_TEAMS`), in
any team. A team's tray is read by its team manager and by the roles that span teams.

Pages are cut by an opaque cursor, not an offset (see `safeguarding.service.cursors`): tasks open and
close while someone pages through, and a cursor neither skips nor repeats a task that stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping

from safeguarding.calendar_source import current_calendar
from safeguarding.codes import Process, Role
from safeguarding.service.access import READS_TEAM_TRAY, Principal, require_role, require_team
from safeguarding.service.cursors import decode_cursor, encode_cursor
from safeguarding.service.errors import NotFound
from safeguarding.service.ids import checked_id
from safeguarding.service.root import Services
from safeguarding.service.tray_models import (
    DueWindow,
    Rag,
    TaskDeadline,
    TrayCounts,
    TrayItem,
    TrayPage,
    TrayQuery,
)
from safeguarding.store.tasks import (
    RUNNING,
    PractitionerTasks,
    TaskFilter,
    TeamTasks,
    TrayPosition,
    count_tray_tasks,
    list_tray_tasks,
)
from safeguarding.store.teams import get_team
from safeguarding.working_days import WorkingCalendar, add_working_days, local_date

CURSOR_KIND = "tray"


async def list_my_tasks(
    services: Services, principal: Principal, query: TrayQuery | None = None, *, now: datetime | None = None
) -> TrayPage:
    """Return a page of the principal's own tray: their tasks and the unassigned ones their role may take."""
    return await _page(services, _mine(principal), query or TrayQuery(), now or await services.now())


async def list_team_tasks(
    services: Services,
    principal: Principal,
    team_id: str,
    query: TrayQuery | None = None,
    *,
    now: datetime | None = None,
) -> TrayPage:
    """Return a page of a team's tray; for its team manager and the roles that span teams."""
    await _check_team_reader(services, principal, team_id)
    return await _page(services, TeamTasks(team_id), query or TrayQuery(), now or await services.now())


async def count_my_tasks(services: Services, principal: Principal, *, now: datetime | None = None) -> TrayCounts:
    """Return how many of the principal's tasks are overdue, due today and due this week."""
    return await _counts(services, _mine(principal), now or await services.now())


async def count_team_tasks(
    services: Services, principal: Principal, team_id: str, *, now: datetime | None = None
) -> TrayCounts:
    """Return how many of a team's tasks are overdue, due today and due this week."""
    await _check_team_reader(services, principal, team_id)
    return await _counts(services, TeamTasks(team_id), now or await services.now())


def rag_of(*, overdue: bool, running: bool, due_date: date | None, amber_until: date) -> Rag:
    """Return a task's colour: red when overdue; amber when its running deadline is due by `amber_until`."""
    if overdue:
        return Rag.RED
    if running and due_date is not None and due_date <= amber_until:
        return Rag.AMBER
    return Rag.GREEN


def amber_until(today: date, working_days: int, calendar: WorkingCalendar) -> date:
    """Return the last due date shown amber: the N-th working day after today (today itself when N is 0)."""
    return add_working_days(today, working_days, calendar) if working_days else today


def _mine(principal: Principal) -> PractitionerTasks:
    return PractitionerTasks(
        practitioner_id=principal.practitioner_id,
        role=str(principal.role),
        team_id=None if principal.spans_teams() else principal.team_id,
    )


async def _check_team_reader(services: Services, principal: Principal, team_id: str) -> None:
    checked_id(team_id, "team_id")
    require_role(principal, "read_team_tray", READS_TEAM_TRAY, target=team_id)
    require_team(principal, "read_team_tray", team_id, target=team_id)
    async with services.sessions() as session:
        if await get_team(team_id, session=session) is None:
            raise NotFound(f"no team {team_id!r}")


async def _page(services: Services, scope: TeamTasks | PractitionerTasks, query: TrayQuery, now: datetime) -> TrayPage:
    after = decode_cursor(CURSOR_KIND, query.cursor, _position) if query.cursor else None
    today = local_date(now)
    threshold = services.profile.tray.amber_within_working_days
    async with services.sessions() as session:
        calendar = await current_calendar(today=today, profile=services.profile, session=session)
        rows = await list_tray_tasks(
            scope,
            _filter(query, today, calendar),
            now=now,
            today=today,
            after=after,
            limit=query.limit + 1,  # one more than asked: whether there is a next page
            session=session,
        )
    shown = rows[: query.limit]
    last = shown[-1] if shown else None
    amber = amber_until(today, threshold, calendar)
    return TrayPage(
        items=[_item(row, amber) for row in shown],
        next_cursor=_cursor(last) if last is not None and len(rows) > query.limit else None,
        as_at=now,
        amber_within_working_days=threshold,
        calendar_version=calendar.version,
    )


async def _counts(services: Services, scope: TeamTasks | PractitionerTasks, now: datetime) -> TrayCounts:
    today = local_date(now)
    week_ends = end_of_week(today)
    async with services.sessions() as session:
        counts = await count_tray_tasks(scope, now=now, today=today, week_ends=week_ends, session=session)
    return TrayCounts(**counts, as_at=now, week_ends=week_ends)


def _filter(query: TrayQuery, today: date, calendar: WorkingCalendar) -> TaskFilter:
    """Return the store's filter for the query's window or dates, counted from `today`."""
    process = str(query.process) if query.process is not None else None
    if query.window is None:
        return TaskFilter(process=process, stage=query.stage, due_from=query.due_from, due_to=query.due_to)
    if query.window is DueWindow.OVERDUE:
        return TaskFilter(process=process, stage=query.stage, overdue=True)
    if query.window is DueWindow.TODAY:
        last = today
    elif query.window is DueWindow.THIS_WEEK:
        last = end_of_week(today)
    else:
        assert query.working_days is not None  # the query's validator pairs them
        last = add_working_days(today, query.working_days, calendar)
    return TaskFilter(process=process, stage=query.stage, due_from=today, due_to=last, overdue=False)


def _item(row: RowMapping, amber: date) -> TrayItem:
    deadline = None
    if row["deadline_deadline_key"] is not None:
        deadline = TaskDeadline(
            key=row["deadline_deadline_key"],
            **{field: row[f"deadline_{field}"] for field in TaskDeadline.model_fields if field != "key"},
        )
    running = deadline is None or deadline.state in RUNNING
    return TrayItem(
        task_id=row["id"],
        task_key=row["task_key"],
        decision=row["decision"],
        title=row["title"],
        process=Process(row["process"]),
        stage=row["stage"],
        workflow_id=row["workflow_id"],
        case_id=row["case_id"],
        case_reference=row["case_reference"],
        team_id=row["team_id"],
        assignee_id=row["assignee_id"],
        allowed_roles=[Role(role) for role in row["allowed_roles"]],
        opened_at=row["opened_at"],
        due_date=row["due_date"],
        rag=rag_of(overdue=row["overdue"], running=running, due_date=row["due_date"], amber_until=amber),
        deadline=deadline,
    )


def _cursor(row: RowMapping) -> str:
    due: date | None = row["due_date"]
    return encode_cursor(CURSOR_KIND, due.isoformat() if due else None, row["id"])


def _position(key: Sequence[Any]) -> TrayPosition:
    due, task_id = key
    if not isinstance(task_id, int) or isinstance(task_id, bool):
        raise TypeError("a task id is a number")
    return TrayPosition(due_date=date.fromisoformat(due) if due is not None else None, task_id=task_id)


def end_of_week(today: date) -> date:
    """Return the Sunday that ends `today`'s week: the last day counted as due this week."""
    return today + timedelta(days=6 - today.weekday())
