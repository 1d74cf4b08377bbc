"""The disagreement activities and the addresses they reach (statutory-rules.md §8), against the real parts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from activities.disagreements import DisagreementActivities
from safeguarding.codes import DisagreementOutcome, DisagreementStage, Process, Role
from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.disagreement import (
    ApplyResolution,
    DisagreementLogEntry,
    DisputeRecorded,
    DisputeRefused,
    DisputeRequest,
    FinishedResolution,
    RecordDispute,
    ResolutionApplied,
    ResolutionRequest,
)
from safeguarding.models import Actor, DecisionRecord, ProcessSnapshot, Recipient
from safeguarding.schema import disagreements
from safeguarding.store.chronology import list_chronology
from safeguarding.store.partnerships import set_duty_manager, upsert_partnership
from safeguarding.store.process_records import get_process_record, list_decisions
from safeguarding.store.processes import apply_snapshot
from safeguarding.store.recipients import UnresolvableRecipient, find_recipient_address
from tests.factories import create_case, create_practitioner, create_team

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _actor(role: Role = Role.HEALTH_VISITOR) -> Actor:
    return Actor(practitioner_id="hv-1", role=role, team_id="team-1")


async def test_the_log_line_is_written_once_and_kept_up_to_date(
    db: async_sessionmaker[AsyncSession], time_skipping_env: WorkflowEnvironment
) -> None:
    async with db.begin() as session:
        case = await create_case(session)
    activities = DisagreementActivities(db, time_skipping_env.client)
    entry = DisagreementLogEntry(
        workflow_id="disagreement-REF-1-20261125T100000",
        case_id=case.case_id,
        team_id=case.team_id,
        partnership_id="example-partnership",
        about_workflow_id=assessment_id(case.reference),
        about_key="authorise",
        raised_by_id="hv-1",
        raised_by_role=Role.HEALTH_VISITOR,
        immediate_risk=False,
        raised_at=NOW,
        started_at_stage=DisagreementStage.PRACTITIONERS,
        stage_reached=DisagreementStage.PRACTITIONERS,
        outcome=DisagreementOutcome.OPEN,
    )
    moved = entry.model_copy(update={"stage_reached": DisagreementStage.TEAM_MANAGERS})

    for written in (entry, entry, moved, moved):
        await ActivityEnvironment().run(activities.record_disagreement, written)

    async with db() as session:
        rows = (await session.execute(select(disagreements.c.stage_reached, disagreements.c.outcome))).all()
    assert [tuple(row) for row in rows] == [("team_managers", "open")]


async def test_a_dispute_about_a_process_that_is_not_running_is_refused_as_an_answer(
    db: async_sessionmaker[AsyncSession], time_skipping_env: WorkflowEnvironment
) -> None:
    activities = DisagreementActivities(db, time_skipping_env.client)
    request = DisputeRequest(
        workflow_id="assessment-REF-NOSUCH",
        dispute=RecordDispute(
            disagreement_workflow_id="disagreement-REF-NOSUCH-1",
            about_key="authorise",
            raised_by=_actor(),
            raised_at=NOW,
        ),
    )

    refused = await ActivityEnvironment().run(activities.record_dispute_on_process, request)

    assert refused == DisputeRefused(
        workflow_id="assessment-REF-NOSUCH",
        reason="assessment-REF-NOSUCH is not running (stopped without closing, or no such process)",
    )


async def test_a_resolution_for_a_finished_process_is_noted_unless_it_would_change_a_decision(
    db: async_sessionmaker[AsyncSession], time_skipping_env: WorkflowEnvironment
) -> None:
    activities = DisagreementActivities(db, time_skipping_env.client)

    def request(new_outcome: str | None) -> ResolutionRequest:
        return ResolutionRequest(
            workflow_id="assessment-REF-GONE",
            update_id="resolution:1",
            resolution=ApplyResolution(
                actor=_actor(Role.TEAM_MANAGER),
                rationale="Agreed in writing",
                disagreement_workflow_id="disagreement-REF-GONE-1",
                stage=DisagreementStage.TEAM_MANAGERS,
                new_outcome=new_outcome,
            ),
        )

    unchanged = await ActivityEnvironment().run(activities.apply_resolution_to_process, request(None))
    changed = await ActivityEnvironment().run(activities.apply_resolution_to_process, request("cin_plan"))

    assert unchanged == ResolutionApplied(workflow_id="assessment-REF-GONE", applied=False, changed_to=None)
    assert isinstance(changed, DisputeRefused) and "is not running" in changed.reason


async def test_a_closed_process_takes_the_dispute_and_its_resolution_on_its_record_once(
    db: async_sessionmaker[AsyncSession], time_skipping_env: WorkflowEnvironment
) -> None:
    async with db.begin() as session:
        case = await create_case(session)
        authorised = DecisionRecord(
            key="authorise:1",
            decision="authorise",
            actor_id="tm-1",
            actor_role=Role.TEAM_MANAGER,
            effective_at=NOW,
            recorded_at=NOW,
            outcome="family_support_plan",
        )
        closed = ProcessSnapshot(
            workflow_id=assessment_id(case.reference),
            process=Process.ASSESSMENT,
            case_id=case.case_id,
            team_id=case.team_id,
            stage="closed",
            profile_ref="example",
            started_at=NOW,
            closed_at=NOW,
            outcome="family_support_plan",
            decisions=(authorised,),
        )
        await apply_snapshot(closed, NOW, session=session)
    activities = DisagreementActivities(db, time_skipping_env.client)
    dispute = DisputeRequest(
        workflow_id=closed.workflow_id,
        dispute=RecordDispute(
            disagreement_workflow_id="disagreement-1", about_key="authorise:1", raised_by=_actor(), raised_at=NOW
        ),
    )
    resolved = FinishedResolution(
        workflow_id=closed.workflow_id,
        case_id=case.case_id,
        resolution=ApplyResolution(
            actor=_actor(Role.TEAM_MANAGER),
            rationale="A CIN plan is agreed",
            disagreement_workflow_id="disagreement-1",
            stage=DisagreementStage.TEAM_MANAGERS,
            new_outcome="cin_plan",
        ),
        carried_out="a Child in Need plan recorded",
    )

    recorded = [await ActivityEnvironment().run(activities.record_dispute_on_process, dispute) for _ in range(2)]
    for _ in range(2):
        await ActivityEnvironment().run(activities.record_resolution_on_finished, resolved)

    assert recorded[0] == recorded[1]
    assert isinstance(recorded[0], DisputeRecorded)
    assert (recorded[0].decision, recorded[0].outcome, recorded[0].decided_by_id, recorded[0].closed_at) == (
        "authorise",
        "family_support_plan",
        "tm-1",
        NOW,
    )
    async with db() as session:
        record = await get_process_record(closed.workflow_id, session=session)
        made = await list_decisions(closed.workflow_id, session=session)
        entries = [row["event"] for row in await list_chronology(case.case_id, session=session)]
    assert record is not None and record["outcome"] == "cin_plan"
    assert [row["decision_key"] for row in made] == ["authorise:1", "apply_resolution:1"]
    assert entries == ["dispute.raised", "dispute.resolved"]


async def test_the_duty_manager_is_the_one_on_the_rota_else_the_team_manager(
    db: async_sessionmaker[AsyncSession],
) -> None:
    async with db.begin() as session:
        team = await create_team(session)
        manager = await create_practitioner(session, team_id=team, role=Role.TEAM_MANAGER)
        on_duty = await create_practitioner(session, team_id=team, role=Role.SERVICE_MANAGER)
        before = await find_recipient_address(Recipient(kind="duty_manager", id=team), session=session)
        await set_duty_manager(team, on_duty, NOW, session=session)
        during = await find_recipient_address(Recipient(kind="duty_manager", id=team), session=session)
        await set_duty_manager(team, manager, NOW, session=session)
        after = await find_recipient_address(Recipient(kind="duty_manager", id=team), session=session)

    assert (before, during, after) == (
        f"{manager}@example.invalid",
        f"{on_duty}@example.invalid",
        f"{manager}@example.invalid",
    )


async def test_the_partnership_is_reached_at_its_business_unit_mailbox(db: async_sessionmaker[AsyncSession]) -> None:
    async with db.begin() as session:
        await upsert_partnership("p-1", name="Fictional Partnership", mailbox="old@example.invalid", session=session)
        await upsert_partnership("p-1", name="Fictional Partnership", mailbox="lscp@example.invalid", session=session)
        found = await find_recipient_address(Recipient(kind="partnership", id="p-1"), session=session)
        with pytest.raises(UnresolvableRecipient, match="no e-mail address for partnership 'p-2'"):
            await find_recipient_address(Recipient(kind="partnership", id="p-2"), session=session)

    assert found == "lscp@example.invalid"
