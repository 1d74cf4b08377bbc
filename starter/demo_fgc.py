"""The demo's family group conference (statutory-rules.md §7), told the way a team manager would tell it.

A fictional family of its own: a 12-year-old whose mother and father both have parental responsibility,
a grandmother, an aunt. Domestic abuse makes one meeting unsafe, so the conference is split: the father
meets apart. The social worker refers with three questions and a bottom line, the mother consents, the
manager agrees and allocates an independent coordinator, who prepares the meetings with the family. The
family's first plan breaks the bottom line, so the social worker does not agree it; the family revises
it, it is agreed, and the review meeting follows. Only ids and case references are printed.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import AgeBand, ConsentState, FgcMeetingStage, FgcParticipantKind, FgcReason, Role
from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.fgc import (
    AgreeFgcPlan,
    AgreeFgcReferral,
    AllocateFgcCoordinator,
    ArrangeFgcConference,
    FgcInput,
    FgcMeeting,
    FgcParticipant,
    InviteFgcParticipants,
    RecordFgcBaselineMeeting,
    RecordFgcChildVoice,
    RecordFgcConferenceStage,
    RecordFgcConsent,
    RecordFgcFirstContact,
    RecordFgcReview,
    ReferToFgc,
    SubmitFgcPlan,
    fgc_workflow_id,
)
from safeguarding.facts import FgcFacts, facts_of
from safeguarding.models import Actor
from safeguarding.schema import case_members, cases, people, practitioners, teams
from safeguarding.store.examples import ExampleCase
from safeguarding.working_days import at_local_time, describe_day, local_date, next_working_day, previous_working_day
from starter.demo_walkthrough import DemoFailed, Walkthrough

CASE = ExampleCase("case-example-fgc", "EX-0012", "person-example-fgc-child", AgeBand.FIVE_AND_OVER)
FGC_TEAM, COORDINATOR, ADVOCATE = "team-example-fgc", "prac-example-fgc", "prac-example-adv"
MOTHER, FATHER, GRANDMOTHER, AUNT = (f"person-example-fgc-{who}" for who in ("mother", "father", "gran", "aunt"))
ADDRESSES = {
    MOTHER: "the mother",
    FATHER: "the father",
    GRANDMOTHER: "the grandmother",
    AUNT: "the aunt",
    COORDINATOR: "the independent coordinator",
    ADVOCATE: "the child's advocate",
}
"""Who each of the story's addresses belongs to, for the narration: a role in the family, never a name."""
SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
INFO, PRIVATE = FgcMeetingStage.INFORMATION_SHARING, FgcMeetingStage.PRIVATE_FAMILY_TIME


