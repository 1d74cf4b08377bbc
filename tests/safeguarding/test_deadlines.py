"""Deadlines with their basis (statutory-rules.md §1, §2, §5, §6): what a practitioner reads and checks.

Due dates were counted by hand on a printed calendar; the basis texts are the sentences we want users to
read, written out in full.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import ClockKind
from safeguarding.deadlines import RuleNotSet, compute_due
from safeguarding.procedure_profile import Escalation, ProcedureProfile, load_profile
from safeguarding.working_days import LONDON

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
EXAMPLE = load_profile(PROFILES / "example.toml")
HOURS_24 = load_profile(PROFILES / "example-24-hour-clocks.toml")
NATIONAL = england_and_wales_calendar(today=date(2026, 1, 1))
WITH_LOCAL_CLOSURES = england_and_wales_calendar(today=date(2026, 1, 1), local_closures=HOURS_24.local_closures)


def _london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_icpc_over_christmas_is_due_fifteen_working_days_later_with_the_bank_holidays_named() -> None:
    due = compute_due(EXAMPLE, "icpc", _london(2026, 12, 22, 12, 0), NATIONAL)
    assert due.due_date == date(2027, 1, 15)
    assert due.basis == (
        "15 working days after the strategy discussion on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are bank holidays"
    )
    assert due.clock is ClockKind.WORKING_DAYS
    assert due.amount == 15
    assert due.due_at is None
    assert due.citation == "statutory-rules.md §5"
    assert due.calendar_version == NATIONAL.version


def test_a_local_closure_day_moves_the_icpc_and_is_named_apart_from_bank_holidays() -> None:
    due = compute_due(HOURS_24, "icpc", _london(2026, 12, 22, 12, 0), WITH_LOCAL_CLOSURES)
    assert due.due_date == date(2027, 1, 18)
    assert due.basis == (
        "15 working days after the strategy discussion on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are bank "
        "holidays; 24 Dec is a local closure day"
    )


def test_a_referral_on_a_saturday_counts_monday_as_day_one_and_says_so() -> None:
    due = compute_due(EXAMPLE, "referral_decision", _london(2026, 12, 5, 10, 0), NATIONAL)
    assert due.due_date == date(2026, 12, 7)
    assert due.basis == (
        "1 working day after the referral on Sat 5 Dec 2026 (not a working day, so Mon 7 Dec 2026 is day 1)"
    )


def test_a_24_hour_clock_over_a_weekend_is_due_on_saturday_where_one_working_day_is_due_on_monday() -> None:
    friday_afternoon = _london(2026, 12, 4, 15, 0)

    hours = compute_due(HOURS_24, "referral_decision", friday_afternoon, NATIONAL)
    assert hours.clock is ClockKind.HOURS
    assert hours.due_at == _london(2026, 12, 5, 15, 0)
    assert hours.passes_at == hours.due_at
    assert hours.due_date == date(2026, 12, 5)
    assert hours.basis == (
        "24 hours after the referral at Fri 4 Dec 2026 15:00; wall-clock hours, so nights, weekends and "
        "bank holidays count"
    )
    assert hours.citation == ("statutory-rules.md §2; local: contact screening within 24 hours (statutory-rules.md §2)")

    working_day = compute_due(EXAMPLE, "referral_decision", friday_afternoon, NATIONAL)
    assert working_day.due_date == date(2026, 12, 7)
    assert working_day.due_at is None
    assert working_day.passes_at == _london(2026, 12, 8, 0, 0)


def test_a_24_hour_lado_notification_runs_through_christmas_day() -> None:
    at = _london(2026, 12, 24, 16, 0)
    assert compute_due(HOURS_24, "lado_notification", at, NATIONAL).due_at == _london(2026, 12, 25, 16, 0)
    working_day = compute_due(EXAMPLE, "lado_notification", at, NATIONAL)
    assert working_day.due_date == date(2026, 12, 29)
    assert working_day.basis == (
        "1 working day after the allegation coming to the employer's attention on Thu 24 Dec 2026; "
        "25, 28 Dec are bank holidays"
    )


@pytest.mark.parametrize(
    ("trigger", "due_at"),
    [
        # Clocks go forward at 01:00 GMT on Sun 29 Mar 2026: noon GMT + 24 h is 13:00 BST.
        (_london(2026, 3, 28, 12, 0), datetime(2026, 3, 29, 12, 0, tzinfo=UTC)),
        # Clocks go back at 02:00 BST on Sun 25 Oct 2026: noon BST + 24 h is 11:00 GMT.
        (_london(2026, 10, 24, 12, 0), datetime(2026, 10, 25, 11, 0, tzinfo=UTC)),
        (datetime(2026, 10, 24, 11, 0, tzinfo=UTC), datetime(2026, 10, 25, 11, 0, tzinfo=UTC)),
    ],
)
def test_an_hours_clock_counts_elapsed_hours_across_the_clock_changes(trigger: datetime, due_at: datetime) -> None:
    assert compute_due(HOURS_24, "referral_decision", trigger, NATIONAL).due_at == due_at


@given(
    st.datetimes(
        min_value=datetime(2016, 1, 1),
        max_value=datetime(2036, 12, 31),
        timezones=st.just(LONDON),
        allow_imaginary=False,
    )
)
def test_an_hours_clock_is_always_exactly_that_many_elapsed_hours(trigger: datetime) -> None:
    due = compute_due(HOURS_24, "referral_decision", trigger, NATIONAL)
    assert due.due_at is not None
    assert due.due_at.astimezone(UTC) - trigger.astimezone(UTC) == timedelta(hours=24)


def test_reports_before_a_conference_count_working_days_back_over_new_year() -> None:
    due = compute_due(EXAMPLE, "icpc_reports_to_parents", _london(2027, 1, 4, 10, 0), NATIONAL)
    assert due.due_date == date(2026, 12, 29)
    assert due.passes_at == _london(2026, 12, 30, 0, 0)
    assert due.basis == "3 working days before the initial conference on Mon 4 Jan 2027; 1 Jan is a bank holiday"


def test_review_reports_count_back_over_christmas() -> None:
    due = compute_due(EXAMPLE, "review_reports_to_parents", _london(2027, 1, 5, 10, 0), NATIONAL)
    assert due.due_date == date(2026, 12, 24)
    assert due.basis == (
        "5 working days before the review conference on Tue 5 Jan 2027; 25, 28 Dec and 1 Jan are bank holidays"
    )


def test_reports_48_hours_before_a_conference_count_back_elapsed_hours_over_the_clock_change() -> None:
    due = compute_due(HOURS_24, "icpc_reports_to_parents", _london(2026, 3, 30, 10, 0), NATIONAL)
    assert due.due_at == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    assert due.basis.startswith("48 hours before the initial conference at Mon 30 Mar 2026 10:00;")


def test_a_local_rule_the_profile_leaves_unset_is_never_guessed() -> None:
    bare = ProcedureProfile(
        authority="bare",
        name="Bare",
        version="1",
        effective_from=date(2026, 4, 1),
        escalation=Escalation(service_manager_after_working_days=2),
    )
    with pytest.raises(RuleNotSet, match=r"core_group_interval.*bare@1#"):
        compute_due(bare, "core_group_interval", _london(2026, 12, 22, 12, 0), NATIONAL)


def test_a_day_deadline_passes_at_midnight_in_england_at_the_end_of_the_due_date() -> None:
    winter = compute_due(EXAMPLE, "icpc", _london(2026, 12, 22, 12, 0), NATIONAL)
    assert winter.passes_at == datetime(2027, 1, 16, 0, 0, tzinfo=UTC)
    summer = compute_due(EXAMPLE, "first_review", _london(2027, 1, 15, 11, 0), NATIONAL)
    assert summer.due_date == date(2027, 4, 15)
    assert summer.passes_at == datetime(2027, 4, 15, 23, 0, tzinfo=UTC)  # midnight BST


def test_a_late_evening_trigger_in_summer_counts_from_its_date_in_england() -> None:
    # 23:30 UTC on Mon 29 Jun 2026 is 00:30 BST on Tue 30 Jun: day 0 is Tuesday.
    due = compute_due(EXAMPLE, "referral_decision", datetime(2026, 6, 29, 23, 30, tzinfo=UTC), NATIONAL)
    assert due.due_date == date(2026, 7, 1)


def test_a_review_due_on_a_bank_holiday_moves_back_and_the_basis_names_the_holiday() -> None:
    due = compute_due(EXAMPLE, "first_review", _london(2026, 5, 31, 12, 0), NATIONAL)
    assert due.due_date == date(2026, 8, 28)
    assert due.basis == (
        "3 calendar months after the initial conference on Sun 31 May 2026; Mon 31 Aug 2026 is Late Summer "
        "Bank Holiday, so the deadline moves back to the previous working day"
    )


def test_a_review_due_on_a_weekend_moves_back_past_christmas() -> None:
    due = compute_due(EXAMPLE, "later_review", _london(2026, 6, 27, 12, 0), NATIONAL)
    assert due.due_date == date(2026, 12, 24)
    assert due.basis == (
        "6 calendar months after the last review conference on Sat 27 Jun 2026; Sun 27 Dec 2026 is a "
        "weekend, so the deadline moves back to the previous working day"
    )


def test_calendar_days_count_every_day() -> None:
    due = compute_due(EXAMPLE, "lado_review_meeting", _london(2026, 12, 7, 12, 0), NATIONAL)
    assert due.due_date == date(2027, 1, 4)
    assert due.basis == "28 calendar days after the last allegation management meeting on Mon 7 Dec 2026"


def test_the_basis_uses_the_callers_label_for_the_trigger() -> None:
    due = compute_due(
        EXAMPLE, "icpc", _london(2027, 3, 1, 12, 0), NATIONAL, trigger_label="the start of the s47 enquiry"
    )
    assert due.basis == "15 working days after the start of the s47 enquiry on Mon 1 Mar 2027"
    assert due.due_date == date(2027, 3, 22)


def test_a_trigger_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_due(EXAMPLE, "icpc", datetime(2026, 12, 22, 12, 0), NATIONAL)


def test_the_24_hour_profile_sets_its_own_strategy_discussion_limit_in_working_days() -> None:
    due = compute_due(HOURS_24, "strategy_discussion", _london(2026, 12, 22, 12, 0), WITH_LOCAL_CLOSURES)
    assert due.clock is ClockKind.WORKING_DAYS
    assert due.due_date == date(2027, 1, 4)  # 23, 29, 30, 31 Dec, 4 Jan: 24 Dec closed locally
