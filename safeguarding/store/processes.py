"""Write a process's snapshot to the case store: its record, open tasks, deadlines, decisions, chronology.

Every row has a natural key, (workflow_id, <key>), so applying the same snapshot again changes nothing:
upserts only touch a row whose values differ (so `updated_at` moves only on a real change), decisions
and chronology entries are facts written once, and a task that has left the snapshot is closed once.

A snapshot leaves out what has not changed since the process last recorded (`ProcessSnapshot`): tasks
given as None stay as they are, and the deadlines and hand-offs it does not list are not touched.

The whole snapshot is one statement, built once here: a data-modifying CTE per table, each reading its
rows from one JSON parameter (`jsonb_to_recordset`). So SQLAlchemy compiles it once per worker (an insert
of rows given in `values()` is compiled anew on every write, which cost more than the write itself), a
write is one round trip to the database rather than one per table, and, being one statement, it is
atomic without a transaction around it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Select,
    Table,
    Text,
    bindparam,
    case,
    cast,
    column,
    false,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from safeguarding.codes import TaskState
from safeguarding.models import ProcessSnapshot
from safeguarding.schema import chronology, deadlines, decisions, hand_offs, human_tasks, process_records

Stamp = Callable[[ReadOnlyColumnCollection[str, Any]], Mapping[str, Any]]
"""Given the `excluded` (proposed) row, the columns that say when a row was touched and their new values."""

_PROCESS_COLUMNS = (
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
)
_TASK_COLUMNS = (
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
)
_DEADLINE_COLUMNS = (
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
)
_DECISION_COLUMNS = (
    "workflow_id",
    "decision_key",
    "case_id",
    "decision",
    "actor_id",
    "actor_role",
    "effective_at",
    "recorded_at",
    "outcome",
    "rationale",
)
_ENTRY_COLUMNS = ("workflow_id", "entry_key", "case_id", "event", "occurred_at", "summary", "actor_id", "recorded_at")
_HAND_OFF_COLUMNS = ("workflow_id", "to_process", "case_id", "reason", "state", "target_workflow_id")


def _json(name: str) -> BindParameter[str]:
    """The parameter a table's rows come in: a JSON array of objects, or null for none."""
    return bindparam(name, type_=Text)


def _rows(parameter: BindParameter[str], table: Table, columns: Sequence[str]) -> Select[Any]:
    """Select `columns` of `table`, typed as the table types them, from the rows in `parameter`."""
    rows = (
        func.jsonb_to_recordset(cast(parameter, JSONB))
        .table_valued(*(column(name, table.c[name].type) for name in columns))
        .render_derived(name=f"{table.name}_given", with_types=True)
    )
    return select(*(rows.c[name] for name in columns))


def _upsert(
    table: Table, columns: Sequence[str], rows: Select[Any], *, key: tuple[str, ...], stamp: Stamp | None = None
) -> CTE:
    """Insert `rows`, or update the row with the same `key` where any value differs.

    The stamped columns are set on a real change but never count as one.
    """
    statement = insert(table).from_select(list(columns), rows)
    stamped = dict(stamp(statement.excluded)) if stamp else {}
    compared = [name for name in columns if name not in key and name not in stamped]
    changed: list[ColumnElement[bool]] = [table.c[name].is_distinct_from(statement.excluded[name]) for name in compared]
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={**{name: statement.excluded[name] for name in compared}, **stamped},
        where=or_(false(), *changed),
    ).cte(f"{table.name}_upserted")


def _write_statement() -> Select[int]:
    """The one statement that applies a snapshot; it returns how many chronology entries were new."""
    tasks = _json("tasks")
    task_rows = _rows(tasks, human_tasks, _TASK_COLUMNS)
    closed = (
        update(human_tasks)
        .where(
            cast(tasks, JSONB).is_not(None),
            human_tasks.c.workflow_id == bindparam("of_workflow"),
            human_tasks.c.state == TaskState.OPEN,
            human_tasks.c.task_key.not_in(select(task_rows.selected_columns.task_key)),
        )
        .values(state=literal(str(TaskState.DONE)), closed_at=bindparam("closed_now"))
        .cte("human_tasks_closed")
    )
    written = (
        insert(chronology)
        .from_select(list(_ENTRY_COLUMNS), _rows(_json("chronology"), chronology, _ENTRY_COLUMNS))
        .on_conflict_do_nothing()
        .returning(chronology.c.id)
        .cte("chronology_written")
    )
    return (
        select(func.count())
        .select_from(written)
        .add_cte(
            _upsert(
                process_records,
                _PROCESS_COLUMNS,
                _rows(_json("process"), process_records, _PROCESS_COLUMNS),
                key=("workflow_id",),
                stamp=lambda excluded: {"updated_at": excluded.updated_at},
            ),
            _upsert(
                human_tasks,
                _TASK_COLUMNS,
                task_rows,
                key=("workflow_id", "task_key"),
                # A task that is open keeps its opening time through any change; one that reopens opens now.
                stamp=lambda excluded: {
                    "opened_at": case(
                        (human_tasks.c.state == TaskState.OPEN, human_tasks.c.opened_at), else_=excluded.opened_at
                    )
                },
            ),
            closed,
            _upsert(
                deadlines,
                _DEADLINE_COLUMNS,
                _rows(_json("deadlines"), deadlines, _DEADLINE_COLUMNS),
                key=("workflow_id", "deadline_key"),
                stamp=lambda excluded: {"updated_at": excluded.updated_at},
            ),
            insert(decisions)
            .from_select(list(_DECISION_COLUMNS), _rows(_json("decisions"), decisions, _DECISION_COLUMNS))
            .on_conflict_do_nothing()
            .cte("decisions_written"),
            _upsert(
                hand_offs,
                _HAND_OFF_COLUMNS,
                _rows(_json("hand_offs"), hand_offs, _HAND_OFF_COLUMNS),
                key=("workflow_id", "to_process"),
            ),
        )
    )


