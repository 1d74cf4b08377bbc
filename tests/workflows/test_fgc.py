"""The family group conference: voluntary, and the family decides (statutory-rules.md §7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import (
    ConsentState,
    DeadlineState,
    FgcConsentBasis,
    FgcOutcome,
    FgcParticipantKind,
    FgcReason,
    Role,
)
from safeguarding.commands.fgc import (
    AgreeFgcPlan,
    FgcParticipant,
    RecordFgcChildVoice,
    RecordFgcConsent,
    RecordFgcReview,
    ReferToFgc,
    SubmitFgcPlan,
    WithdrawFgcConsent,
)
from safeguarding.deadlines import compute_due
from safeguarding.store.fgc import get_fgc_referral, list_fgc_child_voice, list_fgc_participants, list_fgc_plans
from safeguarding.working_days import local_date
from tests.fixtures.temporal import Harness
from tests.workflows.fgc_steps import (
    BOTTOM_LINES,
    QUESTIONS,
    Family,
    allocate_and_prepare,
    coordinator,
    decide_plan,
    hold_meetings,
    invite_and_arrange,
    refer_and_agree,
    seed_family,
    share_plan,
    single_meeting,
    start_fgc,
    status,
)
from tests.workflows.time_control import eventually

PLAN = "Grandmother takes the children to school on weekdays; the aunt has them when mother is in hospital."


async def _subjects_to(harness: Harness, count: int) -> list[tuple[str, str]]:
    async def arrived():
        """the expected e-mails have arrived"""
        return len(harness.smtp.messages) >= count

    await eventually(arrived)
    recipients = await harness.recipients()
    return [(to, m["Subject"]) for to, m in zip(recipients, harness.smtp.messages, strict=True)]


async def test_a_family_plan_agreed_at_the_conference_is_reviewed_and_the_process_closes(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    await allocate_and_prepare(harness, handle, family)
    await handle.execute_update(
        "record_fgc_child_voice",
        RecordFgcChildVoice(actor=coordinator(harness, family), words="I want to stay with Nan after school."),
    )
    await invite_and_arrange(harness, handle, family, single_meeting(family))
    await hold_meetings(harness, handle, family)
    await share_plan(harness, handle, family, PLAN)
    await decide_plan(harness, handle, agreed=True)
    await handle.execute_update(
        "record_fgc_review", RecordFgcReview(actor=coordinator(harness, family), plan_working=True)
    )
    result = await handle.result()
    final = await status(handle)

    assert result.outcome is FgcOutcome.PLAN_REVIEWED
    assert final.stage == "closed"
    deadlines = {d.rule_id: d.state for d in final.deadlines}
    assert deadlines == {
        rule: DeadlineState.MET
        for rule in (
            "fgc_acknowledgement",
            "fgc_whole_process",
            "fgc_coordinator_contact",
            "fgc_baseline_meeting",
            "fgc_preparation",
            "fgc_review_meeting",
        )
    }
    # The workflow keeps ids and codes; the texts are in the case store.
    assert PLAN not in str(final) and "Nan" not in str(final) and QUESTIONS[0] not in str(final)
    assert final.facts.agreed_plan_id == str(result.plan_id)
    async with harness.sessionmaker() as session:
        [plan] = await list_fgc_plans(handle.id, session=session)
        [voice] = await list_fgc_child_voice(handle.id, session=session)
        referral = await get_fgc_referral(handle.id, session=session)
        participants = await list_fgc_participants(handle.id, session=session)
    assert (plan["id"], plan["plan_text"], plan["agreed"]) == (result.plan_id, PLAN, True)
    assert voice["words"] == "I want to stay with Nan after school."
    assert referral is not None and tuple(referral["questions"]) == QUESTIONS
    assert tuple(referral["bottom_lines"]) == BOTTOM_LINES
    assert [p["interpreter_language"] for p in participants] == [None, "pl", None, None]

    mail = await _subjects_to(harness, 5)
    assert mail[0] == (
        harness.team.social_worker_id,
        f"Family group conference referral acknowledged: case {family.case.reference}",
    )
    invited = sorted(to for to, subject in mail[1:] if subject.startswith("Invitation to a family group conference"))
    people = (family.mother_id, family.grandmother_id, family.friend_id)
    expected = sorted([*(f"{person}@example.invalid" for person in people), family.support_worker_id])
    assert invited == expected


async def test_a_parent_refusing_consent_closes_the_referral(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    worker = harness.actor(Role.SOCIAL_WORKER)
    await handle.execute_update(
        "refer_to_fgc", ReferToFgc(actor=worker, questions=QUESTIONS, bottom_lines=BOTTOM_LINES)
    )
    await handle.execute_update(
        "record_fgc_consent", RecordFgcConsent(actor=worker, person_id=family.father_id, consent=ConsentState.REFUSED)
    )
    result = await handle.result()
    final = await status(handle)

    assert result.outcome is FgcOutcome.CONSENT_REFUSED
    assert final.deadlines == ()
    assert final.facts.consent == ConsentState.REFUSED
    assert final.facts.consent_basis == FgcConsentBasis.PARENTAL_RESPONSIBILITY
    assert harness.smtp.messages == []


async def test_only_a_parent_or_a_competent_young_person_of_16_or_17_can_consent(harness: Harness) -> None:
    today = local_date(await harness.env.get_current_time())
    family = await seed_family(harness, child_born=date(today.year - 16, 1, 1))  # 16 all this year
    handle = await start_fgc(harness, family)
    worker = harness.actor(Role.SUPPORT_WORKER, family.support_worker_id)
    await handle.execute_update(
        "refer_to_fgc", ReferToFgc(actor=worker, questions=QUESTIONS, bottom_lines=BOTTOM_LINES)
    )

    refusal = await _refused(
        handle,
        "record_fgc_consent",
        RecordFgcConsent(actor=worker, person_id=family.grandmother_id, consent=ConsentState.GIVEN),
    )
    assert "has no parental responsibility for the child and is not the child aged 16–17" in refusal
    young_person = RecordFgcConsent(actor=worker, person_id=family.case.child_id, consent=ConsentState.GIVEN)
    assert "confirm the young person is competent" in await _refused(handle, "record_fgc_consent", young_person)

    await handle.execute_update("record_fgc_consent", young_person.model_copy(update={"competence_confirmed": True}))
    assert (await status(handle)).facts.consent_basis == FgcConsentBasis.YOUNG_PERSON_16_17


async def _refused(handle, update: str, command) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, command)
    return str(failure.value.cause)


def split_meetings(family: Family) -> tuple[FgcParticipant, ...]:
    """Domestic abuse: the father meets apart; the child, with an advocate, joins the mother's meeting."""
    return (
        FgcParticipant(kind=FgcParticipantKind.FAMILY_MEMBER, person_id=family.mother_id, meeting=1),
        FgcParticipant(kind=FgcParticipantKind.CHILD, person_id=family.case.child_id, meeting=1),
        FgcParticipant(kind=FgcParticipantKind.ADVOCATE, practitioner_id=family.advocate_id, meeting=1),
        FgcParticipant(
            kind=FgcParticipantKind.FAMILY_MEMBER,
            person_id=family.grandmother_id,
            meeting=1,
            excluded_from_private_time=True,
            exclusion_reason="She has said she will tell the father what the mother says.",
        ),
        FgcParticipant(kind=FgcParticipantKind.FAMILY_MEMBER, person_id=family.father_id, meeting=2),
        FgcParticipant(kind=FgcParticipantKind.PROFESSIONAL, practitioner_id=family.support_worker_id, meeting=1),
        FgcParticipant(kind=FgcParticipantKind.PROFESSIONAL, practitioner_id=family.support_worker_id, meeting=2),
    )


