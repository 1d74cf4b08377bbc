"""Draw a reproducible caseload: each referral's arrival, its path, and when each step is taken.

Referrals arrive on the working days of the period, spread evenly at random, in office hours; each then
follows the path the national rates give it (`national_rates`) at the pace the behaviour model gives it
(`behaviour`). Everything comes from one seeded `random.Random`, so a seed gives the same caseload again.
The steps are the decisions the workflows await (statutory-rules.md §2, §3): the referral decision, the
allocation, the child seen, the submission and the authorisation. A step that would fall after the period
is still drawn; the runner stops at the period's end and leaves it open, as a census date finds it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar

from safeguarding.codes import AssessmentOutcome, ContactOutcome, ReferralSource, Sex
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.national_rates import NationalRates
from safeguarding.working_days import WorkingCalendar, add_working_days, at_local_time, is_working_day, local_date

OPENS, CLOSES = 9, 17
"""Office hours the simulated people keep (local time)."""
YOUNGEST, OLDEST = 5, 17
"""Ages drawn: a child under five is assessed jointly with health (§3), a path the runner does not drive yet."""


T = TypeVar("T")


class Step(StrEnum):
    """A decision the runner makes on a referral's processes, in order."""

    CONSENT = "record_consent"
    DECIDE = "decide_contact"
    ALLOCATE = "allocate"
    CHILD_SEEN = "record_child_seen"
    SUBMIT = "submit_assessment"
    AUTHORISE = "authorise"


@dataclass(frozen=True)
class Referral:
    """One simulated referral of a new child: who, when, and what becomes of it."""

    index: int
    received_at: datetime
    source: ReferralSource
    sex: Sex
    date_of_birth: date
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
    """Whether the child is referred again within 12 months (drawn; not yet driven)."""


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
    arrivals = sorted(
        at_local_time(rng.choice(working), time(OPENS)) + timedelta(minutes=rng.randrange((CLOSES - OPENS - 1) * 60))
        for _ in range(count)
    )
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
    age_days = rng.randrange(YOUNGEST * 366, (OLDEST + 1) * 365)
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
    re_referred = rng.random() < rates.re_referral

    decided = _after_working_hours(received_at, _exponential(rng, behaviour.decision_hours), calendar)
    steps = [
        (received_at + timedelta(minutes=30), Step.CONSENT),
        (max(decided, received_at + timedelta(hours=1)), Step.DECIDE),
    ]
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
        allocated = _after_working_days(steps[-1][0], _exponential(rng, behaviour.allocation_days), calendar, rng)
        visit = _exponential(rng, behaviour.visit_days)
        if rng.random() < behaviour.visit_slip:
            visit += _exponential(rng, behaviour.slip_days)
        seen = _after_working_days(allocated, visit, calendar, rng)
        submitted = _after_working_days(seen, _exponential(rng, behaviour.write_up_days), calendar, rng)
        authorised = _after_working_days(submitted, _exponential(rng, behaviour.authorise_days), calendar, rng)
        steps += [
            (allocated, Step.ALLOCATE),
            (seen, Step.CHILD_SEEN),
            (submitted, Step.SUBMIT),
            (authorised, Step.AUTHORISE),
        ]
    front_door = (
        ContactOutcome.ASSESSMENT
        if assessed
        else ContactOutcome.EARLY_HELP
        if early_help
        else ContactOutcome.NFA_ADVICE
    )
    return Referral(
        index=index,
        received_at=received_at,
        source=source,
        sex=sex,
        date_of_birth=local_date(received_at) - timedelta(days=age_days),
        front_door=front_door,
        assessment=outcome,
        steps=tuple(steps),
        enquiry=enquiry,
        conference=conference,
        plan_months=plan_months,
        re_referred=re_referred,
    )


def _pick(rng: random.Random, weighted: tuple[tuple[float, T], ...]) -> T:
    return rng.choices([value for _, value in weighted], weights=[weight for weight, _ in weighted])[0]


def _exponential(rng: random.Random, mean: float) -> float:
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


def _after_working_days(start: datetime, days: float, calendar: WorkingCalendar, rng: random.Random) -> datetime:
    """Return a moment in office hours `days` working days (rounded up) after `start`: later the same day for 0."""
    whole = math.ceil(days)
    if whole == 0:
        later = start + timedelta(minutes=30 + rng.randrange(60))
        if later < at_local_time(local_date(start), time(CLOSES)):
            return later
        whole = 1
    day = add_working_days(local_date(start), whole, calendar)
    return at_local_time(day, time(OPENS)) + timedelta(minutes=rng.randrange((CLOSES - OPENS) * 60))