_WRITE = _write_statement()


async def apply_snapshot(snapshot: ProcessSnapshot, now: datetime, *, session: AsyncSession) -> int:
    """Bring the case store in line with `snapshot`; return how many chronology entries were new.

    `now` stamps `updated_at`, task opening and closing; a retry passes a later `now` and still changes
    nothing, because unchanged rows are not rewritten.
    """
    of = {"workflow_id": snapshot.workflow_id, "case_id": snapshot.case_id}
    process = {
        **of,
        "process": snapshot.process,
        "stage": snapshot.stage,
        "team_id": snapshot.team_id,
        "profile_ref": snapshot.profile_ref,
        "responsible_id": snapshot.responsible_id,
        "outcome": snapshot.outcome,
        "started_at": snapshot.started_at,
        "closed_at": snapshot.closed_at,
        "updated_at": now,
    }
    tasks = (
        None
        if snapshot.tasks is None
        else _unique(
            (
                {
                    **of,
                    "task_key": task.key,
                    "team_id": snapshot.team_id,
                    "decision": task.decision,
                    "title": task.title,
                    "allowed_roles": list(task.allowed_roles),
                    "assignee_id": task.assignee_id,
                    "due_date": task.due_date,
                    "state": TaskState.OPEN,
                    "opened_at": now,
                    "closed_at": None,
                }
                for task in snapshot.tasks
            ),
            key="task_key",
        )
    )
    result = await session.execute(
        _WRITE,
        {
            "process": _as_json([process]),
            "tasks": None if tasks is None else _as_json(tasks),
            "of_workflow": snapshot.workflow_id,
            "closed_now": now,
            "deadlines": _as_json(
                _unique(
                    (
                        {
                            **of,
                            "deadline_key": deadline.key,
                            "team_id": snapshot.team_id,
                            "rule_id": deadline.rule_id,
                            "title": deadline.title,
                            "due_date": deadline.due_date,
                            "due_at": deadline.due_at,
                            "passes_at": deadline.passes_at,
                            "basis": deadline.basis,
                            "citation": deadline.citation,
                            "state": deadline.state,
                            "met_on": deadline.met_on,
                            "reasons": deadline.reasons,
                            "responsible_id": deadline.responsible_id,
                            "updated_at": now,
                        }
                        for deadline in snapshot.deadlines
                    ),
                    key="deadline_key",
                )
            ),
            "decisions": _as_json(
                [
                    {
                        **of,
                        "decision_key": decision.key,
                        "decision": decision.decision,
                        "actor_id": decision.actor_id,
                        "actor_role": decision.actor_role,
                        "effective_at": decision.effective_at,
                        "recorded_at": decision.recorded_at,
                        "outcome": decision.outcome,
                        "rationale": decision.rationale,
                    }
                    for decision in snapshot.decisions
                ]
            ),
            "chronology": _as_json(
                [
                    {
                        **of,
                        "entry_key": entry.key,
                        "event": entry.event,
                        "occurred_at": entry.occurred_at,
                        "summary": entry.summary,
                        "actor_id": entry.actor_id,
                        "recorded_at": now,
                    }
                    for entry in snapshot.chronology
                ]
            ),
            "hand_offs": _as_json(
                _unique(
                    (
                        {
                            **of,
                            "to_process": hand_off.to_process,
                            "reason": hand_off.reason,
                            "state": hand_off.state,
                            "target_workflow_id": hand_off.workflow_id,
                        }
                        for hand_off in snapshot.hand_offs
                    ),
                    key="to_process",
                )
            ),
        },
    )
    return int(result.scalar_one())


def _unique(rows: Iterable[dict[str, Any]], *, key: str) -> list[dict[str, Any]]:
    """De-duplicate rows by key, the last winning: PostgreSQL refuses to update a row twice in one statement."""
    return list({row[key]: row for row in rows}.values())


def _as_json(rows: list[dict[str, Any]]) -> str:
    """Return the rows as the JSON `jsonb_to_recordset` reads: times and dates in ISO 8601, with their offset."""
    return json.dumps(rows, default=_iso)


def _iso(value: object) -> str:
    """A time in UTC, with its offset, whatever the database session's time zone (a naive one is taken as
    the machine's local time, as asyncpg takes it); a date as it is."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__} to the case store")
