"""A Temporal call that a stopping server cancels inside an activity is retried quietly: one warning line.

The dev server, stopped while an activity starts another process (`start_process`), cancels the calls in
flight; the SDK's core does not retry a cancelled call itself, so the activity meets it. That is an outage,
not a fault in the code: the worker's `OutageInterceptor` turns it into a benign, retryable failure and logs
one line naming the status, where the SDK would log a warning with a traceback.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import pytest
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from activities.outages import OutageInterceptor


@activity.defn
async def hand_off() -> int:
    """Meet the stopping server's cancellation on the first attempt; succeed on the next."""
    if activity.info().attempt == 1:
        raise RPCError("context canceled", RPCStatusCode.CANCELLED, b"")
    return activity.info().attempt


@workflow.defn(sandboxed=False)
class HandsOff:
    """Runs `hand_off` until it succeeds."""

    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_activity(
            hand_off,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), maximum_attempts=3),
        )


async def test_a_call_the_stopping_server_cancelled_is_retried_with_one_line_and_no_traceback(
    time_skipping_env: WorkflowEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    task_queue = f"outages-{uuid.uuid4()}"
    with caplog.at_level(logging.DEBUG):
        async with Worker(
            time_skipping_env.client,
            task_queue=task_queue,
            workflows=[HandsOff],
            activities=[hand_off],
            interceptors=[OutageInterceptor()],
            workflow_runner=UnsandboxedWorkflowRunner(),
        ):
            attempt = await time_skipping_env.client.execute_workflow(
                HandsOff.run, id=f"hands-off-{uuid.uuid4()}", task_queue=task_queue
            )

    assert attempt == 2
    said = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.name for record in said] == ["safeguarding.worker"], [record.getMessage() for record in said]
    assert "a service is unavailable (RPCError CANCELLED)" in said[0].getMessage()
    assert said[0].exc_info is None