async def test_a_split_conference_holds_two_meetings_each_with_its_own_invitees(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    await allocate_and_prepare(harness, handle, family)
    await invite_and_arrange(harness, handle, family, split_meetings(family), split=True)
    await hold_meetings(harness, handle, family, meetings=(1,))
    early = await _refused(handle, "submit_fgc_plan", _plan(harness, family))
    assert "private family time; record it first" in early
    await hold_meetings(harness, handle, family, meetings=(2,))
    await share_plan(harness, handle, family, PLAN)
    final = await status(handle)

    assert final.stage == "plan_agreement"
    assert final.facts.split_conference is True
    held = [d.outcome for d in final.decisions if d.decision == "record_fgc_conference_stage"]
    assert held == [
        "meeting 1: information_sharing held",
        "meeting 1: private_family_time held; professionals left; 1 excluded as agreed",
        "meeting 2: information_sharing held",
        "meeting 2: private_family_time held; professionals left",
    ]
    mail = await _subjects_to(harness, 7)
    invitations = [(to, s) for to, s in mail if s.startswith("Invitation")]
    father = [s for to, s in invitations if to == f"{family.father_id}@example.invalid"]
    mother = [s for to, s in invitations if to == f"{family.mother_id}@example.invalid"]
    assert len(father) == len(mother) == 1 and father != mother
    assert len([to for to, _ in invitations if to == family.support_worker_id]) == 2
    async with harness.sessionmaker() as session:
        rows = await list_fgc_participants(handle.id, session=session)
    excluded = [r for r in rows if r["excluded_from_private_time"]]
    assert [(r["person_id"], r["meeting"]) for r in excluded] == [(family.grandmother_id, 1)]
    assert excluded[0]["exclusion_reason"].startswith("She has said")


def _plan(harness: Harness, family: Family) -> SubmitFgcPlan:
    return SubmitFgcPlan(actor=coordinator(harness, family), plan=PLAN)


async def test_a_plan_not_agreed_is_revised_by_the_family_and_then_agreed(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    await allocate_and_prepare(harness, handle, family)
    await invite_and_arrange(harness, handle, family, single_meeting(family))
    await hold_meetings(harness, handle, family)
    await share_plan(harness, handle, family, "The father collects the children from school.")
    refused = await _refused(handle, "agree_fgc_plan", _agree(harness, agreed=False, rationale=None))
    assert "a rationale is required" in refused
    not_the_referrer = _agree(harness, agreed=True, rationale=None, actor_id=family.support_worker_id)
    assert "the referrer agrees the family's plan" in await _refused(handle, "agree_fgc_plan", not_the_referrer)
    await decide_plan(harness, handle, agreed=False, reason="It leaves the children alone with their father.")
    revising = await status(handle)
    await share_plan(harness, handle, family, PLAN)
    await decide_plan(harness, handle, agreed=True)
    final = await status(handle)

    assert revising.stage == "plan_revision"
    assert [t.decision for t in revising.open_tasks] == ["submit_fgc_plan"]
    assert final.stage == "review"
    assert final.facts.plan_version == 2
    [review] = [d for d in final.deadlines if d.rule_id == "fgc_review_meeting"]
    agreed_at = final.decisions[-1].effective_at
    assert review.due_date == compute_due(harness.profile, "fgc_review_meeting", agreed_at, harness.calendar).due_date
    assert "3 calendar months after" in review.basis
    async with harness.sessionmaker() as session:
        plans = await list_fgc_plans(handle.id, session=session)
    assert [(p["version"], p["agreed"], p["not_agreed_reason"]) for p in plans] == [
        (1, False, "It leaves the children alone with their father."),
        (2, True, None),
    ]


def _agree(harness: Harness, *, agreed: bool, rationale: str | None, actor_id: str | None = None) -> AgreeFgcPlan:
    role = Role.SUPPORT_WORKER if actor_id else Role.SOCIAL_WORKER
    return AgreeFgcPlan(actor=harness.actor(role, actor_id), agreed=agreed, rationale=rationale)


async def test_withdrawn_consent_closes_the_conference_and_tells_everyone_invited(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    await allocate_and_prepare(harness, handle, family)
    await invite_and_arrange(harness, handle, family, single_meeting(family))
    await handle.execute_update(
        "withdraw_fgc_consent",
        WithdrawFgcConsent(actor=coordinator(harness, family), person_id=family.mother_id, rationale="Mother phoned"),
    )
    result = await handle.result()
    final = await status(handle)

    assert result.outcome is FgcOutcome.CONSENT_WITHDRAWN
    assert final.facts.consent == "withdrawn"
    assert final.stage == "closed"
    assert final.open_tasks == ()
    mail = await _subjects_to(harness, 9)
    cancelled = sorted(to for to, s in mail if s.startswith("Family group conference cancelled"))
    assert len(cancelled) == 4


async def test_an_urgent_conference_is_due_within_24_hours_instead_of_the_preparation_clocks(harness: Harness) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family, urgent=True)
    await allocate_and_prepare(harness, handle, family, urgent=True)
    preparing = await status(handle)
    await invite_and_arrange(harness, handle, family, single_meeting(family), ahead=timedelta(hours=6))
    await hold_meetings(harness, handle, family)
    final = await status(handle)

    rules = {d.rule_id for d in preparing.deadlines}
    assert rules == {"fgc_acknowledgement", "fgc_whole_process", "fgc_urgent_conference", "fgc_coordinator_contact"}
    [urgent] = [d for d in final.deadlines if d.rule_id == "fgc_urgent_conference"]
    assert urgent.state is DeadlineState.MET
    assert urgent.basis.startswith("24 hours after the referral (agreed, with the family's consent)")


async def test_the_offer_before_proceedings_records_the_offer_its_acceptance_and_the_meeting(harness: Harness) -> None:
    family = await seed_family(harness)
    letter = await harness.env.get_current_time() - timedelta(days=3)
    handle = await start_fgc(harness, family, reason=FgcReason.PRE_PROCEEDINGS, offer_letter_at=letter)
    await refer_and_agree(harness, handle, family)
    await allocate_and_prepare(harness, handle, family)
    await invite_and_arrange(harness, handle, family, single_meeting(family))
    await hold_meetings(harness, handle, family)
    facts = (await status(handle)).facts
    consent = next(d for d in (await status(handle)).decisions if d.decision == "record_fgc_consent")

    assert facts.reason == FgcReason.PRE_PROCEEDINGS
    assert facts.s31za_offer == "accepted"
    assert consent.outcome.startswith("offer accepted by ")
    assert None not in (facts.s31za_offer_made_on, facts.s31za_meeting_held_on)
