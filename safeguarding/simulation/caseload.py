"""Draw a reproducible caseload: each referral's arrival, its path, and when each step is taken.

Referrals arrive on the working days of the period, spread evenly at random, in office hours; each then
follows the path the national rates give it (`national_rates`) at the pace the behaviour model gives it
(`behaviour`). Everything comes from one seeded `random.Random`, so a seed gives the same caseload again.
The steps are the decisions the workflows await: the referral decision, the allocation, the child seen
(with the health visitor, or the midwife before birth, for a child under five or unborn), the submission
and the authorisation (statutory-rules.md §2, §3); for a child sent on to a section 47 enquiry, the
strategy discussion, the enquiry's conclusion, the initial conference within or past its 15 working days
and, with a plan, each review conference until the review that ends the plan (§4, §5); and a child whose
assessment closed may be referred again within 12 months. A step that would fall after the period is still
drawn; the runner stops at the period's end and leaves it open, as a census date finds it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar

from safeguarding.codes import (
    AssessmentOutcome,
    ContactOutcome,
    CpCategory,
    EnquiryOutcome,
    ReferralSource,
    Sex,
    StrategyOutcome,
)
from safeguarding.joint_visits import needs_joint_visit
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.national_rates import NationalRates
from safeguarding.store.cases import age_band
from safeguarding.working_days import (
    WorkingCalendar,
    add_calendar_months,
    add_working_days,
    at_local_time,
    is_working_day,
    local_date,
    months_due,
    subtract_working_days,
)

OPENS, CLOSES = 9, 17
"""Office hours the simulated people keep (local time)."""
OLDEST = 17
"""The oldest age drawn (a child in need is under 18)."""
REVIEW_EARLY = 2
"""Review conferences are held this many working days before they fall due (3 months after the initial
conference, then 6 months after the last review, §5)."""
RE_REFERRAL_WORKING_DAYS = (20, 240)
"""A re-referral comes this many working days (at least, at most) after the first assessment closed: within
the 12 months the DfE's re-referral rate counts."""


T = TypeVar("T")


class Step(StrEnum):
    """A decision the runner makes on a referral's processes, in order."""

    CONSENT = "record_consent"
    DECIDE = "decide_contact"
    ALLOCATE = "allocate"
    CHILD_SEEN = "record_child_seen"
    SUBMIT = "submit_assessment"
    AUTHORISE = "authorise"
    DISCUSS = "decide_strategy"
    CONCLUDE = "conclude_enquiry"
    CONFERENCE = "decide_conference"
    REVIEW = "decide_review"
    RE_REFER = "record_contact"
    """A second contact about the same child: the front door and assessment steps follow again."""


@dataclass(frozen=True)
class ChildProtection:
    """What becomes of a child sent on to a section 47 enquiry (statutory-rules.md §4, §5)."""

    strategy: StrategyOutcome
    """Single-agency or joint with the police."""
    enquiry: EnquiryOutcome
    conference_day: date | None
    """When the initial conference is held (None when the enquiry does not substantiate the concerns)."""
    within_15: bool
    """Whether the conference is held within 15 working days of the strategy discussion."""
    category: CpCategory | None
    """The plan's category when the conference makes a plan."""
    plan_months: int | None
    """How long the plan lasts at least: it ends at the first review on or after that many months."""


@dataclass(frozen=True)
class Referral:
    """One simulated referral of a new child: who, when, and what becomes of it."""

    index: int
    received_at: datetime
    source: ReferralSource
    sex: Sex
    date_of_birth: date | None
    expected_birth_date: date | None
    """For an unborn child (then `date_of_birth` is None)."""
    front_door: ContactOutcome
    assessment: AssessmentOutcome | None
    """The outcome the assessment reaches (None when the referral is not assessed)."""
    steps: tuple[tuple[datetime, Step], ...]
    enquiry: bool
    """Whether the national rates send the child on to a section 47 enquiry (the assessment then ends in a
    strategy discussion)."""
    conference: bool
    plan_months: int | None
    """How long the child protection plan would last, when there is one."""
    re_referred: bool
    """Whether the child is referred again within 12 months (after an assessment that closed the case)."""
    health_leads: bool
    """For a child under five or unborn: whether the health practitioner knows the family and leads the joint
    visit (and, with the family's consent, a Family Support Plan)."""
    child_protection: ChildProtection | None
    second_assessment: AssessmentOutcome | None
    """The outcome of the assessment after a re-referral (its steps follow `Step.RE_REFER`)."""

    def joint_visit(self, assessment_started: datetime) -> bool:
        """Whether an assessment started then is done jointly with health: a child under five or unborn (§3).

        The age band on the day the assessment starts, as the assessment works it out from the case store.
        """
        band = age_band(
            date_of_birth=self.date_of_birth,
            expected_birth_date=self.expected_birth_date,
            on=local_date(assessment_started),
        )
        return needs_joint_visit(band)


