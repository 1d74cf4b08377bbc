"""The simulated caseload (pure): reproducible from its seed, in office hours, and true to its rates."""

from __future__ import annotations

import itertools
from datetime import date, time

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import AssessmentOutcome
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import CLOSES, OPENS, Step, generate
from safeguarding.simulation.national_rates import DFE_2024, NationalRates
from safeguarding.working_days import LONDON, add_calendar_months, is_working_day, local_date

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
        first = steps[: steps.index(Step.RE_REFER)] if Step.RE_REFER in steps else steps
        assert (Step.AUTHORISE in first) == (referral.assessment is not None)
        assert (Step.DISCUSS in first) == referral.enquiry
        assert (Step.CONFERENCE in first) == referral.conference
        assert (Step.REVIEW in first) == (referral.plan_months is not None)


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


def test_a_plan_is_reviewed_within_3_months_then_6_and_ends_at_the_first_review_after_its_length() -> None:
    referrals = generate(2000, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=4)
    plans = [r for r in referrals if r.plan_months is not None]
    assert plans
    for referral in plans:
        protection = referral.child_protection
        assert protection is not None and protection.conference_day is not None
        reviews = [local_date(moment) for moment, step in referral.steps if step is Step.REVIEW]
        assert reviews[0] <= add_calendar_months(protection.conference_day, 3)
        for earlier, later in itertools.pairwise(reviews):
            assert later <= add_calendar_months(earlier, 6)
        assert reviews[-1] >= add_calendar_months(protection.conference_day, referral.plan_months)
        assert all(r < add_calendar_months(protection.conference_day, referral.plan_months) for r in reviews[:-1])


def test_conferences_within_15_working_days_under_fives_and_unborn_children_follow_their_rates() -> None:
    referrals = generate(4000, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=6)
    conferences = [r.child_protection for r in referrals if r.conference and r.child_protection is not None]
    within = [p for p in conferences if p.within_15]
    assert len(within) / len(conferences) == pytest.approx(DFE_2024.icpc_within_15_working_days, abs=0.06)
    unborn = sum(r.date_of_birth is None for r in referrals) / len(referrals)
    assert unborn == pytest.approx(DFE_2024.unborn, abs=0.01)
    joint = sum(r.joint_visit(r.received_at) for r in referrals) / len(referrals)
    assert joint == pytest.approx(DFE_2024.unborn + DFE_2024.under_five, abs=0.03)


def test_only_a_child_whose_assessment_closed_the_case_is_referred_again_and_assessed_again() -> None:
    referrals = generate(2000, FIRST, LAST, CALENDAR, DFE_2024, Behaviour(), seed=9)
    again = [r for r in referrals if r.re_referred]
    assert again
    for referral in again:
        assert referral.assessment in (AssessmentOutcome.NFA, AssessmentOutcome.FAMILY_SUPPORT_PLAN)
        steps = [step for _, step in referral.steps]
        assert steps[steps.index(Step.RE_REFER) :] == [
            Step.RE_REFER,
            Step.CONSENT,
            Step.DECIDE,
            Step.ALLOCATE,
            Step.CHILD_SEEN,
            Step.SUBMIT,
            Step.AUTHORISE,
        ]
        assert referral.second_assessment is not None
    assert all(r.second_assessment is None for r in referrals if not r.re_referred)
