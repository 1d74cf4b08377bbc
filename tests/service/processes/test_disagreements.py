"""Raising a professional disagreement: by someone entitled to, about a key the process has, or nothing starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import ReferralSource, Role
from safeguarding.commands.disagreement import disagreement_id
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.disagreements import DisagreementRequest, raise_disagreement
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.root import Services
from tests.factories import CaseIds, SeededTeam, create_practitioner
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import last_working_day_at


def _raised_at() -> datetime:
    """Return a moment a few minutes ago, to the second (the disagreement's id counts seconds)."""
    return (datetime.now(UTC) - timedelta(minutes=5)).replace(microsecond=0)


async def _assessment(services: Services, worker: Harness) -> tuple[CaseIds, str]:
    """Start an assessment on a new case: it awaits the team manager's `allocate`."""
    case = await worker.new_case()
    request = AssessmentRequest(
        case_reference=case.reference,
        referral_at=last_working_day_at(datetime.now(UTC), worker.calendar),
        referral_source=ReferralSource.SCHOOLS,
    )
    started = await start_assessment(services, await acting(services, worker.team.team_manager_id), request)
    return case, started.workflow_id


def disagreement(about: str, key: str = "allocate", **changes: object) -> DisagreementRequest:
    fields: dict[str, object] = {
        "about_workflow_id": about,
        "about_key": key,
        "raised_at": _raised_at(),
        "disagrees_with": "Nobody has been allocated and the school's concerns about neglect are growing.",
        "proposes": "Allocate a social worker today.",
    }
    return DisagreementRequest.model_validate(fields | changes)


async def _nothing_started(worker: Harness, workflow_id: str) -> None:
    with pytest.raises(RPCError) as missing:
        await worker.client.get_workflow_handle(workflow_id).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_the_social_worker_disputes_an_open_task_and_the_first_stage_runs_once(
    services: Services, worker: Harness
) -> None:
    case, assessment = await _assessment(services, worker)
    social_worker = await acting(services, worker.team.social_worker_id)
    request = disagreement(assessment, counterpart_id=worker.team.team_manager_id)

    raised = await raise_disagreement(services, social_worker, request)
    with pytest.raises(Conflict) as again:
        await raise_disagreement(services, social_worker, request)

    assert raised.workflow_id == disagreement_id(case.reference, request.raised_at)
    assert (raised.about_workflow_id, raised.about_key, raised.stage) == (assessment, "allocate", "practitioners")
    assert raised.deadline is not None and raised.deadline.rule_id == "disagreement_stage_practitioners"
    assert again.value.reason == f"{raised.workflow_id} is already running"


async def test_business_support_or_another_teams_social_worker_may_not_raise_one(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case, assessment = await _assessment(services, worker)
    async with worker.sessionmaker.begin() as session:
        clerk = await create_practitioner(session, team_id=worker.team.team_id, role=Role.BUSINESS_SUPPORT)
    request = disagreement(assessment)

    with pytest.raises(Refused) as role:
        await raise_disagreement(services, await acting(services, clerk), request)
    with pytest.raises(Refused) as team:
        await raise_disagreement(services, await acting(services, other_team.social_worker_id), request)

    assert role.value.reason == f"{clerk} is a business_support: a business_support may not raise a disagreement"
    assert team.value.reason.startswith(f"this is team {worker.team.team_id}'s work")
    await _nothing_started(worker, disagreement_id(case.reference, request.raised_at))


async def test_a_health_visitor_of_the_health_agency_may_raise_one_on_any_teams_case(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    _, assessment = await _assessment(services, worker)

    raised = await raise_disagreement(
        services, await acting(services, other_team.health_visitor_id), disagreement(assessment, immediate_risk=True)
    )

    assert raised.stage == "service_managers"


async def test_an_unknown_process_a_key_it_lacks_an_unknown_counterpart_or_a_future_moment_is_refused(
    services: Services, worker: Harness
) -> None:
    case, assessment = await _assessment(services, worker)
    social_worker = await acting(services, worker.team.social_worker_id)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)

    with pytest.raises(NotFound) as no_process:
        await raise_disagreement(services, social_worker, disagreement("assessment-EX-NOSUCH"))
    with pytest.raises(Invalid) as no_key:
        await raise_disagreement(services, social_worker, disagreement(assessment, "authorise:1"))
    with pytest.raises(Invalid) as no_counterpart:
        await raise_disagreement(services, social_worker, disagreement(assessment, counterpart_id="prac-nobody"))
    with pytest.raises(Invalid) as future:
        await raise_disagreement(services, social_worker, disagreement(assessment, raised_at=tomorrow))

    assert no_process.value.reason == "no workflow 'assessment-EX-NOSUCH'"
    assert (no_key.value.field, no_key.value.reason) == (
        "about_key",
        f"'authorise:1' is neither a decision nor an open question of {assessment} (it has: allocate)",
    )
    assert (no_counterpart.value.field, no_counterpart.value.reason) == (
        "counterpart_id",
        "no practitioner 'prac-nobody'",
    )
    assert (future.value.field, future.value.reason) == (
        "raised_at",
        f"raised_at {tomorrow.isoformat()} is in the future",
    )
    await _nothing_started(worker, disagreement_id(case.reference, tomorrow))
