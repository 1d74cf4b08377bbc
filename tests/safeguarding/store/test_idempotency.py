"""The idempotency records against a real PostgreSQL: a claim left by a request that died is taken over after the
claim window, a live one is not, and the sweep deletes what is past retention, oldest first, a batch at a time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.config import Settings
from safeguarding.schema import idempotency_records
from safeguarding.store.idempotency import Claim, Earlier, Held, claim_key, keep_answer, release_key, sweep_records
from tests.factories import create_idempotency_record

WINDOW = timedelta(minutes=Settings.model_fields["idempotency_claim_minutes"].default)
RETENTION = timedelta(days=Settings.model_fields["idempotency_retention_days"].default)
MINUTE = timedelta(minutes=1)
CLAIM = Claim("practitioner-1", "key-1")


async def _record(
    db: async_sessionmaker[AsyncSession], claim: Claim, *, age: timedelta, status_code: int | None = None
) -> None:
    body = None if status_code is None else {"workflow_id": "front-door-1"}
    async with db.begin() as session:
        await create_idempotency_record(session, **claim.where(), age=age, status_code=status_code, response_body=body)


async def _claim(db: async_sessionmaker[AsyncSession], request_hash: str = "hash-of-the-retry") -> Held | Earlier:
    async with db.begin() as session:
        return await claim_key(
            CLAIM, method="POST", path="/contacts", request_hash=request_hash, stale_after=WINDOW, session=session
        )


async def _rows(db: async_sessionmaker[AsyncSession]) -> dict[str, tuple[str, int | None]]:
    """Return each record's key with the hash of the request holding it and its answer's status."""
    table = idempotency_records
    async with db() as session:
        rows = await session.execute(select(table.c.key, table.c.request_hash, table.c.status_code))
    return {key: (request_hash, status_code) for key, request_hash, status_code in rows}


async def test_a_claim_left_unanswered_for_longer_than_the_window_is_taken_over_by_the_next_request(
    db: async_sessionmaker[AsyncSession],
) -> None:
    await _record(db, CLAIM, age=WINDOW + MINUTE)

    retry = await _claim(db)

    assert isinstance(retry, Held), retry
    assert await _rows(db) == {CLAIM.key: ("hash-of-the-retry", None)}
    async with db() as session:
        age = await session.scalar(select(func.now() - idempotency_records.c.created_at))
    assert age is not None and age < MINUTE  # the claim is the retry's now, and the window starts again


async def test_a_claim_unanswered_within_the_window_is_refused_as_still_being_answered(
    db: async_sessionmaker[AsyncSession],
) -> None:
    await _record(db, CLAIM, age=WINDOW - MINUTE)

    retry = await _claim(db)

    assert retry == Earlier("POST", "/contacts", "hash-of-the-first", None, None)
    assert await _rows(db) == {CLAIM.key: ("hash-of-the-first", None)}


async def test_an_answered_key_is_replayed_however_old_it_is(db: async_sessionmaker[AsyncSession]) -> None:
    await _record(db, CLAIM, age=timedelta(days=365), status_code=201)

    retry = await _claim(db)

    assert retry == Earlier("POST", "/contacts", "hash-of-the-first", 201, {"workflow_id": "front-door-1"})


async def test_a_request_whose_claim_was_taken_over_keeps_no_answer_and_releases_nothing(
    db: async_sessionmaker[AsyncSession],
) -> None:
    """The first request outlived the window (it was slow, not dead): the retry's claim and answer stand."""
    first = await _claim(db, "hash-of-the-first")
    assert isinstance(first, Held)
    async with db.begin() as session:
        await session.execute(idempotency_records.update().values(created_at=func.now() - WINDOW - MINUTE))
    retry = await _claim(db)
    assert isinstance(retry, Held)

    async with db.begin() as session:
        first_kept = await keep_answer(first, 201, {"workflow_id": "front-door-1"}, session=session)
        await release_key(first, session=session)
    assert (first_kept, await _rows(db)) == (False, {CLAIM.key: ("hash-of-the-retry", None)})

    async with db.begin() as session:
        retry_kept = await keep_answer(retry, 201, {"workflow_id": "front-door-2"}, session=session)
    assert (retry_kept, await _rows(db)) == (True, {CLAIM.key: ("hash-of-the-retry", 201)})


async def test_the_sweep_deletes_records_past_retention_answered_or_not_and_keeps_younger_ones(
    db: async_sessionmaker[AsyncSession],
) -> None:
    await _record(db, Claim("practitioner-1", "answered-long-ago"), age=RETENTION + MINUTE, status_code=201)
    await _record(db, Claim("practitioner-1", "claimed-long-ago"), age=RETENTION + MINUTE)
    await _record(db, Claim("practitioner-1", "answered-lately"), age=RETENTION - MINUTE, status_code=201)
    await _record(db, Claim("practitioner-2", "answered-today"), age=timedelta(0), status_code=422)

    async with db.begin() as session:
        swept = await sweep_records(older_than=RETENTION, batch_size=10, session=session)

    assert swept == 2
    assert sorted(await _rows(db)) == ["answered-lately", "answered-today"]


async def test_the_sweep_deletes_one_batch_at_most_the_oldest_first(db: async_sessionmaker[AsyncSession]) -> None:
    for days in range(5):
        await _record(db, Claim("practitioner-1", f"{days}-days-past"), age=RETENTION + timedelta(days=days))

    async with db.begin() as session:
        swept = await sweep_records(older_than=RETENTION, batch_size=2, session=session)

    assert swept == 2
    assert sorted(await _rows(db)) == ["0-days-past", "1-days-past", "2-days-past"]
