"""A busy authority's work trays, written in bulk: thousands of open tasks and their deadlines across teams.

The tray is read from the case store's projection, so its cost grows with the rows it sorts and joins,
not with anything Temporal holds. Each fictional assessment here has a child, a case, a process record,
the deadline of rule `assessment` (statutory-rules.md §3) and its open task, due from a fortnight ago to
six weeks ahead, so a team's first page holds overdue, amber and green work alike. Some tasks are closed
already: the tray must pass over them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import DeadlineState, Process, Role, TaskState
from safeguarding.rules import RULES
from safeguarding.schema import cases, deadlines, human_tasks, people, process_records, teams
from safeguarding.stages import AssessmentStage

TEAMS = 8
PROCESSES_PER_TEAM = 500
CLOSED_EVERY = 5
"""One task in five is done already: closed rows the tray's index and filter must pass over."""
RULE = RULES["assessment"]


async def write_trays(sessions: async_sessionmaker[AsyncSession], team_id: str, *, today: date) -> None:
    """Write the trays of `team_id` and of `TEAMS - 1` more teams."""
    team_ids = [team_id] + [f"bench-tray-team-{index}" for index in range(1, TEAMS)]
    rows: dict[str, list[dict[str, Any]]] = {"people": [], "cases": [], "processes": [], "tasks": [], "deadlines": []}
    for team in team_ids:
        for index in range(PROCESSES_PER_TEAM):
            _add_assessment(rows, team, index, today)
    async with sessions.begin() as session:
        await session.execute(insert(teams), [{"id": team, "name": "Bench team"} for team in team_ids[1:]])
        await session.execute(insert(people), rows["people"])
        await session.execute(insert(cases), rows["cases"])
        await session.execute(insert(process_records), rows["processes"])
        await session.execute(insert(deadlines), rows["deadlines"])
        await session.execute(insert(human_tasks), rows["tasks"])


def _add_assessment(rows: dict[str, list[dict[str, Any]]], team: str, index: int, today: date) -> None:
    key = f"{team}-{index}"
    case_id, child_id, workflow_id = f"bench-case-{key}", f"bench-child-{key}", f"assessment-bench-{key}"
    opened = datetime.combine(today - timedelta(days=30), time(9), tzinfo=UTC)
    due = today + timedelta(days=index % 56 - 14)
    passes = datetime.combine(due + timedelta(days=1), time(0), tzinfo=UTC)
    rows["people"].append(
        {"id": child_id, "given_name": "Child", "family_name": "Fictional", "date_of_birth": date(2016, 4, 1)}
    )
    rows["cases"].append(
        {"id": case_id, "reference": f"BENCH-{key}", "child_id": child_id, "team_id": team, "opened_at": opened}
    )
    rows["processes"].append(
        {
            "workflow_id": workflow_id,
            "case_id": case_id,
            "process": Process.ASSESSMENT,
            "stage": AssessmentStage.IN_PROGRESS,
            "team_id": team,
            "profile_ref": "bench",
            "started_at": opened,
        }
    )
    rows["deadlines"].append(
        {
            "workflow_id": workflow_id,
            "deadline_key": RULE.id,
            "case_id": case_id,
            "team_id": team,
            "rule_id": RULE.id,
            "title": RULE.title,
            "due_date": due,
            "passes_at": passes,
            "basis": "45 working days from the referral",
            "citation": RULE.citation,
            "state": DeadlineState.MISSED if passes <= datetime.now(UTC) else DeadlineState.PENDING,
        }
    )
    rows["tasks"].append(
        {
            "workflow_id": workflow_id,
            "task_key": "submit_assessment",
            "case_id": case_id,
            "team_id": team,
            "decision": "submit_assessment",
            "title": "Submit the assessment",
            "allowed_roles": [Role.SOCIAL_WORKER],
            "due_date": due,
            "state": TaskState.DONE if index % CLOSED_EVERY == 0 else TaskState.OPEN,
            "opened_at": opened,
        }
    )
