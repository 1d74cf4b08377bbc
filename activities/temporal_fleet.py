"""Activities that talk to Temporal itself: starting one process from another, telling one process of
another's progress, offering a newer calendar."""

from __future__ import annotations

from temporalio import activity
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding import search_attributes as sa
from safeguarding.activity_names import ActivityName
from safeguarding.commands.assessment import EmergencyActionTold, TellEmergencyAction
from safeguarding.housekeeping import CalendarDistribution
from safeguarding.models import CalendarUpdate, DecisionRecord, ProcessStart, ProcessStarted

STARTED_BY = "started_by"
"""The memo key naming the process that handed off to a run: how a retried hand-off recognises its own start."""


def running_processes(task_queue: str) -> str:
    """Return the visibility query for this deployment's running processes (those on its task queue)."""
    return f"ExecutionStatus = 'Running' AND {sa.CASE_PROCESS.name} IS NOT NULL AND TaskQueue = '{task_queue}'"


class TemporalFleetActivities:
    """Built around the worker's Temporal client and its task queue."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    @activity.defn(name=ActivityName.DISTRIBUTE_CALENDAR)
    async def distribute_calendar(self, update: CalendarUpdate) -> CalendarDistribution:
        """Offer `update` to every running process of this deployment; one already on it refuses it.

        Idempotent: a retry offers the calendar again and every process that took it refuses it. A server
        that cannot list workflows at all (the time-skipping test server) fails it once, non-retryably:
        retrying could never succeed.
        """
        offered = taken = 0
        try:
            async for execution in self.client.list_workflows(running_processes(self.task_queue)):
                offered += 1
                activity.heartbeat(offered)
                handle = self.client.get_workflow_handle(execution.id, run_id=execution.run_id)
                try:
                    await handle.execute_update("apply_calendar", update)
                    taken += 1
                except WorkflowUpdateFailedError:
                    activity.logger.info("process %s already on calendar %s", execution.id, update.calendar.version)
        except RPCError as err:
            if err.status is not RPCStatusCode.UNIMPLEMENTED:
                raise
            raise ApplicationError(
                f"this Temporal server cannot list workflows, so calendar {update.calendar.version} was offered to "
                "no running process; offer it on a server with visibility (the dev server or a cluster)",
                type="VisibilityUnavailable",
                non_retryable=True,
            ) from None
        return CalendarDistribution(offered=offered, taken=taken)

    @activity.defn(name=ActivityName.START_PROCESS)
    async def start_process(self, request: ProcessStart) -> ProcessStarted:
        """Start the process `request` hands off to, or join the one already running under that id.

        Idempotent: the run a hand-off starts carries the hander's workflow id in its memo, so a retry after
        a lost reply finds its own start and reports it as started, never as joined (which, for a section 47
        enquiry, would tell it of a further discussion that never happened).
        """
        if await self._started_by(request.workflow_id) == request.started_by:
            return ProcessStarted(workflow_id=request.workflow_id, started=True)
        try:
            await self.client.start_workflow(
                request.workflow,
                request.input,
                id=request.workflow_id,
                task_queue=self.task_queue,
                memo={STARTED_BY: request.started_by},
            )
        except WorkflowAlreadyStartedError:
            return ProcessStarted(workflow_id=request.workflow_id, started=False)
        return ProcessStarted(workflow_id=request.workflow_id, started=True)

    @activity.defn(name=ActivityName.TELL_EMERGENCY_ACTION)
    async def tell_emergency_action(self, request: TellEmergencyAction) -> EmergencyActionTold:
        """Tell the case's assessment, if one is running, that emergency action started or ended (§3).

        Idempotent: the Update carries the caller's id, so a retry after a lost reply is the same Update,
        taken once. A refusal (already recorded by the social worker, the assessment past its joint
        visit) is an answer, not a failure.
        """
        handle = self.client.get_workflow_handle(request.assessment_workflow_id)
        try:
            await handle.execute_update(
                "record_emergency_action", request.command, id=request.update_id, result_type=DecisionRecord
            )
        except WorkflowUpdateFailedError as err:
            return EmergencyActionTold(found=True, refusal=getattr(err.cause, "message", None) or str(err.cause))
        except RPCError as err:
            if err.status is RPCStatusCode.NOT_FOUND:
                return EmergencyActionTold(found=False)
            raise
        return EmergencyActionTold(found=True)

    async def _started_by(self, workflow_id: str) -> str | None:
        """Return which process handed off to the latest run under `workflow_id`; None if there is none.

        Read from the raw description: the SDK's `describe()` cannot decode the time-skipping test server's
        datetime search attributes. Asked with the SDK core's retries, as the SDK's own calls are: a server that
        stops or restarts mid-call answers with statuses (internal, unknown) that say nothing of the request, and
        a raw call would otherwise fail the activity on them with a traceback.
        """
        request = DescribeWorkflowExecutionRequest(
            namespace=self.client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
        )
        try:
            described = await self.client.workflow_service.describe_workflow_execution(request, retry=True)
        except RPCError as err:
            if err.status is RPCStatusCode.NOT_FOUND:
                return None
            raise
        payload = described.workflow_execution_info.memo.fields.get(STARTED_BY)
        if payload is None:
            return None
        [started_by] = await self.client.data_converter.decode([payload], [str])
        return started_by
