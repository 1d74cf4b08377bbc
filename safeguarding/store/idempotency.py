"""The first answer to each idempotency key of each caller (`idempotency_records`): claimed, kept or released.

A request claims its key before it does anything: one statement inserts the claim or finds the one already
there, so of two requests racing with one key only one goes on. Its answer is kept once it has one, or the
claim released so the key may be tried afresh. The API's `Idempotency-Key` (`safeguarding.api.idempotency`)
and the console's form keys (`safeguarding.console.form_keys`) both keep theirs here; a caller's keys never
meet another's, and each record says which request (method, path, hash) it answers.

A claim with no answer after `stale_after` (`idempotency_claim_minutes`) was left by a request that died
before it could keep or release it, and counts as released: the next request with the key takes it over and
runs, instead of being told for ever that the first is still being answered. A live request answers long
before that, so while it runs no other request with its key does. A claim is held from the moment it was
taken (`Held.claimed_at`): a request whose claim was taken over keeps no answer and releases nothing, so it
cannot undo its successor's.

Records are kept for the retention period (`idempotency_retention_days`), then deleted by the scheduled sweep
(`workflows.idempotency_sweep`) in bounded batches, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import idempotency_records


@dataclass(frozen=True)
class Claim:
    """One caller's key."""

    principal_id: str
    key: str

    def where(self) -> dict[str, str]:
        return {"principal_id": self.principal_id, "key": self.key}


@dataclass(frozen=True)
class Held:
    """A claim this request holds, taken at `claimed_at` (the database's clock): a later claim of the key is not it."""

    claim: Claim
    claimed_at: datetime

    def where(self) -> dict[str, Any]:
        return {**self.claim.where(), "created_at": self.claimed_at}


@dataclass(frozen=True)
class Earlier:
    """The request that claimed a key first: which it was, and its answer once it has one (None while running)."""

    method: str
    path: str
    request_hash: str
    status_code: int | None
    response_body: Any


async def claim_key(
    claim: Claim, *, method: str, path: str, request_hash: str, stale_after: timedelta, session: AsyncSession
) -> Held | Earlier:
    """Claim the key for this request: held when it is this request's now, else the request that claimed it first.

    A claim unanswered for longer than `stale_after` is taken over, as a released one would be claimed afresh:
    the request that made it died. Should the first request give its claim up between the two statements, the
    key is free: it is claimed again.
    """
    table = idempotency_records
    fresh = insert(table).values(**claim.where(), method=method, path=path, request_hash=request_hash)
    claiming = fresh.on_conflict_do_update(
        index_elements=[table.c.principal_id, table.c.key],
        set_={
            "method": fresh.excluded.method,
            "path": fresh.excluded.path,
            "request_hash": fresh.excluded.request_hash,
            "created_at": func.now(),
        },
        where=table.c.status_code.is_(None) & (table.c.created_at < func.now() - stale_after),
    ).returning(table.c.created_at)
    while True:
        claimed_at = (await session.execute(claiming)).scalar_one_or_none()
        if claimed_at is not None:
            return Held(claim, claimed_at)
        query = select(table).filter_by(**claim.where())
        first = (await session.execute(query)).mappings().one_or_none()
        if first is not None:
            return Earlier(
                method=first["method"],
                path=first["path"],
                request_hash=first["request_hash"],
                status_code=first["status_code"],
                response_body=first["response_body"],
            )


async def keep_answer(held: Held, status_code: int, body: Any, *, session: AsyncSession) -> bool:
    """Keep the answer of the request holding the key, for every later request with it.

    Return False, keeping nothing, when the claim was taken over (this request outlived `stale_after`).
    """
    kept = await session.execute(
        update(idempotency_records).filter_by(**held.where()).values(status_code=status_code, response_body=body)
    )
    return bool(kept.rowcount)  # type: ignore[attr-defined]


async def release_key(held: Held, *, session: AsyncSession) -> None:
    """Give the key up: the request holding it kept no answer, so the next one with it runs afresh.

    A claim taken over by a retry is the retry's: it is left alone.
    """
    await session.execute(delete(idempotency_records).filter_by(**held.where()))


async def sweep_records(*, older_than: timedelta, batch_size: int, session: AsyncSession) -> int:
    """Delete up to `batch_size` records claimed more than `older_than` ago, oldest first; return how many.

    One bounded batch, so a large backlog never holds its locks for long: the caller commits each batch and
    calls again until a batch comes back short. Rows a request holds locked (a claim being taken over) are
    skipped, not waited for; the next sweep finds them.
    """
    table = idempotency_records
    oldest = (
        select(table.c.principal_id, table.c.key)
        .where(table.c.created_at < func.now() - older_than)
        .order_by(table.c.created_at)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    deleted = await session.execute(delete(table).where(tuple_(table.c.principal_id, table.c.key).in_(oldest)))
    return int(deleted.rowcount)  # type: ignore[attr-defined]
