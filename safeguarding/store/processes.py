"""Write a process's snapshot to the case store: its record, open tasks, deadlines, decisions, chronology.

Every row has a natural key, (workflow_id, <key>), so applying the same snapshot again changes nothing:
upserts only touch a row whose values differ (so `updated_at` moves only on a real change), decisions
and chronology entries are facts written once, and a task that has left the snapshot is closed once.

A snapshot leaves out what has not changed since the process last recorded (`ProcessSnapshot`): tasks
given as None stay as they are, and the deadlines and hand-offs it does not list are not touched. Each
statement is built once, here, and takes its rows as parameters: SQLAlchemy then compiles it once per
worker (an insert of rows given in `values()` is compiled anew on every write, which cost more than the
write itself), and sends each table's rows in one statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Insert, Table, bindparam, case, false, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from safeguarding.codes import TaskState
from safeguarding.models import ProcessSnapshot, TaskView
from safeguarding.schema import chronology, deadlines, decisions, hand_offs, human_tasks, process_records

Stamp = Callable[[ReadOnlyColumnCollection[str, Any]], Mapping[str, Any]]
"""Given the `excluded` (proposed) row, the columns that say when a row was touched and their new values."""


def _upsert(table: Table, columns: Sequence[str], *, key: tuple[str, ...], stamp: Stamp | None = None) -> Insert:
    """Return an insert of `columns` that updates the row with the same `key` where any value differs.

    The stamped columns are set on a real change but never count as one.
    """
    statement = insert(table)
    stamped = dict(stamp(statement.excluded)) if stamp else {}
    compared = [column for column in columns if column not in key and column not in stamped]
    changed: list[ColumnElement[bool]] = [
        table.c[column].is_distinct_from(statement.excluded[column]) for column in compared
    ]
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={**{column: statement.excluded[column] for column in compared}, **stamped},
        where=or_(false(), *changed),
    )


_UPSERT_PROCESS = _upsert(
    process_records,
    (
        "workflow_id",
        "case_id",
        "process",
        "stage",
        "team_id",
        "profile_ref",
        "responsible_id",
        "outcome",
        "started_at",
        "closed_at",
        "updated_at",
    ),
    key=("workflow_id",),
    stamp=lambda excluded: {"updated_at": excluded.updated_at},
)
_UPSERT_TASKS = _upsert(
    human_tasks,
    (
        "workflow_id",
        "task_key",
        "case_id",
        "team_id",
        "decision",
        "title",
        "allowed_roles",
        "assignee_id",
        "due_date",
        "state",
        "opened_at",
        "closed_at",
    ),
    key=("workflow_id", "task_key"),
    # A task that is open keeps its opening time through any change; one that reopens opens now.
    stamp=lambda excluded: {
        "opened_at": case((human_tasks.c.state == TaskState.OPEN, human_tasks.c.opened_at), else_=excluded.opened_at)
    },
)
_CLOSE_TASKS_LEFT = (
    update(human_tasks)
    .where(
        human_tasks.c.workflow_id == bindparam("of_workflow"),
        human_tasks.c.state == TaskState.OPEN,
        human_tasks.c.task_key.not_in(bindparam("open_keys", expanding=True)),
    )
    .values(state=str(TaskState.DONE), closed_at=bindparam("closed_now"))
)
_UPSERT_DEADLINES = _upsert(
    deadlines,
    (
        "workflow_id",
        "deadline_key",
        "case_id",
        "team_id",
        "rule_id",
        "title",
        "due_date",
        "due_at",
        "passes_at",
        "basis",
        "citation",
        "state",
        "met_on",
        "reasons",
        "responsible_id",
        "updated_at",
    ),
    key=("workflow_id", "deadline_key"),
    stamp=lambda excluded: {"updated_at": excluded.updated_at},
)
_UPSERT_HAND_OFFS = _upsert(
    hand_offs,
    ("workflow_id", "to_process", "case_id", "reason", "state", "target_workflow_id"),
    key=("workflow_id", "to_process"),
)
_INSERT_DECISIONS = insert(decisions).on_conflict_do_nothing()
_INSERT_CHRONOLOGY = insert(chronology).on_conflict_do_nothing().returning(chronology.c.id)


async def apply_snapshot(snapshot: ProcessSnapshot, now: datetime, *, session: AsyncSession) -> int:
    """Bring the case store in line with `snapshot`; return how many chronology entries were new.

    `now` stamps `updated_at`, task opening and closing; a retry passes a later `now` and still changes
    nothing, because unchanged rows are not rewritten.
    """
    await session.execute(
        _UPSERT_PROCESS,
        {
            "workflow_id": snapshot.workflow_id,
            "case_id": snapshot.case_id,
            "process": str(snapshot.process),
            "stage": snapshot.stage,
            "team_id": snapshot.team_id,
            "profile_ref": snapshot.profile_ref,
            "responsible_id": snapshot.responsible_id,
            "outcome": snapshot.outcome,
            "started_at": snapshot.started_at,
            "closed_at": snapshot.closed_at,
            "updated_at": now,
        },
    )
    if snapshot.tasks is not None:
        await _apply_tasks(snapshot, snapshot.tasks, now, session=session)
    await _write(
        _UPSERT_DEADLINES,
        _unique(
            (
                {
                    "workflow_id": snapshot.workflow_id,
                    "deadline_key": deadline.key,
                    "case_id": snapshot.case_id,
                    "team_id": snapshot.team_id,
                    "rule_id": deadline.rule_id,
                    "title": deadline.title,
                    "due_date": deadline.due_date,
                    "due_at": deadline.due_at,
                    "passes_at": deadline.passes_at,
                    "basis": deadline.basis,
                    "citation": deadline.citation,
                    "state": str(deadline.state),
                    "met_on": deadline.met_on,
                    "reasons": deadline.reasons,
                    "responsible_id": deadline.responsible_id,
                    "updated_at": now,
                }
                for deadline in snapshot.deadlines
            ),
            key=("workflow_id", "deadline_key"),
        ),
        session=session,
    )
    await _write(
        _INSERT_DECISIONS,
        [
            {
                "workflow_id": snapshot.workflow_id,
                "decision_key": decision.key,
                "case_id": snapshot.case_id,
                "decision": decision.decision,
                "actor_id": decision.actor_id,
                "actor_role": str(decision.actor_role),
                "effective_at": decision.effective_at,
                "recorded_at": decision.recorded_at,
                "outcome": decision.outcome,
                "rationale": decision.rationale,
            }
            for decision in snapshot.decisions
        ],
        session=session,
    )
    written = await _write(
        _INSERT_CHRONOLOGY,
        [
            {
                "workflow_id": snapshot.workflow_id,
                "entry_key": entry.key,
                "case_id": snapshot.case_id,
                "event": entry.event,
                "occurred_at": entry.occurred_at,
                "summary": entry.summary,
                "actor_id": entry.actor_id,
                "recorded_at": now,
            }
            for entry in snapshot.chronology
        ],
        session=session,
    )
    await _write(
        _UPSERT_HAND_OFFS,
        _unique(
            (
                {
                    "workflow_id": snapshot.workflow_id,
                    "to_process": str(hand_off.to_process),
                    "case_id": snapshot.case_id,
                    "reason": hand_off.reason,
                    "state": str(hand_off.state),
                    "target_workflow_id": hand_off.workflow_id,
                }
                for hand_off in snapshot.hand_offs
            ),
            key=("workflow_id", "to_process"),
        ),
        session=session,
    )
    return written


async def _apply_tasks(
    snapshot: ProcessSnapshot, tasks: Sequence[TaskView], now: datetime, *, session: AsyncSession
) -> None:
    """Open (or reopen) the tasks given and close this workflow's open tasks that are not among them."""
    await _write(
        _UPSERT_TASKS,
        _unique(
            (
                {
                    "workflow_id": snapshot.workflow_id,
                    "task_key": task.key,
                    "case_id": snapshot.case_id,
                    "team_id": snapshot.team_id,
                    "decision": task.decision,
                    "title": task.title,
                    "allowed_roles": [str(role) for role in task.allowed_roles],
                    "assignee_id": task.assignee_id,
                    "due_date": task.due_date,
                    "state": str(TaskState.OPEN),
                    "opened_at": now,
                    "closed_at": None,
                }
                for task in tasks
            ),
            key=("workflow_id", "task_key"),
        ),
        session=session,
    )
    await session.execute(
        _CLOSE_TASKS_LEFT,
        {"of_workflow": snapshot.workflow_id, "open_keys": [task.key for task in tasks], "closed_now": now},
    )


def _unique(rows: Iterable[dict[str, Any]], *, key: tuple[str, ...]) -> list[dict[str, Any]]:
    """De-duplicate rows by key, the last winning: PostgreSQL refuses to update a row twice in one statement."""
    return list({tuple(row[column] for column in key): row for row in rows}.values())


async def _write(statement: Insert, rows: list[dict[str, Any]], *, session: AsyncSession) -> int:
    """Send `rows` through `statement` in one go; return how many rows it returned (the new ones, if it says)."""
    if not rows:
        return 0
    result = await session.execute(statement, rows)
    return len(result.all()) if result.returns_rows else 0
