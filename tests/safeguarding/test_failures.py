"""A failing activity's reason stays readable: failures are trimmed to fit what Temporal keeps, and encrypted."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta

import temporalio.api.failure.v1
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.exceptions import FailureError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from safeguarding.failures import MAX_DEPTH, MESSAGE_CHARS, STACK_TRACE_CHARS
from tests.fixtures.temporal import CONVERTER

REASON = "the notification service answered 500: " + "upstream said no; " * 2000
ADDRESS = "12 Acacia Road"


def _recurse(depth: int) -> None:
    if depth:
        _recurse_again(depth - 1)
    raise ConnectionError(f"root cause after a deep stack: {'frame ' * 1000}")


def _recurse_again(depth: int) -> None:
    _recurse(depth)  # two functions in turn, so Python cannot fold the frames into "repeated 60 times"


def _failing() -> None:
    """Raise a chain of five errors, each with a long message and a deep stack."""
    try:
        try:
            try:
                try:
                    _recurse(60)
                except ConnectionError as exc:
                    raise OSError("level 4 " + "x" * 5000) from exc
            except OSError as exc:
                raise RuntimeError(f"level 3 near {ADDRESS} " + "y" * 5000) from exc
        except RuntimeError as exc:
            raise ValueError("level 2 " + "z" * 5000) from exc
    except ValueError as exc:
        raise RuntimeError(REASON) from exc


def _chain(failure: temporalio.api.failure.v1.Failure) -> list[temporalio.api.failure.v1.Failure]:
    levels = [failure]
    while levels[-1].HasField("cause"):
        levels.append(levels[-1].cause)
    return levels


async def test_a_long_deep_failure_is_trimmed_to_a_documented_size_and_encrypted_before_it_leaves() -> None:
    failure = temporalio.api.failure.v1.Failure()
    try:
        _failing()
    except RuntimeError as exc:
        await CONVERTER.encode_failure(exc, failure)

    assert failure.ByteSize() < 3 * 1024
    assert len(_chain(failure)) == MAX_DEPTH
    assert b"Acacia" not in failure.SerializeToString()
    assert b"upstream said no" not in failure.SerializeToString()

    error = await CONVERTER.decode_failure(failure)
    assert isinstance(error, FailureError) and isinstance(error.__cause__, FailureError)
    assert error.message.startswith("the notification service answered 500: upstream said no;")
    assert error.message.endswith(" [trimmed]") and len(error.message) == MESSAGE_CHARS
    assert error.__cause__.message.startswith("level 2 zzz")
    root = error.__cause__.__cause__
    assert isinstance(root, FailureError) and root.__cause__ is None
    assert root.message.startswith("root cause after a deep stack: frame frame")
    assert root.failure is not None
    stack = root.failure.stack_trace
    assert len(stack) <= STACK_TRACE_CHARS and stack.startswith("[trimmed] ")
    assert stack.endswith("raise ConnectionError(f\"root cause after a deep stack: {'frame ' * 1000}\")\n"), (
        "the innermost frames, where the error was raised, are the ones kept"
    )


@activity.defn
async def send_notice() -> None:
    """Fail as an unreachable service might: retried by Temporal, with a long, deep failure."""
    _failing()


@workflow.defn(sandboxed=False)
class SendsANotice:
    """Runs `send_notice` until it succeeds (never, here)."""

    @workflow.run
    async def run(self) -> None:
        await workflow.execute_activity(
            send_notice,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(initial_interval=timedelta(seconds=30), backoff_coefficient=1.0),
        )


async def _last_failure_while_retrying(client: Client) -> str:
    """Start the workflow, wait for the activity's first failure and return what `describe` says of it, decoded."""
    task_queue = f"failures-{uuid.uuid4()}"
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[SendsANotice],
        activities=[send_notice],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        handle = await client.start_workflow(SendsANotice.run, id=f"notice-{uuid.uuid4()}", task_queue=task_queue)
        try:
            for _ in range(200):
                described = await handle.describe()
                pending = described.raw_description.pending_activities
                if pending and pending[0].HasField("last_failure"):
                    failure = temporalio.api.failure.v1.Failure()
                    failure.CopyFrom(pending[0].last_failure)
                    assert b"upstream said no" not in failure.SerializeToString()
                    error = await client.data_converter.decode_failure(failure)
                    assert isinstance(error, FailureError)
                    return error.message
                await asyncio.sleep(0.05)
            raise AssertionError("the activity never failed")
        finally:
            await handle.terminate("end of test")


async def test_describe_shows_why_a_retrying_activity_fails_where_an_untrimmed_failure_is_dropped(
    dev_server_env: WorkflowEnvironment,
) -> None:
    client = dev_server_env.client
    untrimmed: DataConverter = dataclasses.replace(
        CONVERTER, failure_converter_class=DefaultFailureConverterWithEncodedAttributes
    )
    untrimmed_client = Client(client.service_client, namespace=client.namespace, data_converter=untrimmed)

    trimmed_reason = await _last_failure_while_retrying(client)
    dropped_reason = await _last_failure_while_retrying(untrimmed_client)

    assert trimmed_reason.startswith("the notification service answered 500: upstream said no;")
    assert dropped_reason == "Failure exceeds size limit."
