"""A generated caseload of any size, for the census tests: every pathway of §2–§5, on random dates, seeded.

Each child is referred once or twice between October 2025 and March 2027 and follows one pathway: an
assessment closed with no further action or early help; an assessment and a CIN plan (ended, the case
closed, or still open); a section 47 not substantiated; a section 47, an initial conference and a CP plan
with reviews (ended or open); a conference without a plan and a CIN plan; or an assessment still going on.
Dates keep the processes' own order (a conference on a weekday after the enquiry starts, a CP plan starting
on the conference day, reviews within 3 then 6 months). The records are those `tests.census.records` writes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import (
    AssessmentFactor,
    AssessmentOutcome,
    ConferenceOutcome,
    ContactOutcome,
    CpCategory,
    Disability,
    EnquiryOutcome,
    Ethnicity,
    PlanKind,
    PrimaryNeed,
    Process,
    ReasonForClosure,
    ReferralSource,
)
from tests.census import records
from tests.factories import create_case, create_team

FIRST_REFERRAL = date(2025, 10, 1)
LAST_REFERRAL = date(2027, 3, 10)
OPEN_ASSESSMENTS_FROM = date(2027, 1, 15)
PATHWAYS = ("nfa", "early_help", "cin_plan", "s47_nfa", "cp_plan", "no_plan", "open_assessment")


def weekdays_after(day: date, n: int) -> date:
    """The `n`th weekday after `day`."""
    while n > 0:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


async def build_generated_caseload(db: async_sessionmaker[AsyncSession], children: int, seed: int) -> None:
    """Write `children` generated children's cases, each with one or two episodes."""
    rng = random.Random(seed)
    async with db.begin() as session:
        team_id = await create_team(session)
        for _ in range(children):
            born = date(2009, 6, 1) + timedelta(days=rng.randrange(16 * 365))
            case = await create_case(session, team_id=team_id, date_of_birth=born)
            await records.characterise(
                session,
                case.child_id,
                sex=rng.choice("MF"),
                ethnicity=str(rng.choice(list(Ethnicity))),
                upn_unknown="UN3",
                disabilities=[str(Disability.NONE)] if rng.random() < 0.8 else [str(rng.choice(list(Disability)[1:]))],
            )
            referred = weekdays_after(FIRST_REFERRAL, rng.randrange(360))
            case_id = case.case_id
            while referred <= LAST_REFERRAL:
                ended = await _episode(session, rng, case_id, case.child_id, team_id, referred)
                if ended is None:
                    break
                ended_on, case_closed = ended
                referred = weekdays_after(ended_on, rng.randrange(20, 200))
                if case_closed:  # a closed case is not reopened: the next referral opens a new one
                    case_id = await records.new_case(session, case.child_id, team_id, referred)


