"""The timeliness report as a use case: the DfE's indicators and ours for one census year (statutory-rules.md §9).

Read by the service managers, for the whole authority or one team, and by a team manager for their own team
(`access.READS_TIMELINESS`). Counted from the case store on today's calendar of bank holidays (national days
only, §1); the indicators' definitions are in `safeguarding.timeliness`. Ids and codes only: no names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from safeguarding.bank_holidays import FIRST_YEAR
from safeguarding.calendar_source import current_calendar
from safeguarding.census.period import CensusYear
from safeguarding.deadlines import compute_due
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.service.access import READS_TIMELINESS, TEAM_BOUND, Principal, require_role, require_team
from safeguarding.service.errors import Invalid, NotFound
from safeguarding.service.ids import checked_id
from safeguarding.service.root import Services
from safeguarding.store.teams import get_team
from safeguarding.store.timeliness import load_caseload
from safeguarding.timeliness.allegations_and_fgc import FgcLimit
from safeguarding.timeliness.report import TimelinessReport, build_report
from safeguarding.working_days import WorkingCalendar, at_local_time, local_date

FGC_LIMIT_RULE = "fgc_whole_process"


async def read_timeliness(
    services: Services,
    principal: Principal,
    *,
    year: int | None = None,
    team_id: str | None = None,
    today: date | None = None,
) -> TimelinessReport:
    """Return the indicators of census year `year` (1 April `year` to 31 March; default: the current one).

    A team manager who names no team reads their own; naming another team is refused. A year that has not
    begun, or one before the calendar's first year, is invalid; a team that does not exist is not found.
    """
    if team_id is not None:
        checked_id(team_id, "team_id")
    require_role(principal, "read_timeliness", READS_TIMELINESS, target=team_id)
    if principal.role in TEAM_BOUND:
        team_id = team_id or principal.team_id
        require_team(principal, "read_timeliness", team_id, target=team_id)
    today = today or local_date(datetime.now(UTC))
    census = CensusYear.of(today) if year is None else CensusYear(year)
    if census.year < FIRST_YEAR:  # first: a year before 1 has no first day to compare
        raise Invalid(f"the calendar counts from {FIRST_YEAR}; {census.label} is before it", field="year")
    if census.year > today.year or census.first_day > today:
        raise Invalid(f"the census year {census.label} has not begun", field="year")
    async with services.sessions() as session:
        if team_id is not None and await get_team(team_id, session=session) is None:
            raise NotFound(f"no team {team_id}")
        calendar = await current_calendar(today=today, profile=services.profile, session=session)
        caseload = await load_caseload(census, session=session)
    return build_report(
        caseload,
        census,
        today=today,
        calendar=calendar,
        team_id=team_id,
        icpc_anchor=services.profile.icpc_anchor,
        fgc_limit=_fgc_limit(services.profile),
    )


def _fgc_limit(profile: ProcedureProfile) -> FgcLimit:
    """Return the profile's whole-process limit of a family group conference, counted on its own clock (§7)."""
    rule = profile.rule(FGC_LIMIT_RULE)

    def due(referred_on: date, calendar: WorkingCalendar) -> date:
        return compute_due(profile, FGC_LIMIT_RULE, at_local_time(referred_on, time(12, 0)), calendar).due_date

    return FgcLimit(label=f"{rule.amount} {str(rule.clock).replace('_', ' ')} ({FGC_LIMIT_RULE})", due=due)