async def family_group_conference_case(walk: Walkthrough) -> None:
    """Walk a split family group conference from the referral to the review of the family's revised plan."""
    async with walk.parts.sessionmaker.begin() as session:
        await _seed_family(session, today=local_date(await walk.now()), team_id=walk.ids.team_id)
    walk.addresses.update({f"{who}@example.invalid": words for who, words in ADDRESSES.items()})
    walk.heading(f"Case {CASE.reference}: a family group conference, split because of domestic abuse")
    proposed = await walk.next_working_day_at(time(10, 0))
    workflow_id = fgc_workflow_id(CASE.reference, proposed)
    started = FgcInput(
        context=walk.context(CASE),
        proposed_at=proposed,
        reason=FgcReason.ASSESSMENT,
        source_workflow_id=assessment_id(CASE.reference),
    )
    fgc = await walk.start("FamilyGroupConference", started, workflow_id)
    await walk.say(f"The assessment proposes a family group conference ({workflow_id}).")
    await walk.decide(
        fgc,
        "refer_to_fgc",
        ReferToFgc(
            actor=walk.actor(SW),
            questions=(
                "How will the children get to school every day?",
                "Who will look after the children when their mother is unwell?",
                "How will the family keep the children safe from violence at home?",
            ),
            bottom_lines=("The children are not to be collected or looked after by their father.",),
        ),
    )
    await walk.say(f"{walk.name(SW)} refers, with three questions for the family and one bottom line.")
    await walk.decide(
        fgc, "record_fgc_consent", RecordFgcConsent(actor=walk.actor(SW), person_id=MOTHER, consent=ConsentState.GIVEN)
    )
    await walk.decide(fgc, "agree_fgc_referral", AgreeFgcReferral(actor=walk.actor(TM), agreed=True))
    status = await walk.status(fgc)
    due = {d.rule_id: describe_day(d.due_date) for d in status.deadlines}
    await walk.say(
        f"The mother consents ({facts_of(FgcFacts, status.facts).consent_basis}); {walk.name(TM)} agrees the referral. "
        f"Acknowledgement due by {due['fgc_acknowledgement']}; the whole process by {due['fgc_whole_process']}."
    )
    await walk.later_today(time(14, 0))
    await walk.decide(
        fgc, "allocate_fgc_coordinator", AllocateFgcCoordinator(actor=walk.actor(TM), coordinator_id=COORDINATOR)
    )
    await walk.say(
        f"{walk.name(TM)} allocates an independent coordinator ({COORDINATOR}); the referral is acknowledged."
    )
    await walk.mail()

    coordinator = Actor(practitioner_id=COORDINATOR, role=Role.FGC_COORDINATOR, team_id=FGC_TEAM)
    await walk.later_today(time(16, 0))
    await walk.decide(fgc, "record_fgc_first_contact", RecordFgcFirstContact(actor=coordinator))
    await walk.next_working_day_at(time(10, 0))
    await walk.decide(fgc, "record_fgc_baseline_meeting", RecordFgcBaselineMeeting(actor=coordinator))
    await fgc.execute_update(
        "record_fgc_child_voice",
        RecordFgcChildVoice(actor=coordinator, words="I want to see my dad but not at home.", through_advocate=True),
    )
    await walk.say("The coordinator contacts the family, meets the child and family, and records the child's voice.")
    await walk.decide(
        fgc,
        "invite_fgc_participants",
        InviteFgcParticipants(
            actor=coordinator, participants=_participants(walk), agreed_with_family=True, split_for_domestic_abuse=True
        ),
    )
    meeting_day = next_working_day(local_date(await walk.now()) + timedelta(days=14), walk.calendar)
    meetings = (
        FgcMeeting(meeting=1, at=at_local_time(meeting_day, time(10, 0)), venue="Exampletown Family Hub"),
        FgcMeeting(meeting=2, at=at_local_time(meeting_day, time(14, 0)), venue="Exampletown Family Hub"),
    )
    await walk.decide(fgc, "arrange_fgc_conference", ArrangeFgcConference(actor=coordinator, meetings=meetings))
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
            await walk.decide(
                fgc,
                "record_fgc_conference_stage",
                RecordFgcConferenceStage(actor=coordinator, meeting=meeting, stage=stage),
            )
        await walk.say(f"Meeting {meeting}: information sharing, then private family time (professionals leave).")
    await walk.later_today(time(16, 30))
    await walk.decide(
        fgc, "submit_fgc_plan", SubmitFgcPlan(actor=coordinator, plan="Dad takes the children to school.")
    )
    reason = "It has the father collecting the children, which the bottom line rules out."
    await walk.decide(fgc, "agree_fgc_plan", AgreeFgcPlan(actor=walk.actor(SW), agreed=False, rationale=reason))
    await walk.say(f"The family shares its plan; {walk.name(SW)} does not agree it: {reason} The family revises it.")
    await walk.later_today(time(16, 50))
    await walk.decide(
        fgc, "submit_fgc_plan", SubmitFgcPlan(actor=coordinator, plan="Gran takes the children to school.")
    )
    await walk.decide(fgc, "agree_fgc_plan", AgreeFgcPlan(actor=walk.actor(SW), agreed=True))
    status = await walk.status(fgc)
    review = next(d for d in status.deadlines if d.rule_id == "fgc_review_meeting")
    facts = facts_of(FgcFacts, status.facts)
    await walk.say(
        f"The revised plan (version {facts.plan_version}, plan {facts.agreed_plan_id} in the "
        f"case store) is agreed. Review meeting due by {describe_day(review.due_date)} ({review.basis})."
    )

    await walk.at(at_local_time(local_date(await walk.now()) + timedelta(days=56), time(11, 0)))
    await walk.decide(fgc, "record_fgc_review", RecordFgcReview(actor=coordinator, plan_working=True))
    final = await walk.closed(fgc)
    if final.outcome != "plan_reviewed" or any(d.state != "met" for d in final.deadlines):
        raise DemoFailed(f"the conference closed {final.outcome} with deadlines {[d.state for d in final.deadlines]}")
    await walk.say("The review meeting: the family's plan is working. Every deadline of the conference was met.")


