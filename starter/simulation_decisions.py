"""Every decision the simulation makes, as the practitioner whose role makes it (statutory-rules.md §2-§5).

One place for what the simulated people decide and with what body, so a new field on a command (a primary
need on the authorisation, say) is added here once. Each step of a referral (`caseload.Step`) is taken by
`take` through the application layer (`Walkthrough.decide`: the use case run as the principal of the right
role, once the process shows the decision as an open task). Between a plan's conferences the core group
meets and the reports reach the parents a few working days before they fall due, read from the plan's own
open tasks: the workflow, not the model, knows those due days.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time

from safeguarding.codes import (
    Agency,
    AssessmentFactor,
    AssessmentOutcome,
    ConferenceOutcome,
    ConsentState,
    ContactOutcome,
    EnquiryOutcome,
    Ethnicity,
    PrimaryNeed,
    Process,
    ReviewOutcome,
    Role,
)
from safeguarding.commands.assessment import DebriefAction, joint_visit_id_of
from safeguarding.commands.strategy_discussion import Participant
from safeguarding.facts import ChildProtectionPlanFacts, facts_of
from safeguarding.models import ProcessStatus
from safeguarding.service.case_models import ChildRegistration, FamilyMember, NewChild, NewFamilyMember
from safeguarding.service.contacts import (
    ContactRequest,
    NewChildContactRequest,
    record_contact,
    record_contact_about_new_child,
)
from safeguarding.simulation.caseload import ChildProtection, Referral, Step, review_ends_plan
from safeguarding.store.examples import POLICE_TEAM_ID
from safeguarding.working_days import at_local_time, subtract_working_days
from starter.demo_walkthrough import REFERRER_EMAIL, DemoFailed, Walkthrough

SW, TM, CHAIR = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR
FINDINGS: dict[AssessmentOutcome, tuple[PrimaryNeed, tuple[AssessmentFactor, ...]]] = {
    AssessmentOutcome.NFA: (PrimaryNeed.NOT_IN_NEED, (AssessmentFactor.NO_FACTORS_IDENTIFIED,)),
    AssessmentOutcome.FAMILY_SUPPORT_PLAN: (
        PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
        (AssessmentFactor.MENTAL_HEALTH_PARENT,),
    ),
    AssessmentOutcome.CIN_PLAN: (PrimaryNeed.FAMILY_DYSFUNCTION, (AssessmentFactor.DOMESTIC_ABUSE_PARENT,)),
    AssessmentOutcome.STRATEGY_DISCUSSION: (PrimaryNeed.ABUSE_OR_NEGLECT, (AssessmentFactor.NEGLECT,)),
}
"""The primary need and factors a simulated authorisation records, by outcome (census, statutory-rules.md §9)."""
RATIONALE = "Simulated decision"
DELAY_REASONS = "Simulated: the assessment took longer than 45 working days"
MEETINGS_EARLY = 3
"""Core groups meet, and reports reach the parents, this many working days before they fall due."""
MEETING_TIME = time(11, 0)

Reach = Callable[[datetime], Awaitable[None]]
"""Wait for the simulated clock to reach a moment (`SharedClock.reach`)."""


@dataclass
class Tally:
    """What the runner did, to compare with what the model drew."""

    contacts: int = 0
    re_referrals: int = 0
    decided: dict[str, int] = field(default_factory=dict)
    allocated: int = 0
    joint_visits: int = 0
    seen: int = 0
    submitted: int = 0
    authorised: dict[str, int] = field(default_factory=dict)
    late_authorised: int = 0
    discussions: dict[str, int] = field(default_factory=dict)
    enquiries: dict[str, int] = field(default_factory=dict)
    conferences: dict[str, int] = field(default_factory=dict)
    late_conferences: int = 0
    core_groups: int = 0
    reviews: int = 0
    plans_ended: int = 0
    not_reached: int = 0
    """Steps that fell after the period's end."""
    allegations_notified: int = 0
    allegations_resolved: int = 0
    """Allegations whose outcome was recorded (`starter.simulation_lado_fgc`)."""
    fgcs_referred: int = 0
    fgcs_held: int = 0
    """Family group conferences whose meeting was held."""
    fgc_reviews: int = 0


