"""The timeliness report: every indicator for one census year, for the authority or one team."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pydantic import BaseModel, Field

from safeguarding.census.period import CensusYear
from safeguarding.procedure_profile import IcpcAnchor
from safeguarding.timeliness import allegations_and_fgc, assessments, child_protection, front_door
from safeguarding.timeliness.counting import Indicator, national_days
from safeguarding.timeliness.records import Caseload
from safeguarding.working_days import COUNTING_CONVENTION, WorkingCalendar


class TimelinessReport(BaseModel):
    """The indicators of one census year (1 April to 31 March), as they stand on `as_of`."""

    year: str = Field(description="The census year, e.g. 2027/28.")
    first_day: date
    reference_date: date = Field(description="31 March: the census's reference date.")
    as_of: date = Field(description="The day counted to: the reference date, or today in a year not yet over.")
    team_id: str | None = Field(description="The team whose cases are counted; None for the whole authority.")
    counting_convention: str
    calendar_version: str = Field(description="The bank holidays counted on (national days only, §1).")
    indicators: list[Indicator]


def build_report(
    caseload: Caseload,
    year: CensusYear,
    *,
    today: date,
    calendar: WorkingCalendar,
    team_id: str | None,
    icpc_anchor: IcpcAnchor,
    fgc_limit: allegations_and_fgc.FgcLimit,
) -> TimelinessReport:
    """Return every indicator for `year` from `caseload`, counting `team_id`'s cases only when it is given.

    Re-referrals look at the child's earlier referrals whichever team took them; everything else counts only
    the team's own. Working days are counted on the national days of `calendar` (§1).
    """
    national = national_days(calendar)
    as_of = min(today, year.reference_date)
    mine = caseload if team_id is None else _team_only(caseload, team_id)
    indicators = [
        front_door.referral_decisions(mine.contacts, year, as_of, national),
        front_door.re_referrals(caseload.contacts, year, team_id),
        assessments.assessment_durations(mine.assessments, year, national),
        assessments.assessments_from_referral(mine.assessments, year, national),
        child_protection.icpcs_from_s47(mine.conferences, year, national),
        child_protection.icpcs_from_discussion(mine.conferences, year, national, icpc_anchor),
        child_protection.reviews_in_time(mine.plans, as_of),
        child_protection.plans_ending(mine.plans, year),
        child_protection.open_plans_two_years(mine.plans, as_of),
        child_protection.second_plans(mine.plans, caseload.plans, year),
        *allegations_and_fgc.allegations_resolved(mine.allegations, year, national),
        allegations_and_fgc.fgc_referral_to_conference(mine.fgcs, year, fgc_limit, national),
    ]
    return TimelinessReport(
        year=year.label,
        first_day=year.first_day,
        reference_date=year.reference_date,
        as_of=as_of,
        team_id=team_id,
        counting_convention=COUNTING_CONVENTION,
        calendar_version=national.version,
        indicators=indicators,
    )


def _team_only(caseload: Caseload, team_id: str) -> Caseload:
    return replace(
        caseload,
        contacts=tuple(c for c in caseload.contacts if c.team_id == team_id),
        assessments=tuple(a for a in caseload.assessments if a.team_id == team_id),
        conferences=tuple(c for c in caseload.conferences if c.team_id == team_id),
        plans=tuple(p for p in caseload.plans if p.team_id == team_id),
        allegations=tuple(a for a in caseload.allegations if a.team_id == team_id),
        fgcs=tuple(f for f in caseload.fgcs if f.team_id == team_id),
    )
