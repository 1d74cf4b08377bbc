"""The first answer to each idempotency key of each caller (`idempotency_records`): claimed, kept or released.

A request claims its key before it does anything: one statement inserts the claim or finds the one already
there, so of two requests racing with one key only one goes on. Its answer is kept once it has one, or the
claim released so the key may be tried afresh. The API's `Idempotency-Key` (`safeguarding.api.idempotency`)
and the console's form keys (`safeguarding.console.form_keys`) both keep theirs here; a caller's keys never
meet another's, and each record says which request (method, path, hash) it answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
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
class Earlier:
    """The request that claimed a key first: which it was, and its answer once it has one (None while running)."""

    method: str
    path: str
    request_hash: str
    status_code: int | None
    response_body: Any


async def claim_key(
    claim: Claim, *, method: str, path: str, request_hash: str, session: AsyncSession
) -> Earlier | None:
    """Claim the key for this request: None when it is this request's now, else the request that claimed it first.

    Should the first request give its claim up between the two statements, the key is free: it is claimed again.
    """
    while True:
        claimed = (
            await session.execute(
                insert(idempotency_records)
                .values(**claim.where(), method=method, path=path, request_hash=request_hash)
                .on_conflict_do_nothing()
                .returning(idempotency_records.c.key)
            )
        ).first()
        if claimed is not None:
            return None
        query = select(idempotency_records).filter_by(**claim.where())
        first = (await session.execute(query)).mappings().one_or_none()
        if first is not None:
            return Earlier(
                method=first["method"],
                path=first["path"],
                request_hash=first["request_hash"],
                status_code=first["status_code"],
                response_body=first["response_body"],
            )


async def keep_answer(claim: Claim, status_code: int, body: Any, *, session: AsyncSession) -> None:
    """Keep the answer of the request that claimed the key, for every later request with it."""
    await session.execute(
        update(idempotency_records).filter_by(**claim.where()).values(status_code=status_code, response_body=body)
    )


async def release_key(claim: Claim, *, session: AsyncSession) -> None:
    """Give the key up: the request that claimed it kept no answer, so the next one with it runs afresh."""
    await session.execute(delete(idempotency_records).filter_by(**claim.where()))
