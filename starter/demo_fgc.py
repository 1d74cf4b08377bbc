"""The demo's family group conference (statutory-rules.md §7), told the way a team manager would tell it.

A fictional family of its own, registered by the social worker: a 12-year-old whose mother and father
both have parental responsibility, a grandmother, an aunt. The child's assessment is under way and proposes
the conference. Domestic abuse makes one meeting unsafe, so the conference is split: the father meets
apart. The social worker refers with three questions and a bottom line, the mother consents, the manager
agrees and allocates an independent coordinator, who prepares the meetings with the family. The family's
first plan breaks the bottom line, so the social worker does not agree it; the family revises it, it is
agreed, the assessment concludes with a Child in Need plan beside it (§3), and the review meeting follows.
Only ids and case references are printed.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from safeguarding.codes import (
    AssessmentFactor,
    AssessmentOutcome,
    ConsentState,
    Ethnicity,
    FgcMeetingStage,
    FgcParticipantKind,
    FgcReason,
    PrimaryNeed,
    ReferralSource,
    Role,
    Sex,
)
from safeguarding.commands.fgc import FgcMeeting, FgcParticipant
from safeguarding.facts import FgcFacts, facts_of
from safeguarding.service.admin import create_practitioner
from safeguarding.service.admin_models import NewPractitioner
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.case_models import (
    ChildRegistration,
    FamilyMember,
    NewChild,
    NewFamilyMember,
    Registration,
)
from safeguarding.service.cases import register_child
from safeguarding.service.fgc import ConferenceRequest, start_fgc
from safeguarding.store.examples import FGC_TEAM_ID
from safeguarding.working_days import at_local_time, describe_day, local_date, next_working_day, previous_working_day
from starter.demo_walkthrough import DemoFailed, Walkthrough

ADVOCATE = "prac-example-adv"
FAMILY: tuple[tuple[str, str, bool], ...] = (
    # relationship, given name (fictional), parental responsibility
    ("mother", "Mother", True),
    ("father", "Father", True),
    ("grandmother", "Gran", False),
    ("aunt", "Aunt", False),
)
"""The child's family; the narration knows each by relationship, never by name."""
CHILD_UPN = "L001201700009"
"""The 12-year-old's fictional Unique Pupil Number, which the census returns. Its LA number, 001, is
below those of England's local authorities (201 on) yet one the DfE's rules accept (validator rule 1530)."""
SW, TM, COORDINATOR = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.FGC_COORDINATOR
INFO, PRIVATE = FgcMeetingStage.INFORMATION_SHARING, FgcMeetingStage.PRIVATE_FAMILY_TIME


