"""Take a newly announced bank holiday to every running case, daily (statutory-rules.md §1)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.housekeeping import CalendarDistribution, CalendarRequest
    from safeguarding.models import CalendarUpdate
    from safeguarding.working_days import WorkingCalendar, local_date

TIMEOUT = timedelta(minutes=5)


@workflow.defn(name="CalendarRefresh")
class CalendarRefreshWorkflow:
    """Load the current calendar and offer it to every running process.

    One-off bank holidays are announced months ahead; when the installed `holidays` release (or the
    profile's local closures) changes, the calendar's version changes and each running process
    recomputes the deadlines still ahead of it. Those already passed keep their dates. Processes
    already on this calendar refuse it, so running this daily costs little.
    """

    @workflow.run
    async def run(self) -> CalendarDistribution:
        """Offer today's calendar to every running process."""
        calendar = await workflow.execute_activity(
            ActivityName.LOAD_CALENDAR,
            CalendarRequest(today=local_date(workflow.now())),
            result_type=WorkingCalendar,
            start_to_close_timeout=TIMEOUT,
        )
        return await workflow.execute_activity(
            ActivityName.DISTRIBUTE_CALENDAR,
            CalendarUpdate(calendar=calendar),
            result_type=CalendarDistribution,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=1),
        )
