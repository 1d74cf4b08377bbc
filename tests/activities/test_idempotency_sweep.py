"""The sweep of idempotency records as the worker runs it: committed batches until none is left past retention,
against a real PostgreSQL, through Temporal's ActivityEnvironment."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.case_store import CaseStoreActivities
from safeguarding.housekeeping import IdempotencySweepRequest, IdempotencySweepResult
from safeguarding.schema import idempotency_records
from tests.factories import create_idempotency_record

RETENTION_DAYS = 30


async def _seed(db: async_sessionmaker[AsyncSession], **ages: timedelta) -> None:
    async with db.begin() as session:
        for key, age in ages.items():
            await create_idempotency_record(session, principal_id="practitioner-1", key=key, age=age, status_code=201)


async def _keys(db: async_sessionmaker[AsyncSession]) -> list[str]:
    async with db() as session:
        return sorted(await session.scalars(select(idempotency_records.c.key)))


async def test_the_sweep_deletes_every_record_past_retention_in_committed_batches_and_keeps_the_rest(
    db: async_sessionmaker[AsyncSession],
) -> None:
    past = {f"past_{days}": timedelta(days=RETENTION_DAYS + days) for days in range(1, 6)}
    await _seed(db, **past, within=timedelta(days=RETENTION_DAYS - 1), today=timedelta(0))
    env = ActivityEnvironment()
    progress: list[int] = []
    env.on_heartbeat = lambda *details: progress.append(details[0])
    request = IdempotencySweepRequest(retention_days=RETENTION_DAYS, batch_size=2)

    swept = await env.run(CaseStoreActivities(db).sweep_idempotency_records, request)

    assert swept == IdempotencySweepResult(deleted=5, batches=3)
    assert progress == [2, 4, 5]
    assert await _keys(db) == ["today", "within"]


async def test_the_sweep_run_again_deletes_nothing_more(db: async_sessionmaker[AsyncSession]) -> None:
    await _seed(db, past=timedelta(days=RETENTION_DAYS + 1), today=timedelta(0))
    sweep = CaseStoreActivities(db).sweep_idempotency_records
    request = IdempotencySweepRequest(retention_days=RETENTION_DAYS)

    first = await ActivityEnvironment().run(sweep, request)
    again = await ActivityEnvironment().run(sweep, request)

    assert (first, again) == (
        IdempotencySweepResult(deleted=1, batches=1),
        IdempotencySweepResult(deleted=0, batches=1),
    )
    assert await _keys(db) == ["today"]