async def family_group_conference_case(walk: Walkthrough) -> None:
    """Walk a split family group conference from the referral to the review of the family's revised plan."""
    family = await _register_family(walk)
    await _add_advocate(walk)
    case, people = family.reference, {member.relationship: member.person_id for member in family.family}
    walk.heading(f"Case {case}: a family group conference, split because of domestic abuse")
    referral = await walk.next_working_day_at(time(9, 30))
    assessment = (
        await walk.act(
            SW,
            start_assessment,
            AssessmentRequest(case_reference=case, referral_at=referral, referral_source=ReferralSource.POLICE),
        )
    ).workflow_id
    await walk.decide(TM, assessment, "allocate", social_worker_id=walk.ids.social_worker_id)
    await walk.say(f"An assessment of case {case} is under way ({assessment}), allocated to {walk.name(SW)}.")
    proposed = await walk.later_today(time(10, 0))
    request = ConferenceRequest(
        case_reference=case, proposed_at=proposed, reason=FgcReason.ASSESSMENT, source_workflow_id=assessment
    )
    fgc = (await walk.act(SW, start_fgc, request)).workflow_id
    await walk.say(f"The assessment proposes a family group conference ({fgc}).")
    await walk.decide(
        SW,
        fgc,
        "refer_to_fgc",
        questions=(
            "How will the children get to school every day?",
            "Who will look after the children when their mother is unwell?",
            "How will the family keep the children safe from violence at home?",
        ),
        bottom_lines=("The children are not to be collected or looked after by their father.",),
    )
    await walk.say(f"{walk.name(SW)} refers, with three questions for the family and one bottom line.")
    await walk.decide(SW, fgc, "record_fgc_consent", person_id=people["mother"], consent=ConsentState.GIVEN)
    await walk.decide(TM, fgc, "agree_fgc_referral", agreed=True)
    status = await walk.status(fgc)
    due = {d.rule_id: describe_day(d.due_date) for d in status.deadlines}
    await walk.say(
        f"The mother consents ({facts_of(FgcFacts, status.facts).consent_basis}); {walk.name(TM)} agrees the referral. "
        f"Acknowledgement due by {due['fgc_acknowledgement']}; the whole process by {due['fgc_whole_process']}."
    )
    await walk.later_today(time(14, 0))
    coordinator_id = walk.ids.fgc_coordinator_id
    await walk.decide(TM, fgc, "allocate_fgc_coordinator", coordinator_id=coordinator_id)
    await walk.say(
        f"{walk.name(TM)} allocates an independent coordinator ({coordinator_id}); the referral is acknowledged."
    )
    await walk.mail()

    await walk.later_today(time(16, 0))
    await walk.decide(COORDINATOR, fgc, "record_fgc_first_contact")
    await walk.next_working_day_at(time(10, 0))
    await walk.decide(COORDINATOR, fgc, "record_fgc_baseline_meeting")
    await walk.record(
        COORDINATOR,
        fgc,
        "record_fgc_child_voice",
        words="I want to see my dad but not at home.",
        through_advocate=True,
    )
    await walk.say("The coordinator contacts the family, meets the child and family, and records the child's voice.")
    await walk.decide(
        COORDINATOR,
        fgc,
        "invite_fgc_participants",
        participants=_participants(walk, family, people),
        agreed_with_family=True,
        split_for_domestic_abuse=True,
    )
    meeting_day = next_working_day(local_date(await walk.now()) + timedelta(days=14), walk.calendar)
    meetings = (
        FgcMeeting(meeting=1, at=at_local_time(meeting_day, time(10, 0)), venue="Exampletown Family Hub"),
        FgcMeeting(meeting=2, at=at_local_time(meeting_day, time(14, 0)), venue="Exampletown Family Hub"),
    )
    await walk.decide(COORDINATOR, fgc, "arrange_fgc_conference", meetings=meetings)
    await walk.say(
        f"Invitees agreed with the family: the father meets apart (meeting 2); the grandmother is excluded from "
        f"private family time, with reasons. Both meetings on {describe_day(meeting_day)}. Invitations go out "
        "(the child hears through their advocate):"
    )
    await walk.mail(7)

    reminder_day = previous_working_day(meeting_day, walk.calendar)
    await walk.at(at_local_time(reminder_day, time(9, 5)))
    await walk.say("The working day before the meetings: everyone invited is reminded.")
    await walk.mail(7)

    for meeting, clock in ((1, time(10, 0)), (2, time(14, 0))):
        await walk.at(at_local_time(meeting_day, clock))
        for stage in (INFO, PRIVATE):
            await walk.decide(COORDINATOR, fgc, "record_fgc_conference_stage", meeting=meeting, stage=stage)
        await walk.say(f"Meeting {meeting}: information sharing, then private family time (professionals leave).")
    await walk.later_today(time(16, 30))
    await walk.decide(COORDINATOR, fgc, "submit_fgc_plan", plan="Dad takes the children to school.")
    reason = "It has the father collecting the children, which the bottom line rules out."
    await walk.decide(SW, fgc, "agree_fgc_plan", agreed=False, rationale=reason)
    await walk.say(f"The family shares its plan; {walk.name(SW)} does not agree it: {reason} The family revises it.")
    await walk.later_today(time(16, 50))
    await walk.decide(COORDINATOR, fgc, "submit_fgc_plan", plan="Gran takes the children to school.")
    await walk.decide(SW, fgc, "agree_fgc_plan", agreed=True)
    status = await walk.status(fgc)
    review = next(d for d in status.deadlines if d.rule_id == "fgc_review_meeting")
    facts = facts_of(FgcFacts, status.facts)
    await walk.say(
        f"The revised plan (version {facts.plan_version}, plan {facts.agreed_plan_id} in the "
        f"case store) is agreed. Review meeting due by {describe_day(review.due_date)} ({review.basis})."
    )
    await _conclude_assessment(walk, assessment)

    await walk.at(at_local_time(local_date(await walk.now()) + timedelta(days=56), time(11, 0)))
    await walk.decide(COORDINATOR, fgc, "record_fgc_review", plan_working=True)
    final = await walk.closed(fgc)
    if final.outcome != "plan_reviewed" or any(d.state != "met" for d in final.deadlines):
        raise DemoFailed(f"the conference closed {final.outcome} with deadlines {[d.state for d in final.deadlines]}")
    await walk.say("The review meeting: the family's plan is working. Every deadline of the conference was met.")


