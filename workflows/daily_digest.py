"""The team managers' daily digest, run by a Temporal Schedule at the profile's digest time."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.housekeeping import CalendarRequest
    from safeguarding.models import DigestRequest, DigestResult
    from safeguarding.working_days import WorkingCalendar, is_working_day, local_date

TIMEOUT = timedelta(minutes=5)


@workflow.defn(name="DailyDigest")
class DailyDigestWorkflow:
    """Each working day, every team manager gets their team's overdue and due-this-week deadlines.

    The Schedule fires Monday to Friday in Europe/London; this workflow skips bank holidays and local
    closure days itself, from the current calendar (statutory-rules.md §1). Sending is idempotent per
    team and day, so a retried or duplicated run sends nothing twice.
    """

    @workflow.run
    async def run(self) -> DigestResult:
        """Send today's digests, unless today is not a working day."""
        today = local_date(workflow.now())
        calendar = await workflow.execute_activity(
            ActivityName.LOAD_CALENDAR,
            CalendarRequest(today=today),
            result_type=WorkingCalendar,
            start_to_close_timeout=TIMEOUT,
        )
        if not is_working_day(today, calendar):
            return DigestResult(teams=0, sent=0)
        return await workflow.execute_activity(
            ActivityName.SEND_TEAM_DIGESTS,
            DigestRequest(day=today),
            result_type=DigestResult,
            start_to_close_timeout=TIMEOUT,
        )
