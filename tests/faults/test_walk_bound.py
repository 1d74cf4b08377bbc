"""A walk whose bound runs out stops, though the client reports the cancellation as an Update timeout.

The Temporal client turns the `CancelledError` of a caller that gives up on an Update into
`WorkflowUpdateRPCTimeoutOrCancelledError`, which a walk sends again (`case_walk.persist`). Unchecked, a walk
cancelled by its test's bound went on sending for its own fifteen minutes, and the test's event loop could
not close: the test hung after it had failed. Here an Update waits for a worker that never comes, and the
walk sending it is cancelled.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.faults.case_walk import persist

pytestmark = [pytest.mark.dev_server]

STOPS_WITHIN = 60.0
"""A hang guard: without the check the walk keeps sending for fifteen minutes."""


async def test_a_walk_cancelled_while_its_update_waits_stops(dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    handle = await client.start_workflow(
        "NoWorkerServesThis", id=f"walk-bound-{uuid.uuid4()}", task_queue=f"no-worker-{uuid.uuid4()}"
    )
    sending = asyncio.Event()

    async def update() -> None:
        sending.set()
        await handle.execute_update("anything", id="walk-bound")

    walking = asyncio.create_task(persist(update, "an Update nobody answers"))
    try:
        await sending.wait()
        await asyncio.sleep(0)  # the Update is on its way to the server
        walking.cancel()
        await asyncio.wait({walking}, timeout=STOPS_WITHIN)
        assert walking.done(), "the cancelled walk is still sending its Update"
        assert walking.cancelled()
    finally:
        await handle.terminate()
