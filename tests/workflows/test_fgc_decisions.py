"""Bad decisions on a family group conference are refused with a reason, and the conference keeps running."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError

from safeguarding.codes import FgcParticipantKind, FgcReason, Role
from safeguarding.commands.fgc import (
    AllocateFgcCoordinator,
    FgcInput,
    FgcParticipant,
    FgcResult,
    InviteFgcParticipants,
    RecordFgcBaselineMeeting,
    RecordFgcFirstContact,
    ReferToFgc,
    fgc_workflow_id,
)
from safeguarding.models import ProcessContext
from tests.fixtures.temporal import Harness
from tests.workflows.fgc_steps import (
    BOTTOM_LINES,
    QUESTIONS,
    coordinator,
    refer_and_agree,
    seed_family,
    single_meeting,
    start_fgc,
    status,
)
from tests.workflows.time_control import last_working_day_at


async def _refused(handle, update: str, command) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, command)
    return str(failure.value.cause)


def _referral_payload(harness: Harness, questions: list[str]) -> dict:
    worker = harness.actor(Role.SOCIAL_WORKER)
    return {"actor": worker.model_dump(mode="json"), "questions": questions, "bottom_lines": list(BOTTOM_LINES)}


async def test_a_referral_needs_three_or_four_questions_from_a_social_worker_or_support_worker(
    harness: Harness,
) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    now = await harness.env.get_current_time()

    for count in (2, 5):
        with pytest.raises(ValidationError, match=f"at (least|most) {3 if count == 2 else 4} items"):
            ReferToFgc(
                actor=harness.actor(Role.SOCIAL_WORKER), questions=QUESTIONS[:1] * count, bottom_lines=BOTTOM_LINES
            )
        await _refused(handle, "refer_to_fgc", _referral_payload(harness, ["A clear question?"] * count))
    malformed = {**_referral_payload(harness, list(QUESTIONS)), "urgent": "very"}
    await _refused(handle, "refer_to_fgc", malformed)
    manager = ReferToFgc(actor=harness.actor(Role.TEAM_MANAGER), questions=QUESTIONS, bottom_lines=BOTTOM_LINES)
    assert "a team_manager may not make this decision" in await _refused(handle, "refer_to_fgc", manager)
    future = ReferToFgc(
        actor=harness.actor(Role.SOCIAL_WORKER),
        questions=QUESTIONS,
        bottom_lines=BOTTOM_LINES,
        effective_at=now + timedelta(days=1),
    )
    assert "in the future" in await _refused(handle, "refer_to_fgc", future)
    await handle.execute_update("refer_to_fgc", future.model_copy(update={"effective_at": None}))
    assert "already decided" in await _refused(handle, "refer_to_fgc", future.model_copy(update={"effective_at": None}))

    current = await status(handle)
    assert current.stage == "referral"
    assert [d.decision for d in current.decisions] == ["refer_to_fgc"]
    assert [t.decision for t in current.open_tasks] == ["record_fgc_consent", "agree_fgc_referral"]


async def test_the_coordinator_is_independent_and_only_they_record_the_preparation(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    manager = harness.actor(Role.TEAM_MANAGER)

    referrer = AllocateFgcCoordinator(actor=manager, coordinator_id=harness.team.social_worker_id)
    assert "must be independent" in await _refused(handle, "allocate_fgc_coordinator", referrer)
    social_worker = AllocateFgcCoordinator(
        actor=harness.actor(Role.SOCIAL_WORKER), coordinator_id=family.coordinator_id
    )
    assert "may not make this decision" in await _refused(handle, "allocate_fgc_coordinator", social_worker)
    await handle.execute_update(
        "allocate_fgc_coordinator", AllocateFgcCoordinator(actor=manager, coordinator_id=family.coordinator_id)
    )
    other = harness.actor(Role.FGC_COORDINATOR, "another-coordinator")
    assert "only the coordinator allocated" in await _refused(
        handle, "record_fgc_first_contact", RecordFgcFirstContact(actor=other)
    )
    invite = InviteFgcParticipants(
        actor=coordinator(harness, family), participants=single_meeting(family), agreed_with_family=True
    )
    assert "record record_fgc_first_contact and record_fgc_baseline_meeting first" in await _refused(
        handle, "invite_fgc_participants", invite
    )

    current = await status(handle)
    assert current.stage == "preparation"
    assert current.facts.coordinator_id == family.coordinator_id


async def test_invitees_are_agreed_with_the_family_and_must_be_in_the_case_store(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    await handle.execute_update(
        "allocate_fgc_coordinator",
        AllocateFgcCoordinator(actor=harness.actor(Role.TEAM_MANAGER), coordinator_id=family.coordinator_id),
    )
    actor = coordinator(harness, family)
    await handle.execute_update("record_fgc_first_contact", RecordFgcFirstContact(actor=actor))
    await handle.execute_update("record_fgc_baseline_meeting", RecordFgcBaselineMeeting(actor=actor))

    with pytest.raises(ValidationError, match="the family chooses who is invited"):
        InviteFgcParticipants(actor=actor, participants=single_meeting(family), agreed_with_family=False)
    with pytest.raises(ValidationError, match="the child attends meeting 1 with an advocate"):
        InviteFgcParticipants(
            actor=actor,
            participants=(*single_meeting(family), FgcParticipant(kind="child", person_id=family.case.child_id)),
            agreed_with_family=True,
        )
    with pytest.raises(ValidationError, match="needs its reason"):
        FgcParticipant(
            kind=FgcParticipantKind.FAMILY_MEMBER, person_id=family.father_id, excluded_from_private_time=True
        )
    stranger = FgcParticipant(kind=FgcParticipantKind.FRIEND, person_id="person-nobody")
    unknown = InviteFgcParticipants(
        actor=actor, participants=(*single_meeting(family), stranger), agreed_with_family=True
    )
    assert "not in the case store: person-nobody" in await _refused(handle, "invite_fgc_participants", unknown)

    current = await status(handle)
    assert "invite_fgc_participants" not in [d.decision for d in current.decisions]
    assert [t.decision for t in current.open_tasks] == ["invite_fgc_participants"]


async def test_a_conference_for_an_unknown_case_fails_with_the_reason(harness: Harness) -> None:
    proposed = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    context = ProcessContext(
        case_id="case-missing",
        case_reference="REF-MISSING",
        team_id=harness.team.team_id,
        profile=harness.profile,
        calendar=harness.calendar,
    )
    handle = await harness.start(
        "FamilyGroupConference",
        FgcInput(context=context, proposed_at=proposed, reason=FgcReason.CP_PLAN, source_workflow_id="cp-plan-x"),
        fgc_workflow_id("REF-MISSING", proposed),
        result_type=FgcResult,
    )

    with pytest.raises(WorkflowFailureError) as failed:
        await handle.result()
    assert "unknown case case-missing" in str(failed.value.cause.cause)


async def test_the_offer_before_proceedings_comes_with_its_letter_and_other_offers_name_their_process(
    harness: Harness,
) -> None:
    family = await seed_family(harness)
    now = await harness.env.get_current_time()
    context = harness.context(family.case)

    with pytest.raises(ValidationError, match="only for, the offer before proceedings"):
        FgcInput(context=context, proposed_at=now, reason=FgcReason.PRE_PROCEEDINGS)
    with pytest.raises(ValidationError, match="only for, the offer before proceedings"):
        FgcInput(
            context=context, proposed_at=now, reason=FgcReason.CIN_PLAN, source_workflow_id="x", offer_letter_at=now
        )
    with pytest.raises(ValidationError, match="names the process it came from"):
        FgcInput(context=context, proposed_at=now, reason=FgcReason.CIN_PLAN)
