"""The largest history of a simulated year is read from every run, the ones before a continue-as-new too."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from starter.history_sizes import largest_history


@workflow.defn(sandboxed=False)
class ShrinkingRuns:
    """Sleeps `naps` times, then continues as new with one nap fewer: each run is shorter than the one before."""

    @workflow.run
    async def run(self, naps: int) -> None:
        for _ in range(naps):
            await workflow.sleep(timedelta(seconds=1))
        if naps > 1:
            workflow.continue_as_new(naps - 1)


async def _run_lengths(env: WorkflowEnvironment, workflow_id: str) -> list[int]:
    """Return the events of each run of `workflow_id`, the latest first, following the continue-as-new links."""
    lengths, run_id = [], None
    while True:
        history = await env.client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        lengths.append(len(history.events))
        run_id = history.events[0].workflow_execution_started_event_attributes.continued_execution_run_id
        if not run_id:
            return lengths


async def test_the_largest_history_is_found_among_earlier_runs(time_skipping_env: WorkflowEnvironment) -> None:
    env = time_skipping_env
    queue = f"history-sizes-{uuid.uuid4()}"
    shrinking, single = f"shrinking-{uuid.uuid4()}", f"single-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=[ShrinkingRuns]):
        await env.client.execute_workflow(ShrinkingRuns.run, 4, id=shrinking, task_queue=queue)
        await env.client.execute_workflow(ShrinkingRuns.run, 2, id=single, task_queue=queue)
    lengths = await _run_lengths(env, shrinking)
    assert len(lengths) == 4 and lengths[0] < lengths[-1]

    assert await largest_history(env.client, [single, shrinking]) == (lengths[-1], shrinking)


async def test_no_workflows_have_no_history(time_skipping_env: WorkflowEnvironment) -> None:
    assert await largest_history(time_skipping_env.client, []) == (0, "")
