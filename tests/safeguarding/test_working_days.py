"""The working-day calendar (statutory-rules.md §1): properties over many dates, then hard dates by hand.

Expected dates in the tables were counted by hand on a printed calendar against the published bank
holidays of England and Wales, never taken from the code.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.procedure_profile import load_profile
from safeguarding.working_days import (
    LONDON,
    add_calendar_months,
    add_working_days,
    closed_days_between,
    describe_closed_days,
    describe_time_left,
    end_of_day,
    is_out_of_hours,
    is_working_day,
    months_due,
    next_office_opening,
    subtract_working_days,
)

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
NATIONAL = england_and_wales_calendar(today=date(2026, 1, 1))
WITH_CHRISTMAS_EVE_CLOSED = england_and_wales_calendar(
    today=date(2026, 1, 1),
    local_closures=load_profile(PROFILES / "example-24-hour-clocks.toml").local_closures,
)
OPENS, CLOSES = time(9, 0), time(17, 0)
LONGEST_RUN_OF_CLOSED_DAYS = 4  # Good Friday to Easter Monday; Christmas 2027; the 2022 Jubilee weekend

days = st.dates(min_value=date(2016, 1, 1), max_value=date(2036, 12, 31))
periods = st.integers(min_value=1, max_value=60)


def _working_days_in(after: date, up_to: date) -> int:
    count, day = 0, after + timedelta(days=1)
    while day <= up_to:
        count += is_working_day(day, NATIONAL)
        day += timedelta(days=1)
    return count


def _london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# Properties


@given(days, periods)
def test_n_working_days_after_a_trigger_land_on_a_working_day_with_exactly_n_working_days_counted(
    trigger: date, n: int
) -> None:
    due = add_working_days(trigger, n, NATIONAL)
    assert due > trigger
    assert is_working_day(due, NATIONAL)
    assert _working_days_in(trigger, due) == n


@given(days, periods)
def test_one_more_working_day_always_moves_the_due_date_later(trigger: date, n: int) -> None:
    assert add_working_days(trigger, n + 1, NATIONAL) > add_working_days(trigger, n, NATIONAL)


@given(days, days, periods)
def test_a_later_trigger_never_gives_an_earlier_due_date(first: date, second: date, n: int) -> None:
    earlier, later = sorted((first, second))
    assert add_working_days(earlier, n, NATIONAL) <= add_working_days(later, n, NATIONAL)


@given(days, periods)
def test_counting_back_undoes_counting_forward_from_a_working_day(trigger: date, n: int) -> None:
    if not is_working_day(trigger, NATIONAL):
        trigger = add_working_days(trigger, 1, NATIONAL)
    assert subtract_working_days(add_working_days(trigger, n, NATIONAL), n, NATIONAL) == trigger
    assert add_working_days(subtract_working_days(trigger, n, NATIONAL), n, NATIONAL) == trigger


@given(days, st.integers(min_value=1, max_value=24))
def test_a_month_period_ends_on_a_working_day_on_or_shortly_before_the_calendar_date(start: date, months: int) -> None:
    raw = add_calendar_months(start, months)
    due = months_due(start, months, NATIONAL)
    assert is_working_day(due, NATIONAL)
    assert raw - timedelta(days=LONGEST_RUN_OF_CLOSED_DAYS) <= due <= raw


@given(days, st.integers(min_value=-24, max_value=24))
def test_calendar_months_keep_the_day_of_month_clamped_to_the_months_end(start: date, months: int) -> None:
    moved = add_calendar_months(start, months)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    assert moved.day == min(start.day, monthrange(moved.year, moved.month)[1])


@given(days)
def test_a_day_based_deadline_passes_at_midnight_in_england_at_the_end_of_the_day(day: date) -> None:
    passes = end_of_day(day).astimezone(LONDON)
    assert passes.date() == day + timedelta(days=1)
    assert passes.time() == time(0, 0)


# Hard dates


@pytest.mark.parametrize(
    ("holiday", "why"),
    [
        (date(2026, 4, 3), "Good Friday 2026"),
        (date(2026, 4, 6), "Easter Monday 2026"),
        (date(2027, 3, 26), "Good Friday 2027"),
        (date(2027, 3, 29), "Easter Monday 2027"),
        (date(2026, 12, 28), "Boxing Day 2026 falls on a Saturday: substitute Monday"),
        (date(2027, 12, 27), "Christmas Day 2027 falls on a Saturday: substitute Monday"),
        (date(2027, 12, 28), "Boxing Day 2027 falls on a Sunday: substitute Tuesday"),
        (date(2028, 1, 3), "New Year's Day 2028 falls on a Saturday: substitute Monday"),
        (date(2022, 6, 2), "Spring bank holiday moved for the Platinum Jubilee"),
        (date(2022, 6, 3), "Platinum Jubilee"),
        (date(2022, 9, 19), "State funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of King Charles III"),
    ],
)
def test_bank_holidays_of_england_and_wales_are_not_working_days(holiday: date, why: str) -> None:
    assert holiday.weekday() < 5, why
    assert not is_working_day(holiday, NATIONAL), why


@pytest.mark.parametrize(
    ("trigger", "n", "due"),
    [
        # Christmas and New Year 2026/27: 25 Dec Fri, 28 Dec Mon (substitute), 1 Jan Fri.
        (date(2026, 12, 22), 15, date(2027, 1, 15)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # a month-end trigger
        # Christmas and New Year 2027/28: 27, 28 Dec and 3 Jan are the substitute days.
        (date(2027, 12, 23), 3, date(2027, 12, 30)),
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        (date(2027, 12, 31), 1, date(2028, 1, 4)),
        # Easter.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        (date(2027, 3, 25), 5, date(2027, 4, 5)),
        # One-off days.
        (date(2022, 6, 1), 1, date(2022, 6, 6)),
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        (date(2023, 4, 28), 5, date(2023, 5, 9)),  # 1 May and 8 May 2023 both skipped
        # A Saturday or Sunday trigger: the next working day is day 1.
        (date(2026, 12, 5), 1, date(2026, 12, 7)),
        (date(2026, 12, 5), 5, date(2026, 12, 11)),
        (date(2026, 8, 30), 1, date(2026, 9, 1)),  # Sunday before the summer bank holiday
        (date(2026, 8, 31), 1, date(2026, 9, 1)),  # the bank holiday itself, also the 31st
    ],
)
def test_n_working_days_after_a_trigger_fall_on_the_hand_counted_date(trigger: date, n: int, due: date) -> None:
    assert add_working_days(trigger, n, NATIONAL) == due


@pytest.mark.parametrize(
    ("anchor", "n", "due"),
    [
        (date(2027, 1, 4), 3, date(2026, 12, 29)),
        (date(2028, 1, 4), 2, date(2027, 12, 30)),
        (date(2026, 4, 7), 1, date(2026, 4, 2)),
    ],
)
def test_n_working_days_before_an_anchor_fall_on_the_hand_counted_date(anchor: date, n: int, due: date) -> None:
    assert subtract_working_days(anchor, n, NATIONAL) == due


def test_a_period_of_no_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1 day"):
        add_working_days(date(2026, 12, 22), 0, NATIONAL)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 5, 31), 3, date(2026, 8, 31)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 10, 31), -1, date(2026, 9, 30)),
        (date(2027, 1, 15), 3, date(2027, 4, 15)),
    ],
)
def test_calendar_months_clamp_to_the_end_of_a_shorter_month(start: date, months: int, expected: date) -> None:
    assert add_calendar_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2026, 5, 31), 3, date(2026, 8, 28)),  # 31 Aug 2026 is the summer bank holiday
        (date(2026, 6, 27), 6, date(2026, 12, 24)),  # Sun 27 Dec, Sat 26, Fri 25 (Christmas)
        (date(2026, 6, 28), 6, date(2026, 12, 24)),  # Mon 28 Dec is the substitute Boxing Day
        (date(2027, 6, 28), 6, date(2027, 12, 24)),  # Tue 28, Mon 27 substitutes, then the weekend
        (date(2027, 1, 15), 3, date(2027, 4, 15)),  # a working day stays put
    ],
)
def test_a_month_period_ending_on_a_closed_day_moves_back_to_the_previous_working_day(
    start: date, months: int, due: date
) -> None:
    assert months_due(start, months, NATIONAL) == due


def test_a_profiles_local_closure_is_a_closed_day_marked_local_and_named_apart() -> None:
    christmas_eve = date(2026, 12, 24)
    assert is_working_day(christmas_eve, NATIONAL)
    assert not is_working_day(christmas_eve, WITH_CHRISTMAS_EVE_CLOSED)
    closure = WITH_CHRISTMAS_EVE_CLOSED.closure(christmas_eve)
    assert closure is not None
    assert closure.local
    assert closure.name == "Christmas Eve office closure"
    assert WITH_CHRISTMAS_EVE_CLOSED.version != NATIONAL.version

    assert add_working_days(date(2026, 12, 23), 1, WITH_CHRISTMAS_EVE_CLOSED) == date(2026, 12, 29)
    skipped = closed_days_between(date(2026, 12, 23), date(2026, 12, 29), WITH_CHRISTMAS_EVE_CLOSED)
    assert describe_closed_days(skipped) == "25, 28 Dec are bank holidays; 24 Dec is a local closure day"


@pytest.mark.parametrize(
    ("at", "out_of_hours"),
    [
        (_london(2026, 12, 7, 10, 0), False),  # Monday morning
        (_london(2026, 12, 7, 8, 59), True),
        (_london(2026, 12, 7, 9, 0), False),
        (_london(2026, 12, 7, 16, 59), False),
        (_london(2026, 12, 7, 17, 0), True),
        (_london(2026, 12, 5, 12, 0), True),  # Saturday
        (_london(2026, 12, 6, 12, 0), True),  # Sunday
        (_london(2026, 12, 25, 12, 0), True),  # Christmas Day
        (_london(2026, 12, 28, 12, 0), True),  # substitute Boxing Day
        (_london(2026, 12, 24, 12, 0), False),  # Christmas Eve is a working day nationally
        (datetime(2026, 7, 6, 8, 30, tzinfo=UTC), False),  # 09:30 BST
        (datetime(2026, 7, 6, 16, 30, tzinfo=UTC), True),  # 17:30 BST
    ],
)
def test_out_of_hours_covers_evenings_weekends_and_bank_holidays(at: datetime, out_of_hours: bool) -> None:
    assert is_out_of_hours(at, NATIONAL, OPENS, CLOSES) is out_of_hours


def test_a_local_closure_day_is_out_of_hours_all_day() -> None:
    assert is_out_of_hours(_london(2026, 12, 24, 12, 0), WITH_CHRISTMAS_EVE_CLOSED, OPENS, CLOSES)


@pytest.mark.parametrize(
    ("at", "opening"),
    [
        (_london(2026, 12, 4, 17, 30), _london(2026, 12, 7, 9, 0)),  # Friday evening -> Monday
        (_london(2026, 12, 7, 8, 0), _london(2026, 12, 7, 9, 0)),
        (_london(2026, 12, 7, 9, 0), _london(2026, 12, 7, 9, 0)),
        (_london(2026, 12, 7, 9, 1), _london(2026, 12, 8, 9, 0)),
        (_london(2026, 12, 24, 18, 0), _london(2026, 12, 29, 9, 0)),
        (_london(2026, 12, 31, 20, 0), _london(2027, 1, 4, 9, 0)),
        (_london(2027, 12, 24, 18, 0), _london(2027, 12, 29, 9, 0)),
        # Friday before the clocks go forward: Monday 09:00 BST is 08:00 UTC.
        (_london(2026, 3, 27, 18, 0), datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_office_next_opens_on_the_next_working_morning(at: datetime, opening: datetime) -> None:
    assert next_office_opening(at, NATIONAL, OPENS) == opening


def test_the_office_next_opens_after_a_local_closure_day() -> None:
    at = _london(2026, 12, 23, 18, 0)
    assert next_office_opening(at, NATIONAL, OPENS) == _london(2026, 12, 24, 9, 0)
    assert next_office_opening(at, WITH_CHRISTMAS_EVE_CLOSED, OPENS) == _london(2026, 12, 29, 9, 0)


@pytest.mark.parametrize(
    ("today", "due", "said"),
    [
        (date(2026, 11, 30), date(2026, 12, 7), "due in 5 working days"),  # Monday to the next Monday
        (date(2026, 12, 1), date(2026, 12, 2), "due tomorrow"),
        (date(2026, 12, 4), date(2026, 12, 7), "due in 1 working day"),  # Friday to Monday
        (date(2026, 12, 24), date(2026, 12, 29), "due in 1 working day"),  # 25 Dec, then Boxing Day on Mon 28
        (date(2026, 12, 22), date(2026, 12, 30), "due in 4 working days"),  # 23, 24, 29, 30 Dec; not 25 or 28
        (date(2026, 12, 2), date(2026, 12, 2), "due today"),
    ],
)
def test_a_reminder_says_how_many_working_days_are_left(today: date, due: date, said: str) -> None:
    assert describe_time_left(today, due, NATIONAL) == said
