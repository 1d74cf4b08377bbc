"""The bank-holiday source as an activity: the one place a workflow learns of a new calendar."""

from __future__ import annotations

from temporalio import activity

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.housekeeping import CalendarRequest
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.working_days import WorkingCalendar


class BankHolidayActivities:
    """Builds calendar snapshots from the `holidays` package and the profile's local closures."""

    def __init__(self, profile: ProcedureProfile) -> None:
        self.profile = profile

    @activity.defn(name="load_calendar")
    async def load_calendar(self, request: CalendarRequest) -> WorkingCalendar:
        """Return the calendar as the installed `holidays` release knows it (statutory-rules.md §1)."""
        return england_and_wales_calendar(today=request.today, local_closures=self.profile.local_closures)
