"""A call its caller cancelled stays cancelled, though the Temporal client says "timed out or cancelled".

The Temporal client turns an `asyncio.CancelledError` that reaches it while it waits for an Update into
`WorkflowUpdateRPCTimeoutOrCancelledError`, the error it raises for an Update call that timed out. Code that
answers that error with "try again" or sends the call again would swallow the cancellation: a request its
server is stopping would go on to ask Temporal who polls, and a loop of retries would run on past the bound
that cancelled it, keeping its event loop from closing. Such code asks `raise_if_cancelled` first.
"""

from __future__ import annotations

import asyncio


def raise_if_cancelled() -> None:
    """Raise `CancelledError` when the running task has been asked to stop (a cancellation not yet taken back)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
