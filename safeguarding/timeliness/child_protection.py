"""Initial conferences and child protection plans (statutory-rules.md §5, §9): the DfE's indicators and ours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from safeguarding.census.period import CensusYear
from safeguarding.procedure_profile import IcpcAnchor
from safeguarding.timeliness.counting import Band, BandCount, Indicator, count_bands, share, working_days_between
from safeguarding.timeliness.records import CpPlan, InitialConference
from safeguarding.working_days import WorkingCalendar, add_calendar_months

ICPC_LIMIT = 15
"""Working days (§5)."""

ICPC_BANDS = (
    Band("0 to 10 working days", 0, 10),
    Band("11 to 15 working days", 11, 15),
    Band("16 to 20 working days", 16, 20),
    Band("21 or more working days", 21),
)

DURATION_BANDS = (
    Band("3 months or less", 0, 0),
    Band("more than 3 months but less than or equal to 6 months", 1, 1),
    Band("more than 6 months but less than 1 year", 2, 2),
    Band("1 year but less than 2 years", 3, 3),
    Band("2 years and over", 4, 4),
)
"""The DfE's bands of how long a plan lasted (data set D7, "Child Protection Plans Ending in year by Length of
Time"), from its start date to its end date in calendar months; each band is numbered by `_duration_band`."""
TWO_YEARS = 4

CIN_STATISTICS = "DfE, Children in need statistics (explore-education-statistics.service.gov.uk), child protection"


def icpcs_from_s47(conferences: Sequence[InitialConference], year: CensusYear, calendar: WorkingCalendar) -> Indicator:
    """Return the initial conferences held in the year by working days from the section 47 start (DfE)."""
    days = [working_days_between(c.s47_started_on, c.held_on, calendar) for c in conferences if year.holds(c.held_on)]
    numerator = sum(1 for d in days if d <= ICPC_LIMIT)
    return Indicator(
        key="icpc_within_15_of_s47",
        title="Initial conferences within 15 working days of the section 47 start",
        convention="dfe",
        definition=(
            "Initial child protection conferences held in the year, by working days from the start of the "
            "section 47 enquiry (census S47ActualStartDate to DateOfInitialCPC)."
        ),
        source=f"{CIN_STATISTICS}: ICPCs held within 15 working days of the start of the s47 enquiry; "
        "statutory-rules.md §5, §9",
        differs="Working Together counts from the strategy discussion: see icpc_within_15_of_strategy_discussion.",
        numerator=numerator,
        denominator=len(days),
        share=share(numerator, len(days)),
        bands=count_bands(days, ICPC_BANDS),
    )


def icpcs_from_discussion(
    conferences: Sequence[InitialConference], year: CensusYear, calendar: WorkingCalendar, anchor: IcpcAnchor
) -> Indicator:
    """Return the initial conferences held in the year within 15 working days of the profile's anchor (§5, ours)."""
    held = [c for c in conferences if year.holds(c.held_on)]
    days = [working_days_between(_anchor_day(c, anchor), c.held_on, calendar) for c in held]
    numerator = sum(1 for d in days if d <= ICPC_LIMIT)
    return Indicator(
        key="icpc_within_15_of_strategy_discussion",
        title="Initial conferences within 15 working days of the strategy discussion",
        convention="ours",
        definition=(
            f"Initial conferences held in the year, by working days from the profile's anchor ({anchor}): the "
            "discussion that started the section 47 enquiry, the last discussion before the conference, or the "
            "s47 start."
        ),
        source="statutory-rules.md §5 (Working Together: within 15 working days of the strategy discussion)",
        differs="The DfE counts from the s47 start date, which is the same day or later.",
        numerator=numerator,
        denominator=len(days),
        share=share(numerator, len(days)),
        bands=count_bands(days, ICPC_BANDS),
    )


def reviews_in_time(plans: Sequence[CpPlan], as_of: date) -> Indicator:
    """Return the children on a plan for 3 months or more at `as_of` whose reviews were all held in time (DfE).

    A review is in time when held within 3 months of the plan's start (the first) or 6 months of the last
    review (the others), in calendar months (§5); a plan whose next review was due before `as_of` and not
    held is overdue. `as_of` is the reference date, 31 March, or today within a year not yet over.
    """
    counted = [
        p
        for p in plans
        if p.started_on <= add_calendar_months(as_of, -3) and (p.ended_on is None or p.ended_on > as_of)
    ]
    on_time = late = overdue = 0
    for plan in counted:
        verdict = _review_verdict(plan, as_of)
        on_time += verdict == "on time"
        late += verdict == "late"
        overdue += verdict == "overdue"
    return Indicator(
        key="cp_reviews_in_time",
        title="Child protection plans whose reviews were all held in time",
        convention="dfe",
        definition=(
            "Children on a child protection plan at the reference date who had been on it for 3 months or more, "
            "whose review conferences were all held within 3 months of the start, then within 6 months of the last."
        ),
        source=f"{CIN_STATISTICS}: plans reviewed within the required timescales; statutory-rules.md §5",
        differs=(
            "Months are whole calendar months here, as the DfE counts them; our own deadlines also move a "
            "month-based due date that falls on a non-working day back to the working day before (§1)."
        ),
        numerator=on_time,
        denominator=len(counted),
        share=share(on_time, len(counted)),
        bands=[
            BandCount(label="all reviews in time", count=on_time),
            BandCount(label="a review held late", count=late),
            BandCount(label="a review overdue at the reference date", count=overdue),
        ],
    )


