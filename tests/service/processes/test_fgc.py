"""Proposing a family group conference: by its referrer in the case's team, linked to a process of that case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import FgcReason, ReferralSource
from safeguarding.commands.fgc import fgc_workflow_id
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.errors import Conflict, Invalid, Refused
from safeguarding.service.fgc import ConferenceRequest, start_fgc
from safeguarding.service.root import Services
from tests.factories import CaseIds, SeededTeam
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import last_working_day_at


def _proposed(worker: Harness) -> datetime:
    return last_working_day_at(datetime.now(UTC), worker.calendar)


async def _assessment(services: Services, worker: Harness, case: CaseIds) -> str:
    request = AssessmentRequest(
        case_reference=case.reference, referral_at=_proposed(worker), referral_source=ReferralSource.POLICE
    )
    return (await start_assessment(services, await acting(services, worker.team.team_manager_id), request)).workflow_id


async def _nothing_started(worker: Harness, workflow_id: str) -> None:
    with pytest.raises(RPCError) as missing:
        await worker.client.get_workflow_handle(workflow_id).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_the_social_worker_proposes_a_conference_from_the_assessment_with_no_clock_running_yet(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    source = await _assessment(services, worker, case)
    request = ConferenceRequest(
        case_reference=case.reference,
        proposed_at=_proposed(worker),
        reason=FgcReason.ASSESSMENT,
        source_workflow_id=source,
    )

    proposed = await start_fgc(services, await acting(services, worker.team.social_worker_id), request)
    with pytest.raises(Conflict) as again:
        await start_fgc(services, await acting(services, worker.team.social_worker_id), request)

    assert proposed.workflow_id == fgc_workflow_id(case.reference, request.proposed_at)
    assert (proposed.reason, proposed.source_workflow_id, proposed.deadline) == (FgcReason.ASSESSMENT, source, None)
    assert again.value.reason == f"{proposed.workflow_id} is already running"


async def test_a_team_manager_or_another_teams_social_worker_does_not_propose_one(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case = await worker.new_case()
    proposed_at = _proposed(worker)
    request = ConferenceRequest(
        case_reference=case.reference,
        proposed_at=proposed_at,
        reason=FgcReason.PRE_PROCEEDINGS,
        offer_letter_at=proposed_at - timedelta(days=1),
    )

    with pytest.raises(Refused) as manager:
        await start_fgc(services, await acting(services, worker.team.team_manager_id), request)
    with pytest.raises(Refused) as outsider:
        await start_fgc(services, await acting(services, other_team.social_worker_id), request)

    assert manager.value.reason.endswith("a family group conference is proposed by a social_worker or support_worker")
    assert outsider.value.reason.startswith(f"this is team {worker.team.team_id}'s work")
    await _nothing_started(worker, fgc_workflow_id(case.reference, proposed_at))


async def test_a_conference_offered_from_another_cases_process_or_naming_none_is_refused(
    services: Services, worker: Harness
) -> None:
    case, other = await worker.new_case(), await worker.new_case()
    source = await _assessment(services, worker, other)
    social_worker = await acting(services, worker.team.social_worker_id)
    proposed_at = _proposed(worker)

    def request(**changes: object) -> ConferenceRequest:
        fields = {"case_reference": case.reference, "proposed_at": proposed_at, "reason": FgcReason.ASSESSMENT}
        return ConferenceRequest.model_validate(fields | changes)

    with pytest.raises(Invalid) as elsewhere:
        await start_fgc(services, social_worker, request(source_workflow_id=source))
    with pytest.raises(ValidationError) as unnamed:
        await start_fgc(services, social_worker, request())
    with pytest.raises(Invalid) as future:
        await start_fgc(services, social_worker, request(proposed_at=datetime.now(UTC) + timedelta(days=1)))

    assert (elsewhere.value.field, elsewhere.value.reason) == (
        "source_workflow_id",
        f"source_workflow_id: {source} is not a process of case {case.reference}",
    )
    assert "a conference offered from assessment names the process it came from" in str(unnamed.value)
    assert future.value.field == "proposed_at"
    await _nothing_started(worker, fgc_workflow_id(case.reference, proposed_at))
