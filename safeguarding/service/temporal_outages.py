"""Temporal not answering, said once for every use case: the domain's `Unavailable` ("try again").

A use case that talks to Temporal (connects, starts a process, describes one, asks its `status`, sends an
Update, asks who polls a task queue) can meet a server that is restarting, overloaded or out of reach. The
client then raises `RPCError` with one of the statuses of `safeguarding.outages.TEMPORAL_UNREACHABLE` (a
busy server cancels a call now and then; the worker's activities retry the same ones quietly), or, when no
connection can be made, a `RuntimeError` "Failed client connect: ...". None of these says anything about the
request, so each becomes `Unavailable`, which every entry point already answers as "try again" (a 503 problem
with `Retry-After`, a 503 page, exit code 1), instead of a raw RPC error reaching a person or a traceback
reaching a log.

Everything else keeps its meaning, so the callers' own handling still sees it: NOT_FOUND (an unknown
process: `NotFound`, or an `Invalid` field), a refused Update (`WorkflowUpdateFailedError`: `Conflict`), a
query the workflow failed, and every other status. A call its caller cancelled stays cancelled
(`safeguarding.cancellation`): a request its server is stopping must end, not be answered 503.

A read is asked again twice, briefly, before it is answered "try again" (`read_or_unavailable`): a busy server
cancels a call now and then, and a person reading a process's page should not meet that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from temporalio.service import RPCError

from safeguarding.cancellation import raise_if_cancelled
from safeguarding.outages import TEMPORAL_UNREACHABLE
from safeguarding.service.errors import Unavailable

log = logging.getLogger("safeguarding.service")

T = TypeVar("T")

READ_ATTEMPTS = 3
"""How many times a read (a description, a `status` query) is asked before Temporal not answering is `Unavailable`:
a busy server cancels a call now and then, and a person should not be told to try again for that alone."""
FIRST_READ_DELAY = 0.2
"""Seconds before a read is asked again, doubling: the three asks take under a second more than one."""
CONNECT_FAILED = "Failed client connect"
"""How the SDK's core begins the `RuntimeError` of a connection it could not make (refused, no route, TLS)."""


@contextlib.contextmanager
def outage_as_unavailable(doing: str) -> Iterator[None]:
    """Raise `Unavailable` for Temporal not answering inside the block; let every other error through as it is.

    `doing` says what was asked, with ids only ("asking front-door-contact-1 for its status"); the reason
    ends "try again", as a command's last line must.
    """
    try:
        yield
    except (RPCError, RuntimeError) as exc:
        why = _not_answered(exc)
        if why is None:
            raise
        raise_if_cancelled()
        raise Unavailable(f"Temporal did not answer while {doing} ({why}); try again") from None


async def read_or_unavailable(doing: str, read: Callable[[], Awaitable[T]]) -> T:
    """Return what `read` answers, asking again (`READ_ATTEMPTS` in all) while Temporal does not answer.

    Only for calls that change nothing, so asking again is always safe; a write (a start, an Update) is answered
    "try again" at once by `outage_as_unavailable`, and its caller decides. Any other error, `read`'s own
    `Unavailable` (no worker polling, say) included, ends the asking at once.
    """
    delay = FIRST_READ_DELAY
    for attempt in range(1, READ_ATTEMPTS):
        try:
            return await read()
        except (RPCError, RuntimeError) as exc:
            why = _not_answered(exc)
            if why is None:
                raise
            raise_if_cancelled()
            log.info(
                "Temporal did not answer while %s (%s); asking again, %d of %d", doing, why, attempt + 1, READ_ATTEMPTS
            )
        await asyncio.sleep(delay)
        delay *= 2
    with outage_as_unavailable(doing):
        return await read()


def _not_answered(exc: RPCError | RuntimeError) -> str | None:
    """Return in a word or two how Temporal did not answer, or None when `exc` says something else."""
    if isinstance(exc, RPCError):
        return exc.status.name.lower().replace("_", " ") if exc.status in TEMPORAL_UNREACHABLE else None
    return "no connection" if str(exc).startswith(CONNECT_FAILED) else None
