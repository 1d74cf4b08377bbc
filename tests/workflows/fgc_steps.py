"""Steps that drive a family group conference in tests: a fictional family, and the decisions made on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert
from temporalio.client import WorkflowHandle

from safeguarding.codes import ConsentState, FgcMeetingStage, FgcParticipantKind, FgcReason, Role
from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.fgc import (
    AgreeFgcPlan,
    AgreeFgcReferral,
    AllocateFgcCoordinator,
    ArrangeFgcConference,
    FgcInput,
    FgcMeeting,
    FgcParticipant,
    FgcResult,
    InviteFgcParticipants,
    RecordFgcBaselineMeeting,
    RecordFgcConferenceStage,
    RecordFgcConsent,
    RecordFgcFirstContact,
    ReferToFgc,
    SubmitFgcPlan,
    fgc_workflow_id,
)
from safeguarding.models import Actor, ProcessStatus
from safeguarding.schema import case_members, people
from tests.factories import CaseIds, create_practitioner, create_team, new_id
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import last_working_day_at

QUESTIONS = (
    "How will the family make sure the children get to school every day?",
    "Who can the children stay with when their mother is unwell?",
    "How will the family keep the children safe from the father's violence?",
)
BOTTOM_LINES = ("The children must not be left alone with their father.",)


@dataclass(frozen=True)
class Family:
    """A fictional family around one case, the referrer's colleagues, and an independent coordinator."""

    case: CaseIds
    mother_id: str
    father_id: str
    grandmother_id: str
    friend_id: str
    coordinator_id: str
    support_worker_id: str
    advocate_id: str


async def seed_family(harness: Harness, *, child_born: date = date(2015, 3, 1)) -> Family:
    """Create a case whose mother and father have parental responsibility, a grandmother and a family friend."""
    case = await harness.new_case(date_of_birth=child_born)
    async with harness.sessionmaker.begin() as session:
        ids = {}
        for name in ("mother", "father", "grandmother", "friend"):
            ids[name] = new_id("person")
            await session.execute(
                insert(people).values(
                    id=ids[name], given_name=name.title(), family_name="Fictional", email=f"{ids[name]}@example.invalid"
                )
            )
        for name, responsible in (("mother", True), ("father", True), ("grandmother", False)):
            await session.execute(
                insert(case_members).values(
                    case_id=case.case_id, person_id=ids[name], relationship=name, parental_responsibility=responsible
                )
            )
        service = await create_team(session, name="Fictional Family Group Conference Service")
        coordinator = await create_practitioner(session, team_id=service, role=Role.FGC_COORDINATOR)
        advocate = await create_practitioner(session, team_id=service, role=Role.SUPPORT_WORKER, family_name="Advocate")
        support = await create_practitioner(session, team_id=harness.team.team_id, role=Role.SUPPORT_WORKER)
    return Family(
        case=case,
        mother_id=ids["mother"],
        father_id=ids["father"],
        grandmother_id=ids["grandmother"],
        friend_id=ids["friend"],
        coordinator_id=coordinator,
        support_worker_id=support,
        advocate_id=advocate,
    )


def coordinator(harness: Harness, family: Family) -> Actor:
    """Return the family's coordinator as an actor."""
    return Actor(practitioner_id=family.coordinator_id, role=Role.FGC_COORDINATOR, team_id=harness.team.team_id)


async def start_fgc(
    harness: Harness,
    family: Family,
    *,
    reason: FgcReason = FgcReason.ASSESSMENT,
    offer_letter_at: datetime | None = None,
) -> WorkflowHandle:
    """Start a conference for the family's case, proposed on the last working day."""
    proposed = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    source = None if reason is FgcReason.PRE_PROCEEDINGS else assessment_id(family.case.reference)
    started = FgcInput(
        context=harness.context(family.case),
        proposed_at=proposed,
        reason=reason,
        source_workflow_id=source,
        offer_letter_at=offer_letter_at,
    )
    workflow_id = fgc_workflow_id(family.case.reference, proposed)
    return await harness.start("FamilyGroupConference", started, workflow_id, result_type=FgcResult)


async def status(handle: WorkflowHandle) -> ProcessStatus:
    """Return the conference's `status` query."""
    return await handle.query("status", result_type=ProcessStatus)


