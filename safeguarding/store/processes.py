"""Write a process's snapshot to the case store: its record, open tasks, deadlines, decisions, chronology.

Every row has a natural key, (workflow_id, <key>), so applying the same snapshot again changes nothing:
upserts only touch a row whose values differ (so `updated_at` moves only on a real change), decisions
and chronology entries are facts written once, and a task that has left the snapshot is closed once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, case, false, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import TaskState
from safeguarding.models import ProcessSnapshot
from safeguarding.schema import chronology, deadlines, decisions, hand_offs, human_tasks, process_records


async def apply_snapshot(snapshot: ProcessSnapshot, now: datetime, *, session: AsyncSession) -> int:
    """Bring the case store in line with `snapshot`; return how many chronology entries were new.

    `now` stamps `updated_at`, task opening and closing; a retry passes a later `now` and still changes
    nothing, because unchanged rows are not rewritten.
    """
    await _upsert(
        process_records,
        [
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
            }
        ],
        key=("workflow_id",),
        stamp={"updated_at": now},
        session=session,
    )
    await _apply_tasks(snapshot, now, session=session)
    await _upsert(
        deadlines,
        [
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
        ],
        key=("workflow_id", "deadline_key"),
        stamp={"updated_at": now},
        session=session,
    )
    await _insert_once(
        decisions,
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
    written = await _insert_once(
        chronology,
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
    await _upsert(
        hand_offs,
        [
            {
                "workflow_id": snapshot.workflow_id,
                "to_process": str(hand_off.to_process),
                "case_id": snapshot.case_id,
                "reason": hand_off.reason,
                "state": str(hand_off.state),
                "target_workflow_id": hand_off.workflow_id,
            }
            for hand_off in snapshot.hand_offs
        ],
        key=("workflow_id", "to_process"),
        session=session,
    )
    return written


async def _apply_tasks(snapshot: ProcessSnapshot, now: datetime, *, session: AsyncSession) -> None:
    """Open (or reopen) the snapshot's tasks and close this workflow's open tasks that have left it."""
    await _upsert(
        human_tasks,
        [
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
            for task in snapshot.tasks
        ],
        key=("workflow_id", "task_key"),
        # A task that is open keeps its opening time through any change; one that reopens opens now.
        stamp={"opened_at": case((human_tasks.c.state == TaskState.OPEN, human_tasks.c.opened_at), else_=now)},
        session=session,
    )
    await session.execute(
        update(human_tasks)
        .where(
            human_tasks.c.workflow_id == snapshot.workflow_id,
            human_tasks.c.state == TaskState.OPEN,
            human_tasks.c.task_key.not_in([task.key for task in snapshot.tasks]),
        )
        .values(state=str(TaskState.DONE), closed_at=now)
    )


async def _upsert(
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    *,
    key: tuple[str, ...],
    stamp: Mapping[str, Any] | None = None,
    session: AsyncSession,
) -> None:
    """Insert `rows`, or update the existing row with the same `key` where any value differs.

    `stamp` maps the columns that say when a row was touched to their new value (or a SQL expression):
    they are set on a real change but never count as one. Rows are de-duplicated by key first, the last
    winning, as PostgreSQL refuses to update a row twice in one statement.
    """
    unique = list({tuple(row[column] for column in key): row for row in rows}.values())
    if not unique:
        return
    stamp = stamp or {}
    statement = insert(table).values(unique)
    compared = [column for column in unique[0] if column not in key and column not in stamp]
    changed: list[ColumnElement[bool]] = [
        table.c[column].is_distinct_from(statement.excluded[column]) for column in compared
    ]
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=list(key),
            set_={**{column: statement.excluded[column] for column in compared}, **stamp},
            where=or_(false(), *changed),
        )
    )


async def _insert_once(table: Table, rows: list[dict[str, Any]], *, session: AsyncSession) -> int:
    """Insert the rows not yet written (by their unique key); return how many were new."""
    if not rows:
        return 0
    result = await session.execute(insert(table).values(rows).on_conflict_do_nothing().returning(table.c.id))
    return len(result.all())
