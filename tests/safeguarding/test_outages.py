"""What counts as an outage (retried quietly) and what keeps its own meaning."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.database import asyncpg_url, create_activity_engine, create_engine
from safeguarding.outages import is_outage, log_pool_outages_in_one_line
from tests.faults.postgres import own_postgres


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError(), True),
        (RPCError("tcp connect error", RPCStatusCode.UNAVAILABLE, b""), True),
        (RPCError("deadline exceeded", RPCStatusCode.DEADLINE_EXCEEDED, b""), True),
        (RPCError("context canceled", RPCStatusCode.CANCELLED, b""), True),
        (RPCError("namespace rate limit exceeded", RPCStatusCode.RESOURCE_EXHAUSTED, b""), True),
        (RPCError("bad request", RPCStatusCode.INVALID_ARGUMENT, b""), False),
        (RPCError("workflow not found", RPCStatusCode.NOT_FOUND, b""), False),
        (RPCError("already started", RPCStatusCode.ALREADY_EXISTS, b""), False),
        (ValueError("a fault in the code"), False),
    ],
)
def test_an_unreachable_server_is_an_outage_and_a_refusal_is_not(error: BaseException, outage: bool) -> None:
    assert is_outage(error) is outage


async def test_connections_closed_after_the_case_store_went_are_one_warning_line_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with own_postgres() as postgres:
        engine = create_engine(asyncpg_url(postgres.url), pool_size=1, max_overflow=1)
        log_pool_outages_in_one_line(engine)
        kept, over = await engine.connect(), await engine.connect()  # the second is one over the pool's size
        for connection in (kept, over):
            await connection.execute(text("SELECT 1"))
            await connection.commit()
        postgres.stop_unnoticed()
        with caplog.at_level(logging.WARNING, logger="sqlalchemy.pool"):
            await over.close()  # handed back over the pool's size: closed
            await kept.close()
            await engine.dispose()  # closes the one the pool kept

    lines = [record for record in caplog.records if record.name.startswith("sqlalchemy.pool")]
    assert [(record.levelname, record.exc_info) for record in lines] == [("WARNING", None)] * 2
    assert all(record.getMessage().endswith("the case store is unavailable (BrokenPipeError)") for record in lines)


async def test_an_activity_engine_fails_once_as_an_outage_after_a_restart_and_then_uses_fresh_connections() -> None:
    """The activity engine does not ping: the first use after a restart fails, retryably, and clears the pool."""
    async with own_postgres() as postgres:
        engine = create_activity_engine(asyncpg_url(postgres.url))
        try:
            held = [await engine.connect() for _ in range(3)]
            for connection in held:
                await connection.execute(text("SELECT 1"))
            for connection in held:
                await connection.close()  # back in the pool, each connected to the server about to go
            await postgres.stop()
            await postgres.start()
            with pytest.raises(DBAPIError) as failed:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
            assert is_outage(failed.value), "a stale connection must read as an outage, so the activity is retried"
            answers = []
            for _ in range(3):  # every other pooled connection from before the restart was discarded too
                async with engine.connect() as connection:
                    answers.append(await connection.scalar(text("SELECT 1")))
            assert answers == [1, 1, 1]
        finally:
            await engine.dispose()
