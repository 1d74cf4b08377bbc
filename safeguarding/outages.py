"""The case store down while the worker starts: an expected state, retried and logged in one line, never a traceback.

The worker polls Temporal at once (timers, reminders and every step that needs no database carry on), and
checks the case store's migrations again and again with backoff until PostgreSQL answers
(`migrate_if_reachable`, `retry_migration`). Until the schema is at head, `MigrationGate` refuses every
connection of the worker's engine, so an activity that needs the database fails and is retried by Temporal
like any outage (`activities.outages`), and never writes to a schema older than its code.

The case store going away under a running worker is logged in one line too: SQLAlchemy's pool, closing a
connection whose server has gone (one over the pool's size, handed back; or all of them at shutdown), would
log an error with a traceback (`log_pool_outages_in_one_line`).
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.database import create_engine, migrate

log = logging.getLogger("safeguarding.worker")

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
UNREACHABLE: tuple[type[BaseException], ...] = (OSError, TimeoutError, DBAPIError)
"""What connecting raises while PostgreSQL is down, starting or refusing connections."""
OUTAGE_SQLSTATES = ("08", "57P", "53300")
"""PostgreSQL's connection exceptions, shutdown and start-up, and too many connections."""
TEMPORAL_UNREACHABLE = frozenset(
    {
        RPCStatusCode.UNAVAILABLE,
        RPCStatusCode.CANCELLED,
        RPCStatusCode.DEADLINE_EXCEEDED,
        RPCStatusCode.RESOURCE_EXHAUSTED,
    }
)
"""The Temporal frontend's answers that mean it did not answer now, not that it refused: down or restarting,
a call in flight cancelled by a server that is stopping (the SDK's core does not retry that one itself), out
of time, overloaded. The service layer answers these as "try again" (`safeguarding.service.temporal_outages`)."""


class CaseStoreNotReady(ConnectionError):
    """The worker has not yet brought the case store's schema up to date; the activity is retried."""


def is_outage(exc: BaseException) -> bool:
    """Return whether `exc` says a service is unreachable, not that the work or its data is wrong.

    A refused or lost connection is an outage, the Temporal frontend's included (an activity that starts or
    tells another process while the server restarts); a database error about the data (a constraint, an
    invalid byte) is not, and keeps its own meaning.
    """
    if isinstance(exc, OSError | TimeoutError):
        return True
    if isinstance(exc, RPCError):
        return exc.status in TEMPORAL_UNREACHABLE
    if isinstance(exc, DBAPIError):
        sqlstate = str(getattr(exc.orig, "pgcode", None) or getattr(exc.orig, "sqlstate", None) or "")
        return exc.connection_invalidated or sqlstate.startswith(OUTAGE_SQLSTATES)
    return False


def why(exc: BaseException) -> str:
    """Return the kind of failure in a word or two: the driver's message may quote connection details or values.

    Temporal's errors say their status too (`RPCError CANCELLED`), which names no case and tells an operator
    which of the outages it was.
    """
    if isinstance(exc, RPCError):
        return f"RPCError {exc.status.name}"
    return type(getattr(exc, "orig", None) or exc).__name__


class _PoolOutageInOneLine(logging.Filter):
    """Turns the pool's error about a connection it could not close because of an outage into one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and is_outage(error):
            record.msg, record.args = "%s: the case store is unavailable (%s)", (record.getMessage(), why(error))
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


def log_pool_outages_in_one_line(engine: AsyncEngine) -> None:
    """Have `engine`'s pool say in one line, with no traceback, that a connection it closed had lost its server.

    The filter sits on the pool's own logger (one per pool class, where SQLAlchemy logs), so any handler shows
    the line; it is added once.
    """
    pool = type(engine.sync_engine.pool)
    logger = logging.getLogger(f"{pool.__module__}.{pool.__name__}")
    if not any(isinstance(installed, _PoolOutageInOneLine) for installed in logger.filters):
        logger.addFilter(_PoolOutageInOneLine())


class MigrationGate:
    """Refuses the connections of an engine until `open()`: nothing reads or writes an unmigrated case store."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.is_open = False
        event.listen(engine.sync_engine, "do_connect", self._refuse_until_open)

    def open(self) -> None:
        self.is_open = True

    def _refuse_until_open(self, *_: object) -> None:
        if not self.is_open:
            raise CaseStoreNotReady("the case store is not yet migrated")


async def reachable(url: str) -> str | None:
    """Return None when PostgreSQL at `url` accepts a connection, else why not (the kind of failure)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.connect():
            return None
    except UNREACHABLE as exc:
        return why(exc)
    finally:
        await engine.dispose()


async def migrate_if_reachable(url: str, gate: MigrationGate, attempt: int = 1) -> bool:
    """Migrate the case store at `url` and open `gate` if PostgreSQL answers; else log why in one line.

    A migration that fails on a reachable database is a fault, not an outage, and is raised.
    """
    failure = await reachable(url)
    if failure is not None:
        log.warning("the case store is unavailable (%s); migration check %d failed, will try again", failure, attempt)
        return False
    await migrate(url)
    gate.open()
    if attempt > 1:
        log.info("the case store answered at migration check %d and is migrated to head", attempt)
    return True


async def retry_migration(url: str, gate: MigrationGate) -> None:
    """After a failed first check, check again with backoff (1s doubling to 30s) until `gate` is open."""
    delay, attempt = FIRST_DELAY, 2
    while True:
        await asyncio.sleep(delay)
        if await migrate_if_reachable(url, gate, attempt):
            return
        delay, attempt = min(delay * 2, MAX_DELAY), attempt + 1
