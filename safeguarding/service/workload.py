"""The managers' workload: each team's and each worker's open tasks, overdue and due this week (statutory-rules.md §1).

A manager sees each team's work: the team manager their own team's, the service manager (the head of
service) every team's or one team's (`access.READS_WORKLOAD`); anyone else is refused, and the refusal
logged. The counts are the work tray's own (`store.tasks`), judged at the same moment on the same test of
overdue, so a worker's line here and that worker's tray agree. A worker is a practitioner a task is assigned
to; tasks that wait for anyone in a role are counted as unassigned. Ids, practitioners' names and counts
only: no child is named.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from safeguarding.service.access import READS_WORKLOAD, TEAM_BOUND, Principal, require_role, require_team
from safeguarding.service.errors import NotFound
from safeguarding.service.ids import checked_id
from safeguarding.service.root import Services
from safeguarding.service.tray import end_of_week
from safeguarding.store.practitioners import list_practitioners
from safeguarding.store.tasks import EveryTeamsTasks, TeamTasks, count_tasks_by_worker
from safeguarding.store.teams import list_teams
from safeguarding.working_days import local_date


class WorkCounts(BaseModel):
    """How many open tasks are overdue, due today and due this week (today included; overdue ones apart)."""

    overdue: int = 0
    due_today: int = 0
    due_this_week: int = 0
    open: int = 0


class TeamWork(WorkCounts):
    """One team's open tasks."""

    team_id: str
    team_name: str


class WorkerWork(WorkCounts):
    """One worker's open tasks in one team; `practitioner_id` None: the team's unassigned tasks."""

    team_id: str
    practitioner_id: str | None
    name: str | None = Field(description="The practitioner's name; None for the unassigned tasks.")


class TeamChoice(BaseModel):
    """A team the reader may choose to see."""

    team_id: str
    team_name: str


class Workload(BaseModel):
    """The open tasks of one team, or of every team, by team and by worker."""

    team_id: str | None = Field(description="The team shown; None for every team.")
    as_at: datetime = Field(description="The moment overdue and the week were judged at.")
    week_ends: date = Field(description="The Sunday `due_this_week` runs to.")
    teams: list[TeamWork] = Field(description="Each team with open tasks (the chosen team always), by name.")
    workers: list[WorkerWork] = Field(description="By team, then the workers' names; unassigned last in a team.")
    choices: list[TeamChoice] = Field(description="The teams this reader may choose from.")


async def read_workload(
    services: Services, principal: Principal, *, team_id: str | None = None, now: datetime | None = None
) -> Workload:
    """Return the open tasks of `team_id` (a team manager's own when they name none; every team's for None).

    A team manager naming another team is refused; a team that does not exist is not found.
    """
    if team_id is not None:
        checked_id(team_id, "team_id")
    require_role(principal, "read_workload", READS_WORKLOAD, target=team_id)
    if principal.role in TEAM_BOUND:
        team_id = team_id or principal.team_id
        require_team(principal, "read_workload", team_id, target=team_id)
    now = now or await services.now()
    today = local_date(now)
    week_ends = end_of_week(today)
    scope = EveryTeamsTasks() if team_id is None else TeamTasks(team_id)
    async with services.sessions() as session:
        team_names = {row["id"]: row["name"] for row in await list_teams(session=session)}
        if team_id is not None and team_id not in team_names:
            raise NotFound(f"no team {team_id!r}")
        rows = await count_tasks_by_worker(scope, now=now, today=today, week_ends=week_ends, session=session)
        names = {
            row["id"]: f"{row['given_name']} {row['family_name']}"
            for row in await list_practitioners(include_inactive=True, session=session)
        }
    workers = [
        WorkerWork(
            **{field: row[field] for field in WorkCounts.model_fields},
            team_id=row["team_id"],
            practitioner_id=row["assignee_id"],
            name=names.get(row["assignee_id"]) if row["assignee_id"] else None,
        )
        for row in rows
    ]
    workers.sort(key=lambda w: (team_names.get(w.team_id, w.team_id), w.practitioner_id is None, w.name or ""))
    shown = {w.team_id for w in workers} | ({team_id} if team_id else set())
    teams = [
        TeamWork(team_id=shown_id, team_name=team_names.get(shown_id, shown_id), **_total(workers, shown_id))
        for shown_id in sorted(shown, key=lambda i: (team_names.get(i, i), i))
    ]
    choices = [
        TeamChoice(team_id=choice, team_name=name)
        for choice, name in sorted(team_names.items(), key=lambda item: (item[1], item[0]))
        if principal.role not in TEAM_BOUND or choice == principal.team_id
    ]
    return Workload(team_id=team_id, as_at=now, week_ends=week_ends, teams=teams, workers=workers, choices=choices)


def _total(workers: list[WorkerWork], team_id: str) -> dict[str, int]:
    """Return the team's counts: the sum of its workers' lines."""
    mine = [w for w in workers if w.team_id == team_id]
    return {field: sum(getattr(w, field) for w in mine) for field in WorkCounts.model_fields}
