"""Activities that talk to Temporal itself: offering a newer calendar to every running process."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError

from safeguarding import search_attributes as sa
from safeguarding.housekeeping import CalendarDistribution
from safeguarding.models import CalendarUpdate


def running_processes(task_queue: str) -> str:
    """Return the visibility query for this deployment's running processes (those on its task queue)."""
    return f"ExecutionStatus = 'Running' AND {sa.CASE_PROCESS.name} IS NOT NULL AND TaskQueue = '{task_queue}'"


class TemporalFleetActivities:
    """Built around the worker's Temporal client and its task queue."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    @activity.defn(name="distribute_calendar")
    async def distribute_calendar(self, update: CalendarUpdate) -> CalendarDistribution:
        """Offer `update` to every running process of this deployment; one already on it refuses it.

        Idempotent: a retry offers the calendar again and every process that took it refuses it.
        """
        offered = taken = 0
        async for execution in self.client.list_workflows(running_processes(self.task_queue)):
            offered += 1
            activity.heartbeat(offered)
            handle = self.client.get_workflow_handle(execution.id, run_id=execution.run_id)
            try:
                await handle.execute_update("apply_calendar", update)
                taken += 1
            except WorkflowUpdateFailedError:
                activity.logger.info("process %s already on calendar %s", execution.id, update.calendar.version)
        return CalendarDistribution(offered=offered, taken=taken)
