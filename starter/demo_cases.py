"""The demo's two scripted cases, told the way a team manager would tell them.

1. A 2-year-old (statutory-rules.md §2, §3): a referral in office hours, consent, the decision to assess,
   the joint visit with the health visitor — who leads, being the only one who knows the family — and
   a Family Support Plan led by health with the family's consent, authorised well within 45 working days.
2. A 7-year-old (§1, §3): an assessment allocated and then left. Reminders reach the social worker
   before the 45th working day, the team manager is alerted in office hours once it passes and the service manager
   later; the late authorisation is refused until the reasons for the delay are recorded.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from safeguarding.codes import (
    AssessmentFactor,
    AssessmentOutcome,
    ConsentState,
    ContactOutcome,
    PrimaryNeed,
    ReferralSource,
    Role,
)
from safeguarding.commands.assessment import DebriefAction, assessment_id, joint_visit_id
from safeguarding.deadlines import alert_moment, office_moment
from safeguarding.facts import AssessmentFacts, JointVisitFacts, facts_of
from safeguarding.models import DeadlineView, ProcessStatus
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.store.examples import ExampleCase
from safeguarding.working_days import (
    add_working_days,
    describe_day,
    is_working_day,
    local_date,
    subtract_working_days,
)
from starter.demo_walkthrough import REFERRER_EMAIL, DemoFailed, Walkthrough

SW, TM, HV = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEALTH_VISITOR
MORNING, LATE_MORNING, AFTERNOON = time(10, 0), time(11, 0), time(14, 0)


async def joint_visit_case(walk: Walkthrough) -> None:
    """Walk a 2-year-old's referral through a joint visit to a Family Support Plan led by health."""
    case = walk.ids.under_five
    walk.heading(f"Case {case.reference}: a 2-year-old, assessed jointly with the health visitor")
    assessment, referral = await _refer_and_allocate(
        walk, case, source="health", organisation="Fictional GP Surgery", referral_source=ReferralSource.GP
    )
    joint = await walk.running(joint_visit_id(case.reference))
    await walk.say(
        f"The child is under 5, so the assessment is done jointly with the health visitor ({joint} started)."
    )

    await walk.next_working_day_at(MORNING)
    await walk.decide(SW, joint, "record_family_told")
    await walk.say(f"{walk.name(SW)} tells the family a joint visit will be arranged; the health team is briefed.")
    await walk.mail()
    await walk.later_today(AFTERNOON)
    await walk.decide(HV, joint, "record_background_review")
    await walk.say(
        f"{walk.name(HV)} reviews the case record and chronology; the child is flagged in the health record."
    )

    await walk.next_working_day_at(MORNING)
    await walk.decide(
        SW,
        joint,
        "record_pre_meet",
        health_practitioner_id=walk.ids.health_visitor_id,
        social_worker_knows_family=False,
        health_practitioner_knows_family=True,
    )
    lead = facts_of(JointVisitFacts, (await walk.status(joint)).facts).lead_practitioner
    if lead != "health_practitioner":
        raise DemoFailed(f"the pre-meet chose {lead!r} as lead, not the health practitioner who knows the family")
    await walk.say(
        f"Pre-meet: only the health visitor knows the family, so the health visitor leads the visit "
        f"(lead practitioner: {walk.name(HV)}, health visitor)."
    )

    await walk.next_working_day_at(MORNING)
    await walk.decide(HV, joint, "record_visit", consent_explained=True, information_sharing_consent=ConsentState.GIVEN)
    await walk.decide(SW, assessment, "record_child_seen")
    await walk.say("The joint visit: consent and information sharing explained; the family consents. Child seen.")
    await walk.later_today(time(15, 0))
    actions = (
        DebriefAction(description="Review the child's development at clinic", owner_id=walk.ids.health_visitor_id),
        DebriefAction(description="Speak to the nursery about attendance", owner_id=walk.ids.social_worker_id),
    )
    await walk.decide(SW, joint, "record_debrief", actions=actions)
    await walk.closed(joint)
    await walk.say(
        f"Debrief: two actions agreed — {actions[0].description.lower()} ({walk.name(HV)}); "
        f"{actions[1].description.lower()} ({walk.name(SW)}). The joint visit is done."
    )

    await walk.next_working_day_at(LATE_MORNING)
    await walk.decide(SW, assessment, "submit_assessment", recommended_outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    await walk.say(f"{walk.name(SW)} submits the assessment, recommending a Family Support Plan.")
    await walk.next_working_day_at(MORNING)
    await walk.decide(
        TM,
        assessment,
        "authorise",
        outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN,
        primary_need=PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
        factors=(AssessmentFactor.MENTAL_HEALTH_PARENT,),
        family_consents_to_health_lead=True,
        rationale="Needs can be met by a Family Support Plan; the family agree to the health visitor leading it",
    )
    status = await walk.closed(assessment)
    facts = facts_of(AssessmentFacts, status.facts)
    await walk.say(
        f"{walk.name(TM)} authorises a Family Support Plan, led by the health visitor with the family's consent "
        f"(plan lead: {facts.family_support_plan_lead}, census closure {facts.census_closure_reason})."
    )
    await walk.say(_deadline_outcome(walk, _assessment_deadline(status), referral))


async def missed_deadline_case(walk: Walkthrough) -> None:
    """Walk a 7-year-old's assessment past its deadline, through the alerts, to a late authorisation."""
    case = walk.ids.school_age
    walk.heading(f"Case {case.reference}: a 7-year-old whose assessment is left past its 45 working days")
    assessment, referral = await _refer_and_allocate(
        walk, case, source="school", organisation="Fictional Primary School", referral_source=ReferralSource.SCHOOLS
    )
    deadline = _assessment_deadline(await walk.status(assessment))
    await walk.say("Then nothing more is recorded on the assessment. The clock moves on ...")

    for label, moment in _alarms(walk, deadline):
        await walk.at(moment + timedelta(minutes=5))
        await walk.say(label)
        await walk.mail()

    await walk.later_today(MORNING)
    await walk.decide(SW, assessment, "record_child_seen")
    await walk.later_today(AFTERNOON)
    await walk.decide(SW, assessment, "submit_assessment", recommended_outcome=AssessmentOutcome.CIN_PLAN)
    await walk.say(f"{walk.name(SW)} sees the child and submits the assessment, recommending a Child in Need plan.")

    await walk.next_working_day_at(MORNING)
    rationale = "The child has needs that call for a Child in Need plan under s17"
    findings = {
        "outcome": AssessmentOutcome.CIN_PLAN,
        "primary_need": PrimaryNeed.PARENT_DISABILITY_OR_ILLNESS,
        "factors": (AssessmentFactor.PHYSICAL_DISABILITY_OR_ILLNESS_PARENT, AssessmentFactor.YOUNG_CARER),
    }
    refusal = await walk.refused(TM, assessment, "authorise", **findings, rationale=rationale)
    await walk.say(f"{walk.name(TM)} tries to authorise without reasons for the delay. Refused: {refusal}")
    reasons = "Social worker on long-term sick leave; the case was reallocated late"
    await walk.decide(TM, assessment, "authorise", **findings, rationale=rationale, reasons_for_delay=reasons)
    status = await walk.closed(assessment)
    await walk.say(f"{walk.name(TM)} authorises a Child in Need plan, recording the reasons for the delay: {reasons}.")
    await walk.say(_deadline_outcome(walk, _assessment_deadline(status), referral))


async def _refer_and_allocate(
    walk: Walkthrough, case: ExampleCase, *, source: str, organisation: str, referral_source: ReferralSource
) -> tuple[str, datetime]:
    """Take a referral on the next working day, decide to assess it, and allocate; return the assessment.

    The contact is recorded with who referred as the census codes it (statutory-rules.md §9), as the front door
    records every contact that may become a referral.
    """
    received = await walk.next_working_day_at(MORNING)
    contact = ContactRequest(
        case_reference=case.reference,
        received_at=received,
        source=source,
        summary="Fictional concern raised for the demonstration.",
        referrer_name="Fictional Referrer",
        referrer_email=REFERRER_EMAIL,
        referrer_organisation=organisation,
        referral_source=referral_source,
    )
    front_door = (await walk.act(SW, record_contact, contact)).workflow_id
    await walk.say(f"A referral about case {case.reference} reaches the front door from {organisation}.")
    await walk.mail()
    await walk.later_today(LATE_MORNING)
    await walk.decide(SW, front_door, "record_consent", consent=ConsentState.GIVEN)
    await walk.say("The parents consent to information being gathered from partner agencies.")
    await walk.later_today(time(13, 0))
    await walk.decide(
        TM,
        front_door,
        "decide_contact",
        outcome=ContactOutcome.ASSESSMENT,
        rationale="Concerns about the child's needs call for a child and family assessment",
    )
    decision = (await walk.closed(front_door)).deadlines[0]
    await walk.say(f"{walk.name(TM)} decides on a child and family assessment: referral decision {decision.state}.")
    await walk.mail()
    assessment = await walk.running(assessment_id(case.reference))
    deadline = _assessment_deadline(await walk.status(assessment))
    await walk.say(f"Assessment started: due by {describe_day(deadline.due_date)} ({deadline.basis}).")
    await walk.later_today(AFTERNOON)
    await walk.decide(TM, assessment, "allocate", social_worker_id=walk.ids.social_worker_id)
    await walk.say(f"{walk.name(TM)} allocates the assessment to {walk.name(SW)}, social worker.")
    return assessment, received


def _assessment_deadline(status: ProcessStatus) -> DeadlineView:
    return next(d for d in status.deadlines if d.rule_id == "assessment")


def _alarms(walk: Walkthrough, deadline: DeadlineView) -> list[tuple[str, datetime]]:
    """Return when the deadline's reminders, overdue alert and escalation are due, from the profile (§1)."""
    profile, calendar = walk.parts.profile, walk.calendar
    alarms = [
        (
            f"{offset} working day{'s' if offset != 1 else ''} before the deadline: a reminder to the social worker.",
            office_moment(subtract_working_days(deadline.due_date, offset, calendar), profile),
        )
        for offset in profile.reminder_offsets(profile.rule(deadline.rule_id))
    ]
    overdue = alert_moment(deadline.passes_at, profile.office, calendar)
    alarms.append(("The 45th working day has passed: the team manager is alerted in office hours.", overdue))
    later = add_working_days(deadline.due_date, profile.escalation.service_manager_after_working_days, calendar)
    alarms.append(("Still not authorised: escalated to the service manager.", office_moment(later, profile)))
    return sorted(alarms, key=lambda alarm: alarm[1])


def _deadline_outcome(walk: Walkthrough, deadline: DeadlineView, referral: datetime) -> str:
    """Say whether the assessment met its deadline, on which working day it was completed, and why if late."""
    if deadline.met_on is None:
        raise DemoFailed(f"the assessment deadline is {deadline.state} with no completion date")
    day = local_date(referral)
    used = 0
    while day < deadline.met_on:  # statutory-rules.md §1: the referral day is day 0
        day += timedelta(days=1)
        used += is_working_day(day, walk.calendar)
    text = (
        f"Assessment deadline {deadline.state}: completed {describe_day(deadline.met_on)}, working day {used} "
        f"of {walk.parts.profile.rule(deadline.rule_id).amount}, due by {describe_day(deadline.due_date)}."
    )
    return text + (f" Reasons for the delay: {deadline.reasons}." if deadline.reasons else "")
