"""Draw the LADO allegations and family group conferences of a simulated period, from the authority's own figures.

The DfE publishes no national volume for either: LADO allegations are outside the children in need census,
and family group decision-making appears only in the 2026/27 census's pre-proceedings block. So neither has
a national rate (`national_rates`); the authority supplies its own figures (`Behaviour.lado_allegations`,
from its LADO annual report, and `Behaviour.fgc_share`, from its own service data), and both default to 0.
The draws use a random generator of their own, seeded from the run's seed, so setting them leaves the
referrals' caseload (`caseload.generate`) as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from safeguarding.codes import AssessmentOutcome, ContactOutcome
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import (
    Referral,
    Step,
    after_working_days,
    arrival,
    exponential,
)
from safeguarding.working_days import WorkingCalendar, add_working_days, at_local_time, is_working_day, local_date

IN_NEED = (AssessmentOutcome.CIN_PLAN, AssessmentOutcome.FAMILY_SUPPORT_PLAN)
"""The assessments an FGC is drawn for: the child found in need without an enquiry, so the case stays open."""
FGC_NOTICE_WORKING_DAYS = 10
"""The coordinator needs at least this many working days to prepare the conference with the family (ours)."""
DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class DrawnAllegation:
    """One allegation notified to the LADO (statutory-rules.md §6): when, and when its steps are taken."""

    index: int
    notified_at: datetime
    meeting_at: datetime
    """The allegation management meeting: the next working day."""
    outcome_at: datetime


@dataclass(frozen=True)
class DrawnConference:
    """A family group conference offered during a referral's assessment (statutory-rules.md §7)."""

    referral_index: int
    referred_at: datetime
    """Just after the assessment's allocation: the social worker refers and the manager agrees the same day."""
    conference_at: datetime


def allegations_in_period(per_year: float, first_day: date, last_day: date) -> int:
    """Return how many allegations fall in the period: the yearly figure in proportion to its calendar days."""
    return round(per_year * ((last_day - first_day).days + 1) / DAYS_IN_YEAR)


def draw_allegations(
    first_day: date, last_day: date, calendar: WorkingCalendar, behaviour: Behaviour, seed: int
) -> list[DrawnAllegation]:
    """Return the period's allegations, notified on its working days in office hours, by notification."""
    count = allegations_in_period(behaviour.lado_allegations, first_day, last_day)
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    working = [day for day in days if is_working_day(day, calendar)]
    rng = random.Random(f"{seed}-lado")
    notified = sorted(arrival(rng.choice(working), rng) for _ in range(count)) if working else []
    drawn = []
    for index, at in enumerate(notified, start=1):
        meeting = at_local_time(add_working_days(local_date(at), 1, calendar), time(10))
        # The outcome is recorded at least the working day after the meeting.
        outcome = after_working_days(meeting, max(1.0, exponential(rng, behaviour.lado_outcome_days)), calendar, rng)
        drawn.append(DrawnAllegation(index, at, meeting, outcome))
    return drawn


def draw_conferences(
    referrals: list[Referral], calendar: WorkingCalendar, behaviour: Behaviour, seed: int
) -> list[DrawnConference]:
    """Return the conferences offered: `fgc_share` of the first assessments that find the child in need."""
    rng = random.Random(f"{seed}-fgc")
    drawn = []
    for referral in referrals:
        # One draw for every referral, whatever its path, so the draws do not shift with the outcomes.
        offered = rng.random() < behaviour.fgc_share
        delay = FGC_NOTICE_WORKING_DAYS + exponential(rng, behaviour.fgc_days)
        if not offered or referral.front_door is not ContactOutcome.ASSESSMENT or referral.assessment not in IN_NEED:
            continue
        allocated = next(at for at, step in referral.steps if step is Step.ALLOCATE)
        referred = allocated + timedelta(minutes=15)
        held = at_local_time(add_working_days(local_date(referred), round(delay), calendar), time(10))
        drawn.append(DrawnConference(referral.index, referred, held))
    return drawn