@dataclass
class CaseInHand:
    """Where one referral's processes are: the ids the runner learns as it goes."""

    referral: Referral
    case_reference: str = ""
    front_door: str = ""
    second_round: bool = False
    """Whether the steps now are those of the re-referral."""
    assessment_started: datetime | None = None
    assessment: str = ""
    """This round's assessment: the front door's hand-off (a re-referral's has an id of its own)."""
    enquiry: str = ""
    conference: str = ""
    plan: str = ""
    with_parent: bool = False
    """Whether the child is registered with a parent: one who can consent to a family group conference (§7)."""
    parent_id: str = ""

    @property
    def outcome(self) -> AssessmentOutcome:
        """The assessment outcome of this round."""
        outcome = self.referral.second_assessment if self.second_round else self.referral.assessment
        return outcome or AssessmentOutcome.NFA


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


async def take(
    walk: Walkthrough,
    case: CaseInHand,
    step: Step | None,
    moment: datetime,
    tally: Tally,
    reach: Reach,
    until: datetime,
) -> None:
    """Take `step` (None: the first contact) on the case at `moment`, the simulated present."""
    referral = case.referral
    if step is None:
        recorded = await walk.act(SW, record_contact_about_new_child, _new_child_contact(referral, case.with_parent))
        case.front_door, case.case_reference = recorded.workflow_id, recorded.case_reference
        case.parent_id = next((member.person_id for member in recorded.registration.family), "")
        tally.contacts += 1
    elif step is Step.RE_REFER:
        again = ContactRequest(
            case_reference=case.case_reference,
            received_at=moment,
            source=str(referral.source),
            summary="Simulated re-referral.",
            referral_source=referral.source,
            referrer_email=REFERRER_EMAIL,
        )
        case.front_door = (await walk.act(SW, record_contact, again)).workflow_id
        case.second_round = True
        tally.re_referrals += 1
    elif step is Step.CONSENT:
        await walk.decide(SW, case.front_door, step, consent=ConsentState.GIVEN)
    elif step is Step.DECIDE:
        outcome = ContactOutcome.ASSESSMENT if case.second_round else referral.front_door
        await walk.decide(TM, case.front_door, step, outcome=outcome, rationale=RATIONALE)
        case.assessment_started = moment
        _count(tally.decided, outcome)
    elif step is Step.ALLOCATE:
        case.assessment = await handed_on(walk, case.front_door, Process.ASSESSMENT)
        await walk.decide(TM, case.assessment, step, social_worker_id=walk.ids.social_worker_id)
        tally.allocated += 1
    elif step is Step.CHILD_SEEN:
        if case.assessment_started is not None and referral.joint_visit(case.assessment_started):
            await _joint_visit(walk, case)
            tally.joint_visits += 1
        await walk.decide(SW, case.assessment, step)
        tally.seen += 1
    elif step is Step.SUBMIT:
        await walk.decide(SW, case.assessment, step, recommended_outcome=case.outcome)
        tally.submitted += 1
    elif step is Step.AUTHORISE:
        await _authorise(walk, case, tally)
    elif step is Step.DISCUSS:
        await _discuss(walk, case, tally)
    elif step is Step.CONCLUDE:
        await _conclude(walk, case, tally)
    elif step is Step.CONFERENCE:
        await _conference(walk, case, tally, reach, until)
    else:
        await _review(walk, case, moment, tally, reach, until)


async def _authorise(walk: Walkthrough, case: CaseInHand, tally: Tally) -> None:
    """The team manager authorises the outcome drawn, with reasons for the delay once 45 working days passed."""
    outcome = case.outcome
    deadline = next(d for d in (await walk.status(case.assessment)).deadlines if d.rule_id == "assessment")
    late = await walk.now() >= deadline.passes_at
    # A Family Support Plan is led by health only after a joint visit whose health practitioner knows the family,
    # and with the family's consent (§3); otherwise the plan stays with the social worker.
    consent = None
    if outcome is AssessmentOutcome.FAMILY_SUPPORT_PLAN:
        started = case.assessment_started
        consent = started is not None and case.referral.joint_visit(started) and case.referral.health_leads
    need, factors = FINDINGS[outcome]
    await walk.decide(
        TM,
        case.assessment,
        Step.AUTHORISE,
        outcome=outcome,
        rationale=RATIONALE,
        reasons_for_delay=DELAY_REASONS if late else None,
        family_consents_to_health_lead=consent,
        primary_need=need,
        factors=factors,
    )
    _count(tally.authorised, outcome)
    tally.late_authorised += late


