"""A manager reassigns a process: reminders and tasks go to the person now responsible (statutory-rules.md §1)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from safeguarding.codes import CpCategory, ReviewOutcome, Role
from safeguarding.commands import Decision
from safeguarding.commands.cp_plan import DecideReview, RecordCoreGroup
from safeguarding.commands.fgc import AllocateFgcCoordinator, RecordFgcBaselineMeeting, RecordFgcFirstContact
from safeguarding.commands.reassign import (
    Reassign,
    ReassignToFgcCoordinator,
    ReassignToLado,
    ReassignToSocialWorker,
)
from safeguarding.models import Actor, DecisionRecord
from safeguarding.schema import chronology, process_records
from safeguarding.working_days import at_local_time, subtract_working_days
from tests.factories import create_practitioner
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import allocate_and_see, start_assessment, status
from tests.workflows.cp_plan_steps import chair, start_plan
from tests.workflows.fgc_steps import coordinator, refer_and_agree, seed_family, start_fgc
from tests.workflows.lado_steps import notification_form, seed_lado_team, start_lado
from tests.workflows.test_cp_plan import days_ago, run_number, started
from tests.workflows.time_control import eventually, last_working_day_at, next_weekday_at, skip_to

MONDAY = 0
REASON = "The allocated worker is on long-term leave."


async def _colleague(harness: Harness, role: Role, team_id: str | None = None) -> str:
    """Create another practitioner in `role` (in the seeded team unless told) and return their id."""
    async with harness.sessionmaker.begin() as session:
        return await create_practitioner(session, team_id=team_id or harness.team.team_id, role=role)


async def _refusal(handle, command: Decision, update: str = "reassign") -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(update, command)
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "DecisionRejected"
    return cause


async def test_after_a_reassignment_the_next_reminder_goes_to_the_social_worker_now_responsible(
    skipping: Harness,
) -> None:
    case = await skipping.new_case()
    referral = next_weekday_at(await skipping.env.get_current_time(), MONDAY, time(10, 0))
    await skip_to(skipping.env, referral)
    handle = await start_assessment(skipping, case, referral)
    await allocate_and_see(skipping, handle)
    newcomer = await _colleague(skipping, Role.SOCIAL_WORKER)

    record = await handle.execute_update(
        "reassign",
        ReassignToSocialWorker(actor=skipping.actor(Role.TEAM_MANAGER), practitioner_id=newcomer, rationale=REASON),
        result_type=DecisionRecord,
    )

    assert (record.decision, record.outcome, record.rationale) == ("reassign", f"reassigned to {newcomer}", REASON)
    now = await status(handle)
    assert now.deadlines[0].responsible_id == newcomer
    assert [(t.decision, t.assignee_id) for t in now.open_tasks] == [("submit_assessment", newcomer)]
    async with skipping.sessionmaker() as session:
        responsible = await session.scalar(
            select(process_records.c.responsible_id).where(process_records.c.workflow_id == handle.id)
        )
        noted = (
            await session.execute(
                select(chronology.c.summary, chronology.c.actor_id).where(
                    chronology.c.workflow_id == handle.id, chronology.c.event == "decision.reassign"
                )
            )
        ).all()
    assert responsible == newcomer
    assert noted == [(f"reassign: reassigned to {newcomer}", skipping.team.team_manager_id)]

    first_reminder = subtract_working_days(now.deadlines[0].due_date, 5, skipping.calendar)
    await skip_to(skipping.env, at_local_time(first_reminder, time(12)))

    async def reminded():
        """the first reminder has been sent"""
        return len(skipping.smtp.messages) >= 1 or None

    await eventually(reminded)
    assert await skipping.recipients("due in") == [newcomer]


async def test_a_reassignment_by_a_social_worker_without_a_reason_or_to_whoever_has_it_is_refused(
    harness: Harness,
) -> None:
    case = await harness.new_case()
    handle = await start_assessment(harness, case, await harness.env.get_current_time() - timedelta(hours=1))
    await allocate_and_see(harness, handle)
    newcomer = await _colleague(harness, Role.SOCIAL_WORKER)
    manager = harness.actor(Role.TEAM_MANAGER)

    def to(practitioner_id: str = newcomer, actor: Actor = manager, rationale: str | None = REASON) -> Reassign:
        return ReassignToSocialWorker(actor=actor, practitioner_id=practitioner_id, rationale=rationale)

    refused = await _refusal(handle, to(actor=harness.actor(Role.SOCIAL_WORKER)))
    assert refused.message == (
        "reassign: a social_worker may not make this decision; it needs team_manager or service_manager"
    )
    assert (await _refusal(handle, to(rationale=None))).message == "reassign: a rationale is required"
    assert (await _refusal(handle, to(rationale="  \n"))).message == "reassign: a rationale is required"
    assert (await _refusal(handle, to(harness.team.social_worker_id))).message == (
        f"reassign: {harness.team.social_worker_id} is already responsible for this assessment"
    )
    unchanged = await status(handle)
    assert [d.decision for d in unchanged.decisions] == ["allocate", "record_child_seen"]
    assert unchanged.deadlines[0].responsible_id == harness.team.social_worker_id

    await handle.execute_update("reassign", to(actor=harness.actor(Role.SERVICE_MANAGER)))
    assert (await status(handle)).deadlines[0].responsible_id == newcomer


async def test_only_the_lado_manager_reassigns_an_allegation_and_the_tasks_follow_the_new_lado(
    harness: Harness,
) -> None:
    team = await seed_lado_team(harness)
    notified = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    form = notification_form(team, came_to_attention_at=notified - timedelta(hours=1), notified_at=notified)
    handle = await start_lado(harness, team, form)
    other_lado = await _colleague(harness, Role.LADO, team.team_id)

    def to(actor: Actor) -> Reassign:
        return ReassignToLado(
            actor=actor, practitioner_id=other_lado, rationale="Conflict of interest: knows the school"
        )

    refused = await _refusal(handle, to(harness.actor(Role.TEAM_MANAGER)))
    assert refused.message == "reassign: a team_manager may not make this decision; it needs lado_manager"
    assert "lado may not" in (await _refusal(handle, to(team.actor(Role.LADO)))).message

    await handle.execute_update("reassign", to(team.actor(Role.LADO_MANAGER)))
    now = await status(handle)
    assert {t.assignee_id for t in now.open_tasks} == {other_lado}
    assert {d.responsible_id for d in now.deadlines if d.state == "pending"} == {other_lado}


async def test_a_conference_is_reassigned_to_an_independent_coordinator_who_then_records_its_steps(
    harness: Harness,
) -> None:
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    manager = harness.actor(Role.TEAM_MANAGER)
    await refer_and_agree(harness, handle, family)

    def to(practitioner_id: str) -> Reassign:
        return ReassignToFgcCoordinator(actor=manager, practitioner_id=practitioner_id, rationale=REASON)

    assert "not possible at stage 'allocation'" in (await _refusal(handle, to(family.coordinator_id))).message
    await handle.execute_update(
        "allocate_fgc_coordinator", AllocateFgcCoordinator(actor=manager, coordinator_id=family.coordinator_id)
    )
    await handle.execute_update("record_fgc_first_contact", RecordFgcFirstContact(actor=coordinator(harness, family)))
    refused = await _refusal(handle, to(harness.team.social_worker_id))
    assert "has decided on this referral; the coordinator must be independent" in refused.message

    newcomer = await _colleague(harness, Role.FGC_COORDINATOR)
    await handle.execute_update("reassign", to(newcomer))
    now = await status(handle)
    assert now.facts.coordinator_id == newcomer
    assert {t.assignee_id for t in now.open_tasks} == {newcomer}
    old = RecordFgcBaselineMeeting(actor=coordinator(harness, family))
    refused = await _refusal(handle, old, "record_fgc_baseline_meeting")
    assert "only the coordinator allocated to this conference" in refused.message
    new_coordinator = Actor(practitioner_id=newcomer, role=Role.FGC_COORDINATOR, team_id=harness.team.team_id)
    await handle.execute_update("record_fgc_baseline_meeting", RecordFgcBaselineMeeting(actor=new_coordinator))


async def test_a_plans_new_lead_social_worker_records_its_core_groups_and_stays_lead_after_the_review(
    harness: Harness,
) -> None:
    case = await harness.new_case()
    icpc = await days_ago(harness, 5)
    handle = await start_plan(harness, case, icpc)
    await started(handle)
    newcomer = await _colleague(harness, Role.SOCIAL_WORKER)
    await handle.execute_update(
        "reassign",
        ReassignToSocialWorker(actor=harness.actor(Role.TEAM_MANAGER), practitioner_id=newcomer, rationale=REASON),
    )

    now = await status(handle)
    assert now.facts.lead_social_worker_id == newcomer
    assert {t.assignee_id for t in now.open_tasks if t.decision == "record_core_group"} == {newcomer}
    refused = await _refusal(handle, RecordCoreGroup(actor=harness.actor(Role.SOCIAL_WORKER)), "record_core_group")
    assert "only the plan's lead social worker" in refused.message
    lead = Actor(practitioner_id=newcomer, role=Role.SOCIAL_WORKER, team_id=harness.team.team_id)
    await handle.execute_update("record_core_group", RecordCoreGroup(actor=lead))
    assert (await status(handle)).facts.core_groups_held == 1

    review = DecideReview(
        actor=chair(), outcome=ReviewOutcome.CONTINUE, category=CpCategory.NEGLECT, rationale="Consensus"
    )
    await handle.execute_update("decide_review", review)
    await run_number(handle, 2)
    carried = await status(handle)
    assert carried.facts.lead_social_worker_id == newcomer
    assert {d.responsible_id for d in carried.deadlines if d.state == "pending"} == {newcomer}