def _participants(walk: Walkthrough) -> tuple[FgcParticipant, ...]:
    kind = FgcParticipantKind
    worker = walk.ids.social_worker_id
    return (
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=MOTHER, meeting=1),
        FgcParticipant(kind=kind.CHILD, person_id=CASE.child_id, meeting=1),
        FgcParticipant(kind=kind.ADVOCATE, practitioner_id=ADVOCATE, meeting=1),
        FgcParticipant(
            kind=kind.FAMILY_MEMBER,
            person_id=GRANDMOTHER,
            meeting=1,
            excluded_from_private_time=True,
            exclusion_reason="She has said she would pass on what the mother says to the father.",
        ),
        FgcParticipant(kind=kind.PROFESSIONAL, practitioner_id=worker, meeting=1),
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=FATHER, meeting=2, interpreter_language="pl"),
        FgcParticipant(kind=kind.FAMILY_MEMBER, person_id=AUNT, meeting=2),
        FgcParticipant(kind=kind.PROFESSIONAL, practitioner_id=worker, meeting=2),
    )


async def _seed_family(session: AsyncSession, *, today: date, team_id: str) -> None:
    """Insert the fictional family, its case, the conference service and its coordinator (once)."""
    rows: list[tuple[Table, dict[str, Any]]] = [
        (teams, {"id": FGC_TEAM, "name": "Example Family Group Conference Service (fictional)"}),
        (
            people,
            {
                "id": CASE.child_id,
                "given_name": "Kit",
                "family_name": "Fictional",
                "date_of_birth": date(today.year - 12, 1, 15),
            },
        ),
    ]
    for person in (MOTHER, FATHER, GRANDMOTHER, AUNT):
        name = person.rsplit("-", 1)[1].title()
        rows.append(
            (
                people,
                {"id": person, "given_name": name, "family_name": "Fictional", "email": f"{person}@example.invalid"},
            )
        )
    rows.append(
        (
            cases,
            {
                "id": CASE.case_id,
                "reference": CASE.reference,
                "child_id": CASE.child_id,
                "team_id": team_id,
                "opened_at": at_local_time(today, time(9, 0)),
            },
        )
    )
    for person, relationship, responsible in (
        (MOTHER, "mother", True),
        (FATHER, "father", True),
        (GRANDMOTHER, "grandmother", False),
        (AUNT, "aunt", False),
    ):
        rows.append(
            (
                case_members,
                {
                    "case_id": CASE.case_id,
                    "person_id": person,
                    "relationship": relationship,
                    "parental_responsibility": responsible,
                },
            )
        )
    for practitioner, role, family_name in (
        (COORDINATOR, Role.FGC_COORDINATOR, "Example-Coordinator"),
        (ADVOCATE, Role.SUPPORT_WORKER, "Example-Advocate"),
    ):
        rows.append(
            (
                practitioners,
                {
                    "id": practitioner,
                    "given_name": "Alex",
                    "family_name": family_name,
                    "email": f"{practitioner}@example.invalid",
                    "role": str(role),
                    "team_id": FGC_TEAM,
                },
            )
        )
    for table, row in rows:
        await session.execute(insert(table).values(row).on_conflict_do_nothing())
