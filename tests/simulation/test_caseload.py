"""The simulated caseload (pure): reproducible from its seed, in office hours, and true to its rates."""

from __future__ import annotations

from datetime import date, time

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import CLOSES, OPENS, Step, generate
from safeguarding.simulation.national_rates import DFE_2024, NationalRates
from safeguarding.working_days import LONDON, is_working_day, local_date

CALENDAR = england_and_wales_calendar(today=date(2026, 11, 30))
# Christmas, Boxing Day (a Saturday, so Monday 28th) and New Year's Day fall in the period.
FIRST, LAST = date(2026, 12, 1), date(2027, 1, 31)


def test_the_same_seed_draws_the_same_caseload_and_another_seed_another() -> None:
    first = generate(40, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=7)
    assert first == generate(40, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=7)
    assert first != generate(40, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=8)


def test_every_referral_arrives_in_the_period_and_every_step_in_office_hours_in_order() -> None:
    referrals = generate(200, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=1)
    assert len(referrals) == 200
    for referral in referrals:
        moments = [referral.received_at, *(moment for moment, _ in referral.steps)]
        assert moments == sorted(moments)
        assert FIRST <= local_date(referral.received_at) <= LAST
        for moment in moments:
            local = moment.astimezone(LONDON)
            assert is_working_day(local.date(), CALENDAR), moment
            assert time(OPENS) <= local.time() <= time(CLOSES), moment
        steps = [step for _, step in referral.steps]
        assert steps[:2] == [Step.CONSENT, Step.DECIDE]
        assert (len(steps) == 6) == (referral.assessment is not None)


def test_the_paths_drawn_follow_the_national_rates() -> None:
    referrals = generate(4000, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=3)
    assessed = sum(r.assessment is not None for r in referrals) / len(referrals)
    enquiries = sum(r.enquiry for r in referrals) / len(referrals)
    assert assessed == pytest.approx(DFE_2024.assessed, abs=0.03)
    assert enquiries == pytest.approx(DFE_2024.section_47_per_referral, abs=0.03)
    conferences = sum(r.conference for r in referrals) / sum(r.enquiry for r in referrals)
    assert conferences == pytest.approx(DFE_2024.icpc_per_section_47, abs=0.05)


def test_a_visit_that_never_slips_and_instant_managers_shorten_the_assessments() -> None:
    def mean_days(behaviour: Behaviour) -> float:
        referrals = generate(300, FIRST, LAST, CALENDAR, NationalRates(assessed=1.0), behaviour, seed=5)
        spans = [(r.steps[-1][0] - r.received_at).days for r in referrals]
        return sum(spans) / len(spans)

    slow = Behaviour(visit_slip=1.0, slip_days=20.0, authorise_days=10.0)
    quick = Behaviour(visit_slip=0.0, authorise_days=0.0, allocation_days=0.0)
    assert mean_days(quick) < mean_days(slow)


def test_a_negative_delay_or_a_share_above_one_is_refused() -> None:
    with pytest.raises(ValueError, match="write_up_days"):
        Behaviour(write_up_days=-1)
    with pytest.raises(ValueError, match="visit_slip"):
        Behaviour(visit_slip=1.5)
