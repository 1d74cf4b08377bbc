"""Activities that talk to Temporal itself: offering a newer calendar to every running process."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError

from safeguarding import search_attributes as sa
from safeguarding.housekeeping import CalendarDistribution
from safeguarding.models import CalendarUpdate

RUNNING_PROCESSES = f"ExecutionStatus = 'Running' AND {sa.CASE_PROCESS.name} IS NOT NULL"


class TemporalFleetActivities:
    """Built around the worker's Temporal client."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @activity.defn(name="distribute_calendar")
    async def distribute_calendar(self, update: CalendarUpdate) -> CalendarDistribution:
        """Offer `update` to every running process; one already on it refuses, which is not an error.

        Idempotent: a retry offers the calendar again and every process that took it refuses it.
        """
        offered = taken = 0
        async for execution in self.client.list_workflows(RUNNING_PROCESSES):
            offered += 1
            activity.heartbeat(offered)
            handle = self.client.get_workflow_handle(execution.id, run_id=execution.run_id)
            try:
                await handle.execute_update("apply_calendar", update)
                taken += 1
            except WorkflowUpdateFailedError:
                activity.logger.info("process %s already on calendar %s", execution.id, update.calendar.version)
        return CalendarDistribution(offered=offered, taken=taken)
