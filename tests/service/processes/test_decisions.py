"""Making a decision: by the right role in the right team, once, or refused with nothing recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import ReferralSource, Role
from safeguarding.models import ProcessStatus
from safeguarding.schema import decisions, process_records
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.decision_bodies import body_problem
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.store.process_records import get_process_record
from tests.factories import SeededTeam, create_practitioner
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import eventually, last_working_day_at

EARLY_HELP = {"outcome": "early_help", "rationale": "Needs met by the family hub"}
AUTHORISED = {"outcome": "nfa", "primary_need": "N9", "factors": ["21"], "rationale": "x"}


async def _front_door(services: Services, worker: Harness) -> str:
    """Record a contact on a new case of the worker's team; return its front door's workflow id."""
    case = await worker.new_case()
    request = ContactRequest(
        case_reference=case.reference,
        received_at=last_working_day_at(datetime.now(UTC), worker.calendar),
        source="school",
        summary="Fictional concern for testing.",
    )
    return (await record_contact(services, await acting(services, worker.team.team_manager_id), request)).workflow_id


async def _recorded(db: async_sessionmaker[AsyncSession], workflow_id: str) -> list[str]:
    """Return the decisions the case store holds for the process (written by the workflow's activity)."""
    async with db() as session:
        query = select(decisions.c.decision).where(decisions.c.workflow_id == workflow_id)
        return list((await session.execute(query)).scalars())


async def _made(worker: Harness, workflow_id: str) -> list[str]:
    """Return the decisions the process itself has made, from its `status`."""
    handle = worker.client.get_workflow_handle(workflow_id)
    return [decision.decision for decision in (await handle.query("status", result_type=ProcessStatus)).decisions]


async def test_the_team_manager_decides_the_contact_and_the_process_records_it(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(services, worker)
    manager = await acting(services, worker.team.team_manager_id)

    record = await make_decision(services, manager, workflow_id, "decide_contact", EARLY_HELP, None)

    assert (record.decision, record.actor_id, record.actor_role, record.outcome) == (
        "decide_contact",
        worker.team.team_manager_id,
        Role.TEAM_MANAGER,
        "early_help",
    )

    async def written() -> list[str]:
        """the case store holds the decision"""
        return await _recorded(db, workflow_id)

    assert await eventually(written) == ["decide_contact"]


async def test_a_decision_sent_again_with_the_same_key_returns_the_same_record_and_is_made_once(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(services, worker)
    social_worker = await acting(services, worker.team.social_worker_id)
    key = "consent from Fictional Parent"

    first = await make_decision(services, social_worker, workflow_id, "record_consent", {"consent": "given"}, key)
    again = await make_decision(services, social_worker, workflow_id, "record_consent", {"consent": "given"}, key)
    with pytest.raises(Conflict) as duplicate:
        await make_decision(services, social_worker, workflow_id, "record_consent", {"consent": "given"}, None)

    assert again == first
    assert duplicate.value.reason.startswith(
        f"record_consent refused by {workflow_id}: record_consent: already decided"
    )

    async def written() -> list[str]:
        """the case store holds the consent"""
        return await _recorded(db, workflow_id)

    assert await eventually(written) == ["record_consent"]
    assert await _made(worker, workflow_id) == ["record_consent"]


async def test_a_social_worker_may_not_decide_the_contact_and_nothing_reaches_the_process(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(services, worker)

    with pytest.raises(Refused) as refused:
        await make_decision(
            services,
            await acting(services, worker.team.social_worker_id),
            workflow_id,
            "decide_contact",
            EARLY_HELP,
            None,
        )

    assert refused.value.reason == (
        f"decide_contact refused by {workflow_id}: decide_contact: a social_worker may not make this decision; "
        "it needs team_manager"
    )
    assert await _made(worker, workflow_id) == []
    assert await _recorded(db, workflow_id) == []


async def test_another_teams_manager_may_not_decide_this_teams_contact(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    workflow_id = await _front_door(services, worker)

    with pytest.raises(Refused) as refused:
        await make_decision(
            services,
            await acting(services, other_team.team_manager_id),
            workflow_id,
            "decide_contact",
            EARLY_HELP,
            None,
        )

    assert refused.value.reason == (
        f"this is team {worker.team.team_id}'s work; {other_team.team_manager_id} is in team {other_team.team_id}"
    )
    assert await _made(worker, workflow_id) == []


async def test_a_process_not_yet_on_record_is_placed_by_its_status_and_its_cases_team(
    services: Services, worker: Harness, other_team: SeededTeam, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(services, worker)

    async def on_record() -> bool:
        """the front door has written its record"""
        async with db() as session:
            return await get_process_record(workflow_id, session=session) is not None

    await eventually(on_record)
    # As a process started a moment ago, before its first activity wrote the record.
    async with db.begin() as session:
        await session.execute(delete(process_records).where(process_records.c.workflow_id == workflow_id))

    with pytest.raises(Refused):
        await make_decision(
            services,
            await acting(services, other_team.team_manager_id),
            workflow_id,
            "decide_contact",
            EARLY_HELP,
            None,
        )
    assert not await on_record()
    record = await make_decision(
        services, await acting(services, worker.team.team_manager_id), workflow_id, "decide_contact", EARLY_HELP, None
    )

    assert record.decision == "decide_contact"


async def test_an_unknown_workflow_an_unknown_decision_or_one_of_another_process_is_not_found(
    services: Services, worker: Harness
) -> None:
    workflow_id = await _front_door(services, worker)
    manager = await acting(services, worker.team.team_manager_id)

    with pytest.raises(NotFound) as no_workflow:
        await make_decision(services, manager, "front-door-contact-nosuch", "decide_contact", EARLY_HELP, None)
    with pytest.raises(NotFound) as no_decision:
        await make_decision(services, manager, workflow_id, "launch_rocket", {}, None)
    with pytest.raises(NotFound) as elsewhere:
        await make_decision(services, manager, workflow_id, "authorise", AUTHORISED, None)

    assert no_workflow.value.reason == "no workflow 'front-door-contact-nosuch'"
    assert no_decision.value.reason == "no decision 'launch_rocket'"
    assert elsewhere.value.reason == f"{workflow_id} is a front_door process: it takes no authorise"
    assert await _made(worker, workflow_id) == []


async def test_a_malformed_body_a_body_naming_its_actor_or_a_future_date_is_refused_before_sending(
    services: Services, worker: Harness
) -> None:
    workflow_id = await _front_door(services, worker)
    manager = await acting(services, worker.team.team_manager_id)
    tomorrow = datetime.now(UTC) + timedelta(days=1)

    with pytest.raises(ValidationError) as words:
        await make_decision(services, manager, workflow_id, "decide_contact", {"outcome": "early help"}, None)
    with pytest.raises(Invalid) as actor:
        await make_decision(
            services, manager, workflow_id, "decide_contact", EARLY_HELP | {"actor": {"practitioner_id": "x"}}, None
        )
    with pytest.raises(Invalid) as future:
        await make_decision(
            services, manager, workflow_id, "decide_contact", EARLY_HELP | {"effective_at": tomorrow.isoformat()}, None
        )

    problem = body_problem("decide_contact", words.value)
    assert problem.startswith("the decide_contact body is not valid (DecideContact, decided by team_manager): ")
    assert problem.endswith(
        "; outcome takes nfa_advice, early_help, assessment, strategy_discussion or immediate_protection"
    )
    assert actor.value.field == "actor"
    assert (future.value.field, future.value.reason) == (
        "effective_at",
        f"decide_contact dated {tomorrow.isoformat()}, which is in the future",
    )
    assert await _made(worker, workflow_id) == []


async def test_allocating_to_someone_who_is_not_an_active_social_worker_is_refused_before_sending(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    manager = await acting(services, worker.team.team_manager_id)
    request = AssessmentRequest(
        case_reference=case.reference,
        referral_at=last_working_day_at(datetime.now(UTC), worker.calendar),
        referral_source=ReferralSource.SCHOOLS,
    )
    workflow_id = (await start_assessment(services, manager, request)).workflow_id
    async with worker.sessionmaker.begin() as session:
        gone = await create_practitioner(session, team_id=worker.team.team_id, active=False)

    with pytest.raises(Invalid) as refused:
        await make_decision(services, manager, workflow_id, "allocate", {"social_worker_id": gone}, None)

    assert refused.value.reason == (
        f"the allocate body names someone who cannot take it: social_worker_id: practitioner {gone} is inactive"
    )
    assert await _made(worker, workflow_id) == []


async def test_a_finished_process_takes_no_more_decisions_and_says_who_decided(
    services: Services, worker: Harness
) -> None:
    workflow_id = await _front_door(services, worker)
    manager = await acting(services, worker.team.team_manager_id)
    await make_decision(services, manager, workflow_id, "decide_contact", EARLY_HELP, None)
    await worker.client.get_workflow_handle(workflow_id).result()

    with pytest.raises(Conflict) as again:
        await make_decision(services, manager, workflow_id, "decide_contact", EARLY_HELP, None)

    assert again.value.reason.startswith(
        f"decide_contact refused by {workflow_id}: already decided by team_manager on "
    )
    assert again.value.reason.endswith(f"{workflow_id} has finished (completed); it takes no more decisions")