async def _joint_visit(walk: Walkthrough, case: CaseInHand) -> None:
    """Visit with the health visitor, or the midwife before birth: whoever knows the family leads (§3)."""
    joint = await walk.running(joint_visit_id_of(case.assessment))
    unborn = case.referral.date_of_birth is None
    health = Role.MIDWIFE if unborn else Role.HEALTH_VISITOR
    health_id = walk.ids.midwife_id if unborn else walk.ids.health_visitor_id
    knows = case.referral.health_leads
    await walk.decide(SW, joint, "record_family_told")
    await walk.decide(health, joint, "record_background_review")
    await walk.decide(
        SW,
        joint,
        "record_pre_meet",
        health_practitioner_id=health_id,
        social_worker_knows_family=not knows,
        health_practitioner_knows_family=knows,
    )
    await walk.decide(
        health, joint, "record_visit", consent_explained=True, information_sharing_consent=ConsentState.GIVEN
    )
    action = DebriefAction(description="Simulated action agreed at the debrief", owner_id=health_id)
    await walk.decide(SW, joint, "record_debrief", actions=(action,))
    await walk.closed(joint)


async def _discuss(walk: Walkthrough, case: CaseInHand, tally: Tally) -> None:
    """Hold the strategy discussion the assessment started: social care, police and health; decide; circulate."""
    discussion = _handed_to(await walk.closed(case.assessment))
    await walk.running(discussion)
    participants = tuple(Participant(agency=agency) for agency in (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH))
    await walk.decide(TM, discussion, "record_discussion", participants=participants)
    protection = _protection(case)
    await walk.decide(
        TM,
        discussion,
        Step.DISCUSS,
        outcome=protection.strategy,
        rationale=RATIONALE,
        tell_family="Simulated: the family is told enquiries will be made",
    )
    await walk.decide(TM, discussion, "record_circulated")
    case.enquiry = await handed_on(walk, discussion, Process.S47_ENQUIRY)
    _count(tally.discussions, protection.strategy)


async def _conclude(walk: Walkthrough, case: CaseInHand, tally: Tally) -> None:
    """The team manager concludes the enquiry; substantiated, the conference is set for the day drawn."""
    protection = _protection(case)
    enquiry = case.enquiry
    await walk.decide(TM, enquiry, Step.CONCLUDE, outcome=protection.enquiry, rationale=RATIONALE)
    _count(tally.enquiries, protection.enquiry)
    if protection.enquiry is not EnquiryOutcome.SUBSTANTIATED or protection.conference_day is None:
        return
    conference = case.conference = await handed_on(walk, enquiry, Process.INITIAL_CONFERENCE)
    held_at = next(at for at, step in case.referral.steps if step is Step.CONFERENCE)
    await walk.decide(TM, conference, "schedule_conference", conference_at=held_at)
    if not protection.within_15:
        await walk.decide(TM, conference, "agree_delay", rationale="Simulated: the family could not attend sooner")
        await walk.decide(CHAIR, conference, "agree_delay", rationale="Simulated: the family could not attend sooner")
        tally.late_conferences += 1
    await walk.decide(SW, conference, "record_reports_shared")


async def _conference(walk: Walkthrough, case: CaseInHand, tally: Tally, reach: Reach, until: datetime) -> None:
    """The independent chair decides: a plan (category, lead, core group) or not; then the plan's meetings."""
    protection = _protection(case)
    conference = case.conference
    if protection.category is None:
        await walk.decide(CHAIR, conference, Step.CONFERENCE, outcome=ConferenceOutcome.NO_PLAN, rationale=RATIONALE)
        _count(tally.conferences, ConferenceOutcome.NO_PLAN)
        return
    await walk.decide(
        CHAIR,
        conference,
        Step.CONFERENCE,
        outcome=ConferenceOutcome.PLAN,
        category=protection.category,
        lead_social_worker_id=walk.ids.social_worker_id,
        core_group_member_ids=(walk.ids.social_worker_id, walk.ids.health_visitor_id),
        invited_agency_team_ids=(POLICE_TEAM_ID,),
        rationale=RATIONALE,
    )
    _count(tally.conferences, ConferenceOutcome.PLAN)
    case.plan = await walk.running(_handed_to(await walk.closed(conference)))
    await _until_next_review(walk, case, tally, reach, until)


