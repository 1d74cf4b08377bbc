"""The simulation's LADO allegations and family group conferences, taken as the demo's people take them.

Each drawn allegation (`safeguarding.simulation.lado_fgc`) is a story of its own on the shared clock: the
LADO takes the employer's notification, responds the same day, applies the harm test, holds the allegation
management meeting the next working day and records the outcome on the day drawn, which closes the case
(statutory-rules.md §6). Each drawn family group conference follows its referral's assessment: just after
the allocation the social worker refers with a question for the family, the parent consents and the team
manager agrees and allocates the coordinator; the next working day the coordinator contacts the family,
meets them, hears the child and invites the network; on the day drawn the conference meets, the family's
plan is agreed; the review meeting is held on the day the process asks for it (§7). Steps after the
period's end are not taken, as for the referrals. As in `starter.demo_lado` and `starter.demo_fgc`, every
act goes through the application layer as the principal of the role that makes it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from safeguarding.codes import (
    ConsentState,
    FgcMeetingStage,
    FgcParticipantKind,
    FgcReason,
    LadoNotifier,
    LadoOutcome,
    NotificationMethod,
    Process,
    Role,
)
from safeguarding.commands.fgc import FgcMeeting, FgcParticipant
from safeguarding.commands.lado import HarmLimb, HarmTest
from safeguarding.service.fgc import ConferenceRequest, start_fgc
from safeguarding.service.lado import AllegationRequest, start_lado
from safeguarding.simulation.lado_fgc import DrawnAllegation, DrawnConference
from safeguarding.store.lado import PersonInPositionOfTrust
from safeguarding.working_days import add_working_days, at_local_time, local_date
from starter.demo_walkthrough import Walkthrough
from starter.simulation_decisions import RATIONALE, CaseInHand, Reach, Tally, handed_on, letters

LADO, SW, TM, COORDINATOR = Role.LADO, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.FGC_COORDINATOR
SCHOOL = "Fictional School"
REVIEW_TIME = time(11, 0)
REFERENCES_FROM = 90_000_000
"""Simulated allegations are numbered from here (LADO-90000001): apart from the demo's (LADO-0001) in one store."""
QUESTIONS = (
    "How will the child get to school every day?",
    "Who will look after the child when their parent is unwell?",
    "How will the family keep the child safe at home?",
)
"""The social worker's questions for the family (a referral asks at least three)."""


async def allegation_story(
    walk: Walkthrough, drawn: DrawnAllegation, tally: Tally, reach: Reach, until: datetime
) -> None:
    """Take one allegation from the notification to its outcome, up to the period's end."""
    if drawn.notified_at > until:
        return
    await reach(drawn.notified_at)
    allegation = await walk.running((await walk.act(LADO, start_lado, _notification(drawn))).workflow_id)
    await walk.decide(LADO, allegation, "respond_to_notification", advice="Simulated: do not investigate yet")
    met = HarmLimb(met=True, note="Simulated")
    not_met = HarmLimb(met=False, note="Simulated")
    await walk.decide(
        LADO,
        allegation,
        "consider_allegation",
        harm_test=HarmTest(harmed_a_child=met, possible_offence=not_met, risk_of_harm=not_met, unsuitable=not_met),
        advice_to_employer="Simulated advice to the employer",
    )
    tally.allegations_notified += 1
    if drawn.meeting_at > until:
        return
    await reach(drawn.meeting_at)
    await walk.decide(LADO, allegation, "record_allegation_meeting", summary="Simulated allegation management meeting")
    if drawn.outcome_at > until:
        return
    await reach(drawn.outcome_at)
    await walk.decide(
        LADO,
        allegation,
        "record_allegation_outcome",
        outcome=LadoOutcome.UNSUBSTANTIATED,
        removed_from_regulated_activity=False,
        rationale=RATIONALE,
    )
    await walk.closed(allegation)
    tally.allegations_resolved += 1