async def _episode(
    session: AsyncSession, rng: random.Random, case_id: str, child_id: str, team_id: str, referred: date
) -> tuple[date, bool] | None:
    """One episode from a referral on `referred`: the day it closed and whether its case closed, or None if open."""
    pathway = rng.choice(PATHWAYS)
    if pathway == "open_assessment" and referred < OPEN_ASSESSMENTS_FROM:
        pathway = "nfa"  # an assessment takes at most 45 working days: only a recent one is still open
    to_s47 = pathway in ("s47_nfa", "cp_plan", "no_plan")
    outcome = ContactOutcome.STRATEGY_DISCUSSION if to_s47 else ContactOutcome.ASSESSMENT
    await records.referral(session, case_id, team_id, referred, str(rng.choice(list(ReferralSource))), outcome)
    started = weekdays_after(referred, 1)
    if pathway == "open_assessment":
        await records.process(session, case_id, team_id, Process.ASSESSMENT, started, None, None)
        return None
    authorised = weekdays_after(started, rng.randrange(5, 40))
    assessment_outcome = {
        "nfa": AssessmentOutcome.NFA,
        "early_help": AssessmentOutcome.FAMILY_SUPPORT_PLAN,
        "cin_plan": AssessmentOutcome.CIN_PLAN,
    }.get(pathway, AssessmentOutcome.STRATEGY_DISCUSSION)
    assessment = await records.process(
        session, case_id, team_id, Process.ASSESSMENT, started, authorised, assessment_outcome,
        {"authorise": [authorised]},
    )  # fmt: skip
    nothing_found = pathway in ("nfa", "early_help") and rng.random() < 0.5
    factors = ["21"] if nothing_found else sorted({str(rng.choice(list(AssessmentFactor)[:-3])) for _ in range(2)})
    need = str(rng.choice([n for n in PrimaryNeed if n is not PrimaryNeed.NOT_STATED]))
    await records.finding(session, case_id, assessment, need, factors)
    if pathway in ("nfa", "early_help"):
        return authorised, False
    if pathway == "cin_plan":
        return await _cin_plan(session, rng, case_id, child_id, assessment, authorised)
    s47_started = weekdays_after(referred, 1)
    if pathway == "s47_nfa":
        concluded = weekdays_after(s47_started, rng.randrange(5, 15))
        closed = max(concluded, authorised)
        await records.process(
            session, case_id, team_id, Process.S47_ENQUIRY, s47_started, concluded,
            EnquiryOutcome.NOT_SUBSTANTIATED_NFA, {"conclude_enquiry": [concluded]},
        )  # fmt: skip
        if closed > concluded:  # the assessment finished after the enquiry: the case is closed then
            await records.close_case(session, case_id, closed, ReasonForClosure.SERVICES_CEASED)
        return closed, closed > concluded
    icpc = weekdays_after(s47_started, rng.randrange(8, 15))
    await records.process(
        session, case_id, team_id, Process.S47_ENQUIRY, s47_started, weekdays_after(s47_started, 7),
        EnquiryOutcome.SUBSTANTIATED, {"conclude_enquiry": [weekdays_after(s47_started, 7)]},
    )  # fmt: skip
    plan_made = pathway == "cp_plan"
    conference = await records.process(
        session, case_id, team_id, Process.INITIAL_CONFERENCE, s47_started, icpc,
        ConferenceOutcome.PLAN if plan_made else ConferenceOutcome.NO_PLAN, {"decide_conference": [icpc]},
    )  # fmt: skip
    await records.icpc_target(session, case_id, team_id, conference, weekdays_after(s47_started, 15))
    if not plan_made:
        return await _cin_plan(session, rng, case_id, child_id, conference, max(icpc, authorised))
    reviews = [weekdays_after(icpc, 60)]
    while rng.random() < 0.6:
        reviews.append(weekdays_after(reviews[-1], 120))
    ends = rng.random() < 0.5
    ended = reviews[-1] if ends else None
    cp_plan = await records.process(
        session, case_id, team_id, Process.CP_PLAN, icpc, ended, None, {"decide_review": reviews}
    )
    category = str(rng.choice(list(CpCategory)))
    await records.plan(
        session, case_id, child_id, cp_plan, PlanKind.CP, icpc, ended, category=category, latest_category=category
    )
    if ended is None:
        return None
    closed = max(ended, authorised)
    await records.close_case(session, case_id, closed, ReasonForClosure.SERVICES_CEASED)
    return closed, True


async def _cin_plan(
    session: AsyncSession, rng: random.Random, case_id: str, child_id: str, workflow_id: str, started: date
) -> tuple[date, bool] | None:
    """A CIN plan from `started`: ended with the case closed (RC7), or still open."""
    if rng.random() < 0.5:
        await records.plan(session, case_id, child_id, workflow_id, PlanKind.CIN, started)
        return None
    ended = weekdays_after(started, rng.randrange(20, 120))
    await records.plan(session, case_id, child_id, workflow_id, PlanKind.CIN, started, ended)
    await records.close_case(session, case_id, ended, ReasonForClosure.SERVICES_CEASED)
    return ended, True
