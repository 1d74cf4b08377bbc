"""The calendar source as an activity: the one place a workflow learns of a new calendar."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from safeguarding.activity_names import ActivityName
from safeguarding.calendar_source import current_calendar
from safeguarding.housekeeping import CalendarRequest
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.working_days import WorkingCalendar


class BankHolidayActivities:
    """Builds calendar snapshots from the `holidays` package, the profile and the announced closed days."""

    def __init__(self, profile: ProcedureProfile, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.profile = profile
        self.sessionmaker = sessionmaker

    @activity.defn(name=ActivityName.LOAD_CALENDAR)
    async def load_calendar(self, request: CalendarRequest) -> WorkingCalendar:
        """Return the calendar as it stands now, announced days included (statutory-rules.md §1)."""
        async with self.sessionmaker() as session:
            return await current_calendar(today=request.today, profile=self.profile, session=session)