def _notification(drawn: DrawnAllegation) -> AllegationRequest:
    """The employer's notification, about a fictional person (no real person's data; names from the index)."""
    attention = drawn.notified_at - timedelta(hours=1)
    return AllegationRequest(
        reference=f"LADO-{REFERENCES_FROM + drawn.index}",
        subject=PersonInPositionOfTrust(
            given_name="Simulated",
            family_name=f"Subject {letters(drawn.index)}",
            date_of_birth=date(1985, 1, 1),
            role="Teaching assistant",
            is_teacher=False,
        ),
        employer="Fictional Academy Trust",
        setting=SCHOOL,
        what_happened="Simulated allegation.",
        happened_on=local_date(attention),
        came_to_attention_at=attention,
        action_taken="Simulated: the account was written down.",
        notifier_kind=LadoNotifier.EMPLOYER,
        notifier_name="Fictional Headteacher",
        notifier_organisation=SCHOOL,
        method=NotificationMethod.PHONE,
        notified_at=drawn.notified_at,
    )


async def conference_story(
    walk: Walkthrough, drawn: DrawnConference, case: CaseInHand, tally: Tally, reach: Reach, until: datetime
) -> None:
    """Take one family group conference from the referral to the review of the family's plan."""
    if drawn.referred_at > until:
        return
    await reach(drawn.referred_at)
    # The front door handed the case to its assessment when it decided; the referral's own story may not have
    # allocated it yet at this moment, so the id is read from the hand-off rather than from that story.
    assessment = case.assessment or await handed_on(walk, case.front_door, Process.ASSESSMENT)
    request = ConferenceRequest(
        case_reference=case.case_reference,
        proposed_at=drawn.referred_at,
        reason=FgcReason.ASSESSMENT,
        source_workflow_id=assessment,
    )
    fgc = (await walk.act(SW, start_fgc, request)).workflow_id
    await walk.decide(
        SW,
        fgc,
        "refer_to_fgc",
        questions=QUESTIONS,
        bottom_lines=("The child is kept safe at home.",),
    )
    await walk.decide(SW, fgc, "record_fgc_consent", person_id=case.parent_id, consent=ConsentState.GIVEN)
    await walk.decide(TM, fgc, "agree_fgc_referral", agreed=True)
    await walk.decide(TM, fgc, "allocate_fgc_coordinator", coordinator_id=walk.ids.fgc_coordinator_id)
    tally.fgcs_referred += 1
    preparation = at_local_time(add_working_days(local_date(drawn.referred_at), 1, walk.calendar), time(10))
    if preparation > until:
        return
    await reach(preparation)
    await _prepare(walk, fgc, case, drawn)
    if drawn.conference_at > until:
        return
    await reach(drawn.conference_at)
    for stage in (FgcMeetingStage.INFORMATION_SHARING, FgcMeetingStage.PRIVATE_FAMILY_TIME):
        await walk.decide(COORDINATOR, fgc, "record_fgc_conference_stage", meeting=1, stage=stage)
    await walk.decide(COORDINATOR, fgc, "submit_fgc_plan", plan="Simulated family plan.")
    await walk.decide(SW, fgc, "agree_fgc_plan", agreed=True)
    tally.fgcs_held += 1
    status = await walk.status(fgc)
    review = next(d for d in status.deadlines if d.rule_id == "fgc_review_meeting")
    review_at = at_local_time(review.due_date, REVIEW_TIME)
    if review_at > until:
        return
    await reach(review_at)
    await walk.decide(COORDINATOR, fgc, "record_fgc_review", plan_working=True)
    await walk.closed(fgc)
    tally.fgc_reviews += 1


async def _prepare(walk: Walkthrough, fgc: str, case: CaseInHand, drawn: DrawnConference) -> None:
    """The coordinator contacts and meets the family, hears the child, invites the network, sets the meeting.

    The child's voice is recorded beforehand rather than the child attending (who would need an advocate).
    """
    await walk.decide(COORDINATOR, fgc, "record_fgc_first_contact")
    await walk.decide(COORDINATOR, fgc, "record_fgc_baseline_meeting")
    await walk.record(COORDINATOR, fgc, "record_fgc_child_voice", words="Simulated.", through_advocate=False)
    kind = FgcParticipantKind
    participants = (
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=case.parent_id, meeting=1),
        FgcParticipant(kind=kind.PROFESSIONAL, practitioner_id=walk.ids.social_worker_id, meeting=1),
    )
    await walk.decide(COORDINATOR, fgc, "invite_fgc_participants", participants=participants, agreed_with_family=True)
    meeting = FgcMeeting(meeting=1, at=drawn.conference_at, venue="Exampletown Family Hub")
    await walk.decide(COORDINATOR, fgc, "arrange_fgc_conference", meetings=(meeting,))