def plans_ending(plans: Sequence[CpPlan], year: CensusYear) -> Indicator:
    """Return the plans that ended in the year by how long they lasted, and the share lasting 2 years or more (DfE)."""
    months = [_duration_band(p.started_on, p.ended_on) for p in plans if p.ended_on and year.holds(p.ended_on)]
    numerator = sum(1 for m in months if m == TWO_YEARS)
    return Indicator(
        key="cp_plans_ending_by_duration",
        title="Child protection plans ending in the year: lasting 2 years or more",
        convention="dfe",
        definition=(
            "Child protection plans that ended in the year, by how long they lasted in calendar months from "
            "their start (the ICPC) to their end; the share that lasted 2 years or more."
        ),
        source=(
            f"{CIN_STATISTICS}: data set D7 'Child Protection Plans Ending in year by Length of Time'; "
            "statutory-rules.md §9"
        ),
        numerator=numerator,
        denominator=len(months),
        share=share(numerator, len(months)),
        bands=count_bands(months, DURATION_BANDS),
    )


def open_plans_two_years(plans: Sequence[CpPlan], as_of: date) -> Indicator:
    """Return the plans open at `as_of` that have lasted 2 years or more (ours)."""
    lasted = [
        _duration_band(p.started_on, as_of)
        for p in plans
        if p.started_on <= as_of and (p.ended_on is None or p.ended_on > as_of)
    ]
    numerator = sum(1 for m in lasted if m == TWO_YEARS)
    return Indicator(
        key="cp_plans_open_two_years",
        title="Child protection plans open for 2 years or more",
        convention="ours",
        definition="Child protection plans open at the reference date (or today) that have lasted 2 years or more.",
        source="statutory-rules.md §5 (a plan lasting 2 years is flagged for the review conference)",
        differs="The DfE counts plans by length when they end (cp_plans_ending_by_duration).",
        numerator=numerator,
        denominator=len(lasted),
        share=share(numerator, len(lasted)),
        bands=count_bands(lasted, DURATION_BANDS),
    )


def second_plans(plans: Sequence[CpPlan], history: Sequence[CpPlan], year: CensusYear) -> Indicator:
    """Return the `plans` started in the year that were the child's second or later (DfE).

    `history` holds every plan of the authority, so an earlier plan another team held counts.
    """
    started = [p for p in plans if year.holds(p.started_on)]
    earlier = [_earlier_plans(p, history) for p in started]
    numerator = sum(1 for n in earlier if n >= 1)
    return Indicator(
        key="cp_second_or_later_plans",
        title="Child protection plans that were the child's second or later",
        convention="dfe",
        definition=(
            "Child protection plans started in the year for a child who had been on a plan before (the census's "
            "number of previous plans, or the earlier plans in the case store, whichever is more)."
        ),
        source=f"{CIN_STATISTICS}: plans starting for a second or subsequent time; statutory-rules.md §9",
        numerator=numerator,
        denominator=len(started),
        share=share(numerator, len(started)),
        bands=count_bands(earlier, (Band("first plan", 0, 0), Band("second plan", 1, 1), Band("third or later", 2))),
    )


def _anchor_day(conference: InitialConference, anchor: IcpcAnchor) -> date:
    if anchor is IcpcAnchor.LAST_STRATEGY_DISCUSSION:
        return conference.last_discussion_on
    if anchor is IcpcAnchor.S47_START:
        return conference.s47_started_on
    return conference.first_discussion_on


def _review_verdict(plan: CpPlan, as_of: date) -> str:
    last, months = plan.started_on, 3
    for review in sorted(r for r in plan.reviews if plan.started_on <= r <= as_of):
        if review > add_calendar_months(last, months):
            return "late"
        last, months = review, 6
    return "overdue" if add_calendar_months(last, months) < as_of else "on time"


def _duration_band(start: date, end: date) -> int:
    """Return the number of the D7 band a plan from `start` to `end` falls in (months clamped to a month's end)."""
    if end <= add_calendar_months(start, 3):
        return 0
    if end <= add_calendar_months(start, 6):
        return 1
    if end < add_calendar_months(start, 12):
        return 2
    return 3 if end < add_calendar_months(start, 24) else TWO_YEARS


def _earlier_plans(plan: CpPlan, history: Sequence[CpPlan]) -> int:
    stored = sum(1 for p in history if p.child_id == plan.child_id and p.started_on < plan.started_on)
    return max(plan.previous_plans, stored)