async def _conclude_assessment(walk: Walkthrough, assessment: str) -> None:
    """The social worker submits the assessment the next working day and the manager authorises a CIN plan (§3)."""
    await walk.next_working_day_at(time(10, 0))
    await walk.decide(SW, assessment, "record_child_seen")
    await walk.decide(SW, assessment, "submit_assessment", recommended_outcome=AssessmentOutcome.CIN_PLAN)
    await walk.later_today(time(14, 0))
    await walk.decide(
        TM,
        assessment,
        "authorise",
        outcome=AssessmentOutcome.CIN_PLAN,
        primary_need=PrimaryNeed.FAMILY_DYSFUNCTION,
        factors=(AssessmentFactor.DOMESTIC_ABUSE_PARENT, AssessmentFactor.EMOTIONAL_ABUSE),
        rationale="The children need a Child in Need plan beside the family's own plan",
    )
    final = await walk.closed(assessment)
    await walk.say(
        f"{walk.name(SW)} completes the assessment beside the family's plan; {walk.name(TM)} authorises a Child in "
        f"Need plan (outcome {final.outcome})."
    )


def _participants(walk: Walkthrough, family: Registration, people: dict[str, str]) -> tuple[FgcParticipant, ...]:
    kind = FgcParticipantKind
    worker = walk.ids.social_worker_id
    return (
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=people["mother"], meeting=1),
        FgcParticipant(kind=kind.CHILD, person_id=family.child_id, meeting=1),
        FgcParticipant(kind=kind.ADVOCATE, practitioner_id=ADVOCATE, meeting=1),
        FgcParticipant(
            kind=kind.FAMILY_MEMBER,
            person_id=people["grandmother"],
            meeting=1,
            excluded_from_private_time=True,
            exclusion_reason="She has said she would pass on what the mother says to the father.",
        ),
        FgcParticipant(kind=kind.PROFESSIONAL, practitioner_id=worker, meeting=1),
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=people["father"], meeting=2, interpreter_language="pl"),
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=people["aunt"], meeting=2),
        FgcParticipant(kind=kind.PROFESSIONAL, practitioner_id=worker, meeting=2),
    )


async def _register_family(walk: Walkthrough) -> Registration:
    """Have the social worker register the child and their family and open the child's case."""
    today = local_date(await walk.now())
    child = NewChild(
        given_name="Kit",
        family_name="Fictional",
        date_of_birth=date(today.year - 12, 1, 15),
        sex=Sex.UNKNOWN,
        ethnicity=Ethnicity.NOT_YET_OBTAINED,
        address="3 Nowhere Lane, Exampletown (fictional)",
        upn=CHILD_UPN,
    )
    family = tuple(
        FamilyMember(
            person=NewFamilyMember(given_name=given_name, family_name="Fictional", email=_address(relationship)),
            relationship=relationship,
            parental_responsibility=responsible,
        )
        for relationship, given_name, responsible in FAMILY
    )
    registration = await walk.act(SW, register_child, ChildRegistration(child=child, family=family))
    walk.addresses.update({_address(relationship): f"the {relationship}" for relationship, _, _ in FAMILY})
    return registration


async def _add_advocate(walk: Walkthrough) -> None:
    """Have the administrator add the child's advocate to the conference service (fictional)."""
    advocate = NewPractitioner(
        practitioner_id=ADVOCATE,
        given_name="Alex",
        family_name="Example-Advocate",
        email=f"{ADVOCATE}@example.invalid",
        role=Role.SUPPORT_WORKER,
        team_id=FGC_TEAM_ID,
        reason="Advocates for children at family group conferences",
    )
    await walk.act(Role.ADMINISTRATOR, create_practitioner, advocate)
    walk.addresses[advocate.email] = "the child's advocate"


def _address(relationship: str) -> str:
    return f"fgc-{relationship}@example.invalid"
