"""Child and family assessments (statutory-rules.md §3): how long they took, the DfE's way and ours."""

from __future__ import annotations

from collections.abc import Sequence

from safeguarding.census.period import CensusYear
from safeguarding.timeliness.counting import Band, BandCount, Indicator, count_bands, share, working_days_between
from safeguarding.timeliness.records import Assessment
from safeguarding.working_days import WorkingCalendar

LIMIT = 45
"""Working days (§3): the maximum, not a target."""

DFE_BANDS = (
    Band("same day", 0, 0),
    Band("1 to 10 working days", 1, 10),
    Band("11 to 20 working days", 11, 20),
    Band("21 to 30 working days", 21, 30),
    Band("31 to 40 working days", 31, 40),
    Band("41 to 45 working days", 41, 45),
    Band("46 to 50 working days", 46, 50),
    Band("51 to 60 working days", 51, 60),
    Band("61 or more working days", 61),
)
"""The DfE's bands: data set "C2 Completed assessments by duration of assessment and local authority"."""

C2 = (
    "DfE, Children in need, data set C2 'Completed assessments by duration of assessment and local authority' "
    "(explore-education-statistics.service.gov.uk; bands Same_day, 1-10 ... 41-45, 46-50, 51-60, 61+)"
)


def assessment_durations(assessments: Sequence[Assessment], year: CensusYear, calendar: WorkingCalendar) -> Indicator:
    """Return the assessments authorised in the year by working days from their start, and the share within 45 (DfE)."""
    days = [
        working_days_between(a.started_on, a.authorised_on, calendar)
        for a in assessments
        if year.holds(a.authorised_on)
    ]
    numerator = sum(1 for d in days if d <= LIMIT)
    return Indicator(
        key="assessment_duration",
        title="Assessments completed within 45 working days of their start",
        convention="dfe",
        definition=(
            "Assessments authorised by a manager in the year, by working days from the assessment's start to its "
            "authorisation (the census's AssessmentActualStartDate and AssessmentAuthorisationDate)."
        ),
        source=C2 + "; statutory-rules.md §3, §9",
        differs=(
            "The DfE's bands are kept as published, 46-50 and 51-60 apart. Our own clock starts at the referral: "
            "see assessment_within_45_of_referral."
        ),
        numerator=numerator,
        denominator=len(days),
        share=share(numerator, len(days)),
        bands=count_bands(days, DFE_BANDS),
    )


def assessments_from_referral(
    assessments: Sequence[Assessment], year: CensusYear, calendar: WorkingCalendar
) -> Indicator:
    """Return the share of assessments authorised in the year within 45 working days of the referral (§3, ours)."""
    days = [
        working_days_between(a.referral_on, a.authorised_on, calendar)
        for a in assessments
        if year.holds(a.authorised_on)
    ]
    numerator = sum(1 for d in days if d <= LIMIT)
    return Indicator(
        key="assessment_within_45_of_referral",
        title="Assessments authorised within 45 working days of the referral",
        convention="ours",
        definition=(
            "Assessments authorised in the year, by working days from the referral that led to them (the case's "
            "latest referral received on or before the assessment started; the start itself when there is none)."
        ),
        source="statutory-rules.md §3 (Working Together: the clock starts at the referral, not at allocation)",
        differs="The DfE counts from the assessment's start date, which may be later than the referral.",
        numerator=numerator,
        denominator=len(days),
        share=share(numerator, len(days)),
        bands=[
            BandCount(label="within 45 working days", count=numerator),
            BandCount(label="over 45 working days", count=len(days) - numerator),
        ],
    )
