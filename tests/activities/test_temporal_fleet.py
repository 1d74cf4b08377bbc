"""Hand-offs between processes: the `start_process` activity against both real Temporal servers.

A hand-off starts an independent workflow under a fixed id. A retry after a lost reply must find its own
start (never a second run, never "joined"); another process handing off to the same id joins it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import ActivityEnvironment

from activities.temporal_fleet import TemporalFleetActivities
from safeguarding.codes import StrategyReason
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput, strategy_discussion_id
from safeguarding.models import ProcessStart, ProcessStatus
from tests.fixtures.temporal import Harness
from tests.workflows.child_protection_steps import running


async def _discussion_request(harness: Harness, started_by: str) -> ProcessStart:
    case = await harness.new_case()
    concerns_at = await harness.env.get_current_time() - timedelta(hours=1)
    discussion = StrategyDiscussionInput(
        context=harness.context(case),
        concerns_at=concerns_at,
        reason=StrategyReason.LADO,
        source_workflow_id=started_by,
    )
    workflow_id = strategy_discussion_id(case.reference, concerns_at)
    harness.started.append(workflow_id)
    return ProcessStart(
        workflow="StrategyDiscussion",
        workflow_id=workflow_id,
        input=discussion.model_dump(mode="json"),
        started_by=started_by,
    )


async def _run_id(harness: Harness, workflow_id: str) -> str:
    return (await harness.execution(workflow_id)).execution.run_id


async def test_a_hand_off_starts_the_process_with_its_input_on_the_deployments_queue(harness: Harness) -> None:
    request = await _discussion_request(harness, started_by="lado-REF-1")
    fleet = TemporalFleetActivities(harness.client, harness.task_queue)

    started = await ActivityEnvironment().run(fleet.start_process, request)
    status = await (await running(harness, request.workflow_id)).query("status", result_type=ProcessStatus)

    assert started.started
    assert status.process == "strategy_discussion"
    assert status.case_reference == request.input["context"]["case_reference"]


async def test_a_retried_hand_off_finds_its_own_start_and_starts_nothing_more(harness: Harness) -> None:
    request = await _discussion_request(harness, started_by="lado-REF-1")
    fleet = TemporalFleetActivities(harness.client, harness.task_queue)
    await ActivityEnvironment().run(fleet.start_process, request)
    first_run = await _run_id(harness, request.workflow_id)

    retried = await ActivityEnvironment().run(fleet.start_process, request)

    assert retried.started
    assert await _run_id(harness, request.workflow_id) == first_run


async def test_another_process_handing_off_to_the_same_id_joins_the_running_one(harness: Harness) -> None:
    request = await _discussion_request(harness, started_by="lado-REF-1")
    fleet = TemporalFleetActivities(harness.client, harness.task_queue)
    await ActivityEnvironment().run(fleet.start_process, request)
    first_run = await _run_id(harness, request.workflow_id)

    joined = await ActivityEnvironment().run(
        fleet.start_process, request.model_copy(update={"started_by": "front-door-REF-2"})
    )

    assert not joined.started
    assert await _run_id(harness, request.workflow_id) == first_run
