"""The timeliness indicators' counting, as pure table tests on hard dates: the census year, working days, bands."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.census.period import CensusYear
from safeguarding.timeliness.assessments import DFE_BANDS
from safeguarding.timeliness.child_protection import DURATION_BANDS, plans_ending
from safeguarding.timeliness.counting import count_bands, national_days, working_days_between
from safeguarding.timeliness.front_door import referral_decisions
from safeguarding.timeliness.records import Contact, CpPlan
from safeguarding.working_days import ClosedDay

CALENDAR = england_and_wales_calendar(
    today=date(2027, 1, 1), announced=[ClosedDay(day=date(2027, 12, 24), name="Christmas Eve", local=True)]
)
NATIONAL = national_days(CALENDAR)


@pytest.mark.parametrize(
    ("day", "year", "label"),
    [
        (date(2027, 4, 1), 2027, "2027/28"),
        (date(2028, 2, 29), 2027, "2027/28"),
        (date(2028, 3, 31), 2027, "2027/28"),
        (date(2027, 3, 31), 2026, "2026/27"),
        (date(2099, 12, 31), 2099, "2099/00"),
    ],
)
def test_a_day_falls_in_the_census_year_from_1_april_to_31_march(day: date, year: int, label: str) -> None:
    census = CensusYear.of(day)

    assert (census.year, census.label, census.holds(day)) == (year, label, True)
    assert not census.holds(date(year, 3, 31)) and not census.holds(date(year + 1, 4, 1))


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2027, 12, 24), date(2027, 12, 24), 0),  # the same day
        (date(2027, 12, 23), date(2027, 12, 29), 2),  # Christmas Eve counts nationally; 27 and 28 Dec do not
        (date(2027, 12, 24), date(2028, 1, 4), 4),  # 29, 30, 31 Dec and Tue 4 Jan: Mon 3 Jan is New Year's substitute
        (date(2027, 3, 25), date(2027, 3, 30), 1),  # Good Friday and Easter Monday
        (date(2028, 2, 28), date(2028, 3, 1), 2),  # 29 February is a working day
        (date(2028, 2, 26), date(2028, 2, 28), 1),  # a Saturday start: Monday is day 1
    ],
)
def test_working_days_are_counted_after_the_start_up_to_and_including_the_end(
    start: date, end: date, days: int
) -> None:
    assert working_days_between(start, end, NATIONAL) == days


def test_a_local_closure_is_not_excluded_by_national_reporting_and_an_end_before_its_start_is_a_fault() -> None:
    assert working_days_between(date(2027, 12, 23), date(2027, 12, 29), CALENDAR) == 1
    with pytest.raises(ValueError, match="before its start"):
        working_days_between(date(2028, 3, 2), date(2028, 3, 1), NATIONAL)


def test_the_dfes_assessment_bands_take_every_duration_once() -> None:
    counts = count_bands([0, 1, 10, 11, 45, 46, 50, 51, 60, 61, 400], DFE_BANDS)

    assert [band.count for band in counts] == [1, 2, 1, 0, 0, 1, 2, 2, 2]
    with pytest.raises(ValueError, match="none of the bands"):
        count_bands([-1], DFE_BANDS)


def test_a_plan_of_3_months_from_30_november_ends_on_29_february_in_a_leap_year() -> None:
    def plan(child: str, start: date, end: date) -> CpPlan:
        return CpPlan(child_id=child, team_id="t", started_on=start, ended_on=end, previous_plans=0)

    plans = [
        plan("c1", date(2027, 11, 30), date(2028, 2, 29)),  # 3 months exactly: "3 months or less"
        plan("c2", date(2027, 11, 30), date(2028, 3, 1)),  # a day more
        plan("c3", date(2027, 8, 31), date(2028, 2, 29)),  # 6 months exactly (31 August + 6 is 29 February)
        plan("c4", date(2026, 2, 28), date(2028, 2, 27)),  # a day short of 2 years
        plan("c5", date(2026, 2, 28), date(2028, 2, 28)),  # 2 years
    ]

    ending = plans_ending(plans, CensusYear(2027))

    assert [band.label for band in ending.bands] == [b.label for b in DURATION_BANDS]
    assert [band.count for band in ending.bands] == [1, 2, 0, 1, 1]
    assert (ending.numerator, ending.denominator) == (1, 5)


def test_an_undecided_contact_is_late_once_its_working_day_has_passed_and_left_out_until_then() -> None:
    received = datetime(2027, 12, 23, 16, 0, tzinfo=UTC)
    contacts = [Contact(case_id="k", child_id="c", team_id="t", received_at=received, decided_on=None, outcome=None)]

    on_christmas_eve = referral_decisions(contacts, CensusYear(2027), date(2027, 12, 24), NATIONAL)
    after = referral_decisions(contacts, CensusYear(2027), date(2027, 12, 29), NATIONAL)

    assert (on_christmas_eve.denominator, on_christmas_eve.share) == (0, None)
    assert (after.numerator, after.denominator, after.share) == (0, 1, 0.0)
