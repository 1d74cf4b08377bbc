"""The one source of the working-day calendar the service counts on (statutory-rules.md §1).

The `holidays` package's bank holidays of England and Wales, the procedure profile's local closures, and
the closed days operators announced in the case store since (`calendar announce`). The worker's
`load_calendar` activity, a process started from the command line, and `calendar show` all build it here,
so a day announced once is counted everywhere, with no package upgrade and no worker restart.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.store.closures import list_announced_closures
from safeguarding.working_days import WorkingCalendar


async def current_calendar(*, today: date, profile: ProcedureProfile, session: AsyncSession) -> WorkingCalendar:
    """Return today's calendar: the package's bank holidays, the profile's closures and the announced days."""
    return england_and_wales_calendar(
        today=today, local_closures=profile.local_closures, announced=await list_announced_closures(session=session)
    )
