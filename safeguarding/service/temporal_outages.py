"""Temporal not answering, said once for every use case: the domain's `Unavailable` ("try again").

A use case that talks to Temporal (connects, starts a process, describes one, asks its `status`, sends an
Update, asks who polls a task queue) can meet a server that is restarting, overloaded or out of reach. The
client then raises `RPCError` with one of the statuses of `safeguarding.outages.TEMPORAL_UNREACHABLE` (a
busy server cancels a call now and then; the worker's activities retry the same ones quietly), or, when no
connection can be made, a `RuntimeError` "Failed client connect: ...". None of these says anything about the
request, so each becomes `Unavailable`, which every entry point already answers as "try
again" (a 503 problem with `Retry-After`, a 503 page, exit code 1), instead of a raw RPC error reaching a
person or a traceback reaching a log.

Everything else keeps its meaning, so the callers' own handling still sees it: NOT_FOUND (an unknown
process: `NotFound`, or an `Invalid` field), a refused Update (`WorkflowUpdateFailedError`: `Conflict`), a
query the workflow failed, and every other status. A call its caller cancelled stays cancelled
(`safeguarding.cancellation`): a request its server is stopping must end, not be answered 503.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from temporalio.service import RPCError

from safeguarding.cancellation import raise_if_cancelled
from safeguarding.outages import TEMPORAL_UNREACHABLE
from safeguarding.service.errors import Unavailable

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
    except RPCError as exc:
        if exc.status not in TEMPORAL_UNREACHABLE:
            raise
        raise _unavailable(doing, exc.status.name.lower().replace("_", " ")) from None
    except RuntimeError as exc:
        if not str(exc).startswith(CONNECT_FAILED):
            raise
        raise _unavailable(doing, "no connection") from None


def _unavailable(doing: str, why: str) -> Unavailable:
    """Return the `Unavailable` to raise, once the caller is known not to be cancelled."""
    raise_if_cancelled()
    return Unavailable(f"Temporal did not answer while {doing} ({why}); try again")
