"""How a use case that needs the worker waits for it: never for ever.

A status query and a decision (an Update) are answered by the worker polling the workflow task queue. With
no worker, Temporal holds a query until its deadline and the SDK re-sends an Update for ever, so a decision
or a status read would hang. Before sending, a use case asks the server whether any worker polls the queue
(DescribeTaskQueue) and, with none, says so at once; after sending, it waits at most
`SAFEGUARDING_WORKER_WAIT_SECONDS`. The server keeps listing a worker for a few minutes after it stops, so
the wait is the bound that always holds. A server that cannot describe a task queue (the time-skipping test
server the demo runs on) leaves the bound alone to hold.

An Update the server admitted before the caller gave up stays with the workflow and is made when a worker
returns; sending it again with the same Update id then returns its record, and the decision is made once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.cancellation import raise_if_cancelled
from safeguarding.service.errors import Unavailable

T = TypeVar("T")


def no_worker(task_queue: str) -> str:
    """Return the line that tells the person at the terminal why nothing answered."""
    return f"no worker is polling the task queue {task_queue}; is `make run` running?"


async def worker_polling(client: Client, task_queue: str) -> bool | None:
    """Return whether the server lists a worker polling the workflow task queue `task_queue`.

    None when the server could not say (a busy server cancels the description now and then; the time-skipping
    test server has no such call): the caller then sends anyway and relies on its bounded wait, rather than
    claim there is no worker.
    """
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    try:
        return bool((await client.workflow_service.describe_task_queue(request)).pollers)
    except RPCError as exc:
        if exc.status not in (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED, RPCStatusCode.UNIMPLEMENTED):
            raise
        return None


async def require_worker(client: Client, task_queue: str, *, unsent: str = "") -> None:
    """Refuse to send anything when no worker polls `task_queue`: it would wait for nobody.

    `unsent` tells the person what did not happen (a decision: "Nothing was sent.").
    """
    if await worker_polling(client, task_queue) is False:
        raise Unavailable(f"{no_worker(task_queue)} {unsent}".strip())


async def answered(work: Awaitable[T], client: Client, task_queue: str, seconds: float, *, unanswered: str = "") -> T:
    """Return what `work` (a query or an Update) returns, or raise `Unavailable` after `seconds`.

    `unanswered` says what became of what was sent (an admitted Update is still made once a worker returns).
    """
    try:
        return await asyncio.wait_for(work, seconds)
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError):
        raise_if_cancelled()
    except RPCError as exc:
        if exc.status not in (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED):
            raise
        raise_if_cancelled()
    if await worker_polling(client, task_queue) is False:
        raise Unavailable(f"{no_worker(task_queue)} {unanswered}".strip())
    late = f"no worker answered on the task queue {task_queue} within {seconds:g}s; is `make run` running?"
    raise Unavailable(f"{late} {unanswered}".strip())