async def _review(
    walk: Walkthrough, case: CaseInHand, moment: datetime, tally: Tally, reach: Reach, until: datetime
) -> None:
    """The chair holds the review conference: the plan continues, its category kept, or ends at the last."""
    protection = _protection(case)
    ends = review_ends_plan(case.referral, moment)
    runs = _plan_facts(await walk.status(case.plan)).runs
    await walk.decide(
        CHAIR,
        case.plan,
        Step.REVIEW,
        outcome=ReviewOutcome.END if ends else ReviewOutcome.CONTINUE,
        category=None if ends else protection.category,
        rationale=RATIONALE,
    )
    tally.reviews += 1
    if ends:
        await walk.closed(case.plan)
        tally.plans_ended += 1
        return

    async def continued() -> bool:
        return _plan_facts(await walk.status(case.plan)).runs != runs

    await walk.until(continued, f"{case.plan} to continue as new")
    await _until_next_review(walk, case, tally, reach, until)


async def _until_next_review(walk: Walkthrough, case: CaseInHand, tally: Tally, reach: Reach, until: datetime) -> None:
    """Schedule the next review for its day drawn; hold the core groups and share the reports before it."""
    now = await walk.now()
    review_at = next(at for at, step in case.referral.steps if step is Step.REVIEW and at > now)
    await walk.decide(CHAIR, case.plan, "schedule_review", review_at=review_at)
    while True:
        status = await walk.status(case.plan)
        due = sorted(
            (task.due_date, task.decision)
            for task in status.open_tasks
            if task.decision in ("record_core_group", "record_review_reports_shared") and task.due_date is not None
        )
        if not due:
            return
        day, decision = due[0]
        moment = at_local_time(subtract_working_days(day, MEETINGS_EARLY, walk.calendar), MEETING_TIME)
        if moment >= review_at or moment > until:
            return
        await reach(moment)
        await walk.decide(SW, case.plan, decision)
        tally.core_groups += decision == "record_core_group"


def _protection(case: CaseInHand) -> ChildProtection:
    if case.referral.child_protection is None:
        raise DemoFailed(f"referral {case.referral.index} has no child protection path drawn")
    return case.referral.child_protection


async def handed_on(walk: Walkthrough, workflow_id: str, to_process: Process) -> str:
    """Wait until process `workflow_id` has handed on to (or joined) the case's `to_process`; return its id.

    The id comes from the hand-off, never from the case reference: a re-referral's processes have ids of their own.
    """
    handed: list[str] = []

    async def has_handed_on() -> bool:
        status = await walk.status(workflow_id)
        handed[:] = [h.workflow_id for h in status.hand_offs if h.to_process is to_process and h.workflow_id]
        return bool(handed)

    await walk.until(has_handed_on, f"{workflow_id} to hand on to the {to_process}")
    return await walk.running(handed[-1])


def _handed_to(status: ProcessStatus) -> str:
    """Return the id of the process a closed process handed its case on to."""
    started = next((hand_off.workflow_id for hand_off in status.hand_offs if hand_off.workflow_id), None)
    if started is None:
        raise DemoFailed(f"{status.workflow_id} closed without handing on to another process")
    return started


def _plan_facts(status: ProcessStatus) -> ChildProtectionPlanFacts:
    return facts_of(ChildProtectionPlanFacts, status.facts)


def _new_child_contact(referral: Referral, with_parent: bool) -> NewChildContactRequest:
    """The contact about a new, fictional child: no real person's data (names are made from the index).

    With a parent (mother, with parental responsibility) when the family is to be offered a conference.
    """
    child = NewChild(
        given_name="Simulated",
        family_name=f"Child {letters(referral.index)}",
        date_of_birth=referral.date_of_birth,
        expected_birth_date=referral.expected_birth_date,
        sex=referral.sex,
        ethnicity=Ethnicity.NOT_YET_OBTAINED,
        address=f"{referral.index} Fictional Road",
    )
    return NewChildContactRequest(
        received_at=referral.received_at,
        source=str(referral.source),
        summary="Simulated referral.",
        referral_source=referral.source,
        referrer_email=REFERRER_EMAIL,  # a fictional address: the front door acknowledges and tells the outcome
        registration=ChildRegistration(child=child, family=_parent(referral) if with_parent else ()),
    )


def _parent(referral: Referral) -> tuple[FamilyMember, ...]:
    # A fictional address: the conference's invitations reach the mail sink.
    parent = NewFamilyMember(
        given_name="Simulated",
        family_name=f"Parent {letters(referral.index)}",
        email=f"parent-{referral.index}@example.invalid",
    )
    return (FamilyMember(person=parent, relationship="mother", parental_responsibility=True),)


def letters(index: int) -> str:
    """Return `index` in letters (1 -> A, 27 -> AA): a name may not hold digits."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
