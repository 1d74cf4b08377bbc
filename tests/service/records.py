"""Processes written to the case store as a workflow writes them (`store.processes.apply_snapshot`).

Tests build the tasks, deadlines and chronology they need by hand, with the dates a test wants, and write
them through the same function the `record_process` activity uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import DeadlineState, Process, Role
from safeguarding.models import ChronologyEntry, DeadlineView, ProcessSnapshot, TaskView
from safeguarding.store.processes import apply_snapshot
from safeguarding.working_days import describe_day, end_of_day

STARTED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def deadline(
    key: str,
    due: date,
    *,
    state: DeadlineState = DeadlineState.PENDING,
    passes_at: datetime | None = None,
    due_at: datetime | None = None,
    rule_id: str = "assessment",
) -> DeadlineView:
    """Return a deadline falling due on `due` (passing at the end of that day unless `passes_at` says)."""
    return DeadlineView(
        key=key,
        rule_id=rule_id,
        title=f"Deadline {key}",
        due_date=due,
        due_at=due_at,
        passes_at=passes_at or end_of_day(due),
        basis=f"counted for {key}: due {describe_day(due)}",
        citation="statutory-rules.md §3",
        state=state,
    )


def task(
    key: str, due: date | None = None, *, roles: Sequence[Role] = (Role.TEAM_MANAGER,), assignee: str | None = None
) -> TaskView:
    """Return an open task awaiting decision `key`."""
    return TaskView(
        key=key, decision=key, title=f"Decide {key}", allowed_roles=tuple(roles), assignee_id=assignee, due_date=due
    )


async def record(
    db: async_sessionmaker[AsyncSession],
    *,
    workflow_id: str,
    case_id: str,
    team_id: str,
    process: Process = Process.ASSESSMENT,
    stage: str = "in_progress",
    tasks: Sequence[TaskView] = (),
    deadlines: Sequence[DeadlineView] = (),
    chronology: Sequence[ChronologyEntry] = (),
    responsible_id: str | None = None,
    closed_at: datetime | None = None,
) -> None:
    """Write the process's record, open tasks, deadlines and chronology (its open tasks not listed close)."""
    snapshot = ProcessSnapshot(
        workflow_id=workflow_id,
        process=process,
        case_id=case_id,
        team_id=team_id,
        stage=stage,
        profile_ref="example@test",
        started_at=STARTED,
        responsible_id=responsible_id,
        closed_at=closed_at,
        tasks=tuple(tasks),
        deadlines=tuple(deadlines),
        chronology=tuple(chronology),
    )
    async with db.begin() as session:
        await apply_snapshot(snapshot, datetime.now(UTC), session=session)