async def refer_and_agree(harness: Harness, handle: WorkflowHandle, family: Family, *, urgent: bool = False) -> None:
    """The social worker refers with the mother's consent; the manager agrees the referral."""
    worker = harness.actor(Role.SOCIAL_WORKER)
    await handle.execute_update(
        "refer_to_fgc", ReferToFgc(actor=worker, questions=QUESTIONS, bottom_lines=BOTTOM_LINES, urgent=urgent)
    )
    await handle.execute_update(
        "record_fgc_consent", RecordFgcConsent(actor=worker, person_id=family.mother_id, consent=ConsentState.GIVEN)
    )
    await handle.execute_update(
        "agree_fgc_referral", AgreeFgcReferral(actor=harness.actor(Role.TEAM_MANAGER), agreed=True)
    )


async def allocate_and_prepare(
    harness: Harness, handle: WorkflowHandle, family: Family, *, urgent: bool = False
) -> None:
    """The manager allocates the coordinator, who contacts the family and (unless urgent) meets them."""
    await handle.execute_update(
        "allocate_fgc_coordinator",
        AllocateFgcCoordinator(actor=harness.actor(Role.TEAM_MANAGER), coordinator_id=family.coordinator_id),
    )
    await handle.execute_update("record_fgc_first_contact", RecordFgcFirstContact(actor=coordinator(harness, family)))
    if not urgent:
        await handle.execute_update(
            "record_fgc_baseline_meeting", RecordFgcBaselineMeeting(actor=coordinator(harness, family))
        )


def single_meeting(family: Family) -> tuple[FgcParticipant, ...]:
    """The mother, the grandmother, a family friend and the social worker, in one meeting."""
    return (
        FgcParticipant(kind=FgcParticipantKind.FAMILY_MEMBER, person_id=family.mother_id),
        FgcParticipant(
            kind=FgcParticipantKind.FAMILY_MEMBER, person_id=family.grandmother_id, interpreter_language="pl"
        ),
        FgcParticipant(kind=FgcParticipantKind.FRIEND, person_id=family.friend_id),
        FgcParticipant(kind=FgcParticipantKind.PROFESSIONAL, practitioner_id=family.support_worker_id),
    )


async def invite_and_arrange(
    harness: Harness,
    handle: WorkflowHandle,
    family: Family,
    participants: tuple[FgcParticipant, ...],
    *,
    split: bool = False,
    ahead: timedelta = timedelta(days=7),
) -> None:
    """The coordinator agrees the invitees with the family, then the venue and date of each meeting."""
    actor = coordinator(harness, family)
    await handle.execute_update(
        "invite_fgc_participants",
        InviteFgcParticipants(
            actor=actor, participants=participants, agreed_with_family=True, split_for_domestic_abuse=split
        ),
    )
    now = await harness.env.get_current_time()
    meetings = tuple(
        FgcMeeting(meeting=n, at=now + ahead + timedelta(hours=4 * (n - 1)), venue="Northtown Family Hub")
        for n in sorted({p.meeting for p in participants})
    )
    await handle.execute_update("arrange_fgc_conference", ArrangeFgcConference(actor=actor, meetings=meetings))


async def hold_meetings(
    harness: Harness, handle: WorkflowHandle, family: Family, meetings: tuple[int, ...] = (1,)
) -> None:
    """Information sharing, then private family time, at each meeting."""
    for meeting in meetings:
        for stage in (FgcMeetingStage.INFORMATION_SHARING, FgcMeetingStage.PRIVATE_FAMILY_TIME):
            await handle.execute_update(
                "record_fgc_conference_stage",
                RecordFgcConferenceStage(actor=coordinator(harness, family), meeting=meeting, stage=stage),
            )


async def share_plan(harness: Harness, handle: WorkflowHandle, family: Family, plan: str) -> None:
    """The coordinator writes down the family's plan."""
    await handle.execute_update("submit_fgc_plan", SubmitFgcPlan(actor=coordinator(harness, family), plan=plan))


async def decide_plan(harness: Harness, handle: WorkflowHandle, *, agreed: bool, reason: str | None = None) -> None:
    """The referring social worker agrees the plan, or says why it places the child at risk."""
    await handle.execute_update(
        "agree_fgc_plan", AgreeFgcPlan(actor=harness.actor(Role.SOCIAL_WORKER), agreed=agreed, rationale=reason)
    )
