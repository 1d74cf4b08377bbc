"""A case's chronology, newest first, a page at a time: who did what, when, in each of its processes.

The chronology is append-only (the case store refuses to change an entry), written by every process;
read by those who may read the case (`case_gate`). Pages are cut by cursor (`service.cursors`), so
entries written while someone reads never shift the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from safeguarding.codes import Process, Role
from safeguarding.service.access import Principal
from safeguarding.service.case_gate import readable_case
from safeguarding.service.cursors import decode_cursor, encode_cursor
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services
from safeguarding.store.chronology import list_chronology_newest_first

CURSOR_KIND = "chronology"
MAX_LIMIT = 200


class DecisionMade(BaseModel):
    """The decision an entry records: which, its outcome, the role it was made in, and why."""

    decision: str
    outcome: str
    actor_role: Role
    rationale: str | None


class ChronologyItem(BaseModel):
    """One entry: what happened (`event`, `summary`), when, and who did it (None: the process itself)."""

    entry_id: int
    occurred_at: datetime
    recorded_at: datetime
    event: str
    summary: str
    actor_id: str | None
    workflow_id: str
    process: Process | None = Field(description="None for an entry of no recorded process.")
    actor_name: str | None = Field(default=None, description="The practitioner who acted, by name.")
    decision: DecisionMade | None = Field(default=None, description="The decision the entry records, if it is one.")


class ChronologyPage(BaseModel):
    """A page of a case's chronology, newest first, and where the next (older) page starts."""

    case_id: str
    case_reference: str
    entries: list[ChronologyItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; None on the last page.")


async def list_case_chronology(
    services: Services, principal: Principal, case_id: str, *, limit: int = 50, cursor: str | None = None
) -> ChronologyPage:
    """Return a page of the case's chronology, newest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be from 1 to {MAX_LIMIT}, not {limit}", field="limit")
    before = decode_cursor(CURSOR_KIND, cursor, _position) if cursor else None
    async with services.sessions() as session:
        case = await readable_case(principal, case_id, session=session)
        rows = await list_chronology_newest_first(case_id, before=before, limit=limit + 1, session=session)
    shown = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = shown[-1]
        next_cursor = encode_cursor(CURSOR_KIND, last["occurred_at"].isoformat(), last["id"])
    return ChronologyPage(
        case_id=case_id,
        case_reference=case["reference"],
        entries=[
            ChronologyItem(
                entry_id=row["id"],
                occurred_at=row["occurred_at"],
                recorded_at=row["recorded_at"],
                event=row["event"],
                summary=row["summary"],
                actor_id=row["actor_id"],
                workflow_id=row["workflow_id"],
                process=Process(row["process"]) if row["process"] is not None else None,
                actor_name=f"{row['actor_given_name']} {row['actor_family_name']}" if row["actor_given_name"] else None,
                decision=_decision(row),
            )
            for row in shown
        ],
        next_cursor=next_cursor,
    )


def _decision(row: Any) -> DecisionMade | None:
    if row["decision"] is None:
        return None
    return DecisionMade(
        decision=row["decision"], outcome=row["outcome"], actor_role=Role(row["actor_role"]), rationale=row["rationale"]
    )


def _position(key: Sequence[Any]) -> tuple[datetime, int]:
    occurred_at, entry_id = key
    if not isinstance(entry_id, int) or isinstance(entry_id, bool):
        raise TypeError("an entry id is a number")
    at = datetime.fromisoformat(occurred_at)
    if at.tzinfo is None:
        raise ValueError("a cursor's time has its offset")
    return at, entry_id
