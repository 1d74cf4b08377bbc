"""The change log: who changed which field of which record (a person, a team, a practitioner), when and why.

One row per changed field, written in the same transaction as the change, so the log and the record never
disagree. Values are kept as text beside the record they describe (dates as ISO 8601, booleans as true or
false); they may be personal data, so they stay in the case store and are read only by those entitled to the
record. A change that changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from sqlalchemy import RowMapping, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import change_log

RecordKind = Literal["person", "case", "practitioner", "team"]


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """Return each field of `after` whose value differs from `before`'s, with its old and new value as text."""
    changed = {}
    for field, value in after.items():
        old, new = as_text(before.get(field)), as_text(value)
        if old != new:
            changed[field] = (old, new)
    return changed


def as_text(value: Any) -> str | None:
    """Return a field's value as the change log keeps it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) or "" for item in value)
    return str(value)


async def record_changes(
    record_kind: RecordKind,
    record_id: str,
    changes: Mapping[str, tuple[str | None, str | None]],
    *,
    changed_by: str,
    reason: str | None,
    session: AsyncSession,
) -> None:
    """Write one change-log row per changed field (from `differences`); nothing when nothing changed."""
    if not changes:
        return
    await session.execute(
        insert(change_log),
        [
            {
                "record_kind": record_kind,
                "record_id": record_id,
                "field": field,
                "old_value": old,
                "new_value": new,
                "changed_by": changed_by,
                "reason": reason,
            }
            for field, (old, new) in changes.items()
        ],
    )


async def list_changes(record_kind: RecordKind, record_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the record's changes, oldest first (in the order they were written)."""
    query = (
        select(change_log)
        .where(change_log.c.record_kind == record_kind, change_log.c.record_id == record_id)
        .order_by(change_log.c.changed_at, change_log.c.id)
    )
    return (await session.execute(query)).mappings().all()