def generate(
    count: int,
    first_day: date,
    last_day: date,
    calendar: WorkingCalendar,
    rates: NationalRates,
    behaviour: Behaviour,
    seed: int,
) -> list[Referral]:
    """Return `count` referrals arriving on the working days from `first_day` to `last_day`, by arrival."""
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    working = [day for day in days if is_working_day(day, calendar)]
    if not working:
        raise ValueError("the period has no working day")
    rng = random.Random(seed)
    arrivals = sorted(arrival(rng.choice(working), rng) for _ in range(count))
    return [_referral(n, at, rng, calendar, rates, behaviour) for n, at in enumerate(arrivals, start=1)]


def _referral(
    index: int,
    received_at: datetime,
    rng: random.Random,
    calendar: WorkingCalendar,
    rates: NationalRates,
    behaviour: Behaviour,
) -> Referral:
    # The order of draws is fixed, so a seed gives the same caseload whatever the outcomes.
    source = _pick(rng, rates.referral_sources)
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    age = rng.random()
    age_days = (
        rng.randrange(1, 5 * 365)
        if age < rates.unborn + rates.under_five
        else rng.randrange(5 * 366, (OLDEST + 1) * 365)
    )
    due_in_days = rng.randrange(30, 270)
    assessed = rng.random() < rates.assessed
    early_help = rng.random() < rates.early_help_of_not_assessed
    # An enquiry comes out of an assessment here; its rate per referral is a rate per assessment over `assessed`.
    enquiry = assessed and rng.random() < min(1.0, rates.section_47_per_referral / rates.assessed)
    # Not in need is a share of all assessments; those that lead to an enquiry found a need, so it is a larger
    # share of the rest.
    not_in_need = rng.random() < min(1.0, rates.not_in_need / (1 - rates.section_47_per_referral / rates.assessed))
    family_support = rng.random() < rates.family_support_of_in_need
    conference = enquiry and rng.random() < rates.icpc_per_section_47
    plan = conference and rng.random() < rates.plan_per_icpc
    low, high = _pick(rng, tuple((share, (lo, hi)) for share, lo, hi in rates.plan_length_months))
    plan_months = rng.randrange(low, high) if plan else None
    re_referral = rng.random() < rates.re_referral
    health_leads = rng.random() < behaviour.health_knows_family
    today = local_date(received_at)
    unborn = age < rates.unborn

    steps = _front_door_and_assessment(received_at, rng, calendar, behaviour, assessed=assessed)
    front_door = (
        ContactOutcome.ASSESSMENT
        if assessed
        else ContactOutcome.EARLY_HELP
        if early_help
        else ContactOutcome.NFA_ADVICE
    )
    outcome = None
    if assessed:
        outcome = (
            AssessmentOutcome.STRATEGY_DISCUSSION
            if enquiry
            else AssessmentOutcome.NFA
            if not_in_need
            else AssessmentOutcome.FAMILY_SUPPORT_PLAN
            if family_support
            else AssessmentOutcome.CIN_PLAN
        )
    child_protection = None
    if enquiry:
        child_protection = _child_protection(
            steps, rng, calendar, rates, behaviour, conference=conference, plan_months=plan_months
        )
    # A re-referral needs a closed case to come back to: an assessment that ended with no plan to continue.
    re_referred = re_referral and outcome in (AssessmentOutcome.NFA, AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    second = None
    if re_referred:
        low_days, high_days = RE_REFERRAL_WORKING_DAYS
        closed_on = local_date(steps[-1][0])
        again = arrival(add_working_days(closed_on, rng.randrange(low_days, high_days), calendar), rng)
        more = _front_door_and_assessment(again, rng, calendar, behaviour, assessed=True)
        second = AssessmentOutcome.NFA if rng.random() < rates.not_in_need else AssessmentOutcome.CIN_PLAN
        steps += [(again, Step.RE_REFER), *more]
    return Referral(
        index=index,
        received_at=received_at,
        source=source,
        sex=sex,
        date_of_birth=None if unborn else today - timedelta(days=age_days),
        expected_birth_date=today + timedelta(days=due_in_days) if unborn else None,
        front_door=front_door,
        assessment=outcome,
        steps=tuple(steps),
        enquiry=enquiry,
        conference=conference,
        plan_months=plan_months,
        re_referred=re_referred,
        health_leads=health_leads,
        child_protection=child_protection,
        second_assessment=second,
    )


def _front_door_and_assessment(
    received_at: datetime,
    rng: random.Random,
    calendar: WorkingCalendar,
    behaviour: Behaviour,
    *,
    assessed: bool,
) -> list[tuple[datetime, Step]]:
    """Draw the moments of the front door's steps and, when the referral is assessed, the assessment's."""
    decided = _after_working_hours(
        received_at, exponential(rng, behaviour.manager_days(behaviour.decision_hours)), calendar
    )
    steps = [
        (received_at + timedelta(minutes=30), Step.CONSENT),
        (max(decided, received_at + timedelta(hours=1)), Step.DECIDE),
    ]
    if not assessed:
        return steps
    allocated = after_working_days(
        steps[-1][0], exponential(rng, behaviour.manager_days(behaviour.allocation_days)), calendar, rng
    )
    visit = exponential(rng, behaviour.visit_days)
    if rng.random() < behaviour.visit_slip:
        visit += exponential(rng, behaviour.slip_days)
    seen = after_working_days(allocated, visit, calendar, rng)
    submitted = after_working_days(seen, exponential(rng, behaviour.write_up_days), calendar, rng)
    authorised = after_working_days(
        submitted, exponential(rng, behaviour.manager_days(behaviour.authorise_days)), calendar, rng
    )
    steps += [
        (allocated, Step.ALLOCATE),
        (seen, Step.CHILD_SEEN),
        (submitted, Step.SUBMIT),
        (authorised, Step.AUTHORISE),
    ]
    return steps


def _child_protection(
    steps: list[tuple[datetime, Step]],
    rng: random.Random,
    calendar: WorkingCalendar,
    rates: NationalRates,
    behaviour: Behaviour,
    *,
    conference: bool,
    plan_months: int | None,
) -> ChildProtection:
    """Append the strategy discussion, the enquiry's conclusion, the conference and the reviews to `steps`."""
    strategy = (
        StrategyOutcome.S47_JOINT_WITH_POLICE
        if rng.random() < rates.joint_with_police
        else StrategyOutcome.S47_SINGLE_AGENCY
    )
    not_substantiated = _pick(rng, rates.not_substantiated)
    within_15 = rng.random() < rates.icpc_within_15_working_days
    category = _pick(rng, rates.initial_category)
    discussed = after_working_days(steps[-1][0], exponential(rng, behaviour.discussion_days), calendar, rng)
    discussion_day = local_date(discussed)
    # Concluded by the 14th working day, so a conference within 15 working days stays possible.
    enquiry_days = 1 + min(int(exponential(rng, behaviour.enquiry_days)), 13)
    conference_after = rng.randint(enquiry_days + 1, 15) if within_15 else rng.randint(16, 25)
    concluded_day = add_working_days(discussion_day, enquiry_days, calendar)
    steps += [(discussed, Step.DISCUSS), (at_local_time(concluded_day, time(OPENS, 30)), Step.CONCLUDE)]
    if not conference:
        return ChildProtection(strategy, not_substantiated, None, within_15, None, None)
    conference_day = add_working_days(discussion_day, conference_after, calendar)
    steps.append((at_local_time(conference_day, time(OPENS + 1)), Step.CONFERENCE))
    if plan_months is None:
        return ChildProtection(strategy, EnquiryOutcome.SUBSTANTIATED, conference_day, within_15, None, None)
    ends = add_calendar_months(conference_day, plan_months)
    due = months_due(conference_day, 3, calendar)
    while True:
        held = subtract_working_days(due, REVIEW_EARLY, calendar)
        steps.append((at_local_time(held, time(OPENS + 1)), Step.REVIEW))
        if held >= ends:
            break
        due = months_due(held, 6, calendar)
    return ChildProtection(strategy, EnquiryOutcome.SUBSTANTIATED, conference_day, within_15, category, plan_months)


def review_ends_plan(referral: Referral, moment: datetime) -> bool:
    """Return whether the review conference held at `moment` ends the referral's plan (its last review)."""
    reviews = [at for at, step in referral.steps if step is Step.REVIEW]
    return bool(reviews) and moment == reviews[-1]


def arrival(day: date, rng: random.Random) -> datetime:
    """Return a moment on `day` in office hours, an hour before closing at the latest: the front door's day."""
    return at_local_time(day, time(OPENS)) + timedelta(minutes=rng.randrange((CLOSES - OPENS - 1) * 60))


def _pick(rng: random.Random, weighted: tuple[tuple[float, T], ...]) -> T:
    return rng.choices([value for _, value in weighted], weights=[weight for weight, _ in weighted])[0]


def exponential(rng: random.Random, mean: float) -> float:
    return rng.expovariate(1 / mean) if mean > 0 else 0.0


def _after_working_hours(start: datetime, hours: float, calendar: WorkingCalendar) -> datetime:
    """Return the moment `hours` office hours after `start` (which is in office hours on a working day)."""
    day, moment = local_date(start), start
    left = timedelta(hours=hours)
    while True:
        closing = at_local_time(day, time(CLOSES))
        if moment + left < closing:
            return (moment + left).replace(second=0, microsecond=0)
        left -= closing - moment
        day = add_working_days(day, 1, calendar)
        moment = at_local_time(day, time(OPENS))


def after_working_days(start: datetime, days: float, calendar: WorkingCalendar, rng: random.Random) -> datetime:
    """Return a moment in office hours `days` working days (rounded up) after `start`: later the same day for 0."""
    whole = math.ceil(days)
    if whole == 0:
        later = start + timedelta(minutes=30 + rng.randrange(60))
        if later < at_local_time(local_date(start), time(CLOSES)):
            return later
        whole = 1
    day = add_working_days(local_date(start), whole, calendar)
    return at_local_time(day, time(OPENS)) + timedelta(minutes=rng.randrange((CLOSES - OPENS) * 60))
