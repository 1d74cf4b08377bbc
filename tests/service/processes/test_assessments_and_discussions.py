"""Starting an assessment or a strategy discussion: once, by someone entitled, in the case's team."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import ReferralSource
from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.strategy_discussion import strategy_discussion_id
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.service.strategy_discussions import StrategyDiscussionRequest, start_strategy_discussion
from tests.factories import SeededTeam
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import last_working_day_at

SCHOOL = ReferralSource.SCHOOLS
"""The census source the referrals here come from."""


def _referral(worker: Harness) -> datetime:
    return last_working_day_at(datetime.now(UTC), worker.calendar)


async def _nothing_started(worker: Harness, workflow_id: str) -> None:
    with pytest.raises(RPCError) as missing:
        await worker.client.get_workflow_handle(workflow_id).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_an_assessment_starts_once_per_case_with_its_45_working_days(services: Services, worker: Harness) -> None:
    case = await worker.new_case()
    manager = await acting(services, worker.team.team_manager_id)
    request = AssessmentRequest(case_reference=case.reference, referral_at=_referral(worker), referral_source=SCHOOL)

    started = await start_assessment(services, manager, request)
    with pytest.raises(Conflict) as again:
        await start_assessment(services, manager, request)

    assert (started.workflow_id, started.case_reference) == (assessment_id(case.reference), case.reference)
    assert started.deadline is not None
    assert started.deadline.basis.startswith("45 working days after the referral")
    assert again.value.reason == f"assessment-{case.reference} is already running"


async def test_an_assessment_is_not_started_by_a_health_visitor_nor_by_another_teams_manager(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case = await worker.new_case()
    request = AssessmentRequest(case_reference=case.reference, referral_at=_referral(worker), referral_source=SCHOOL)

    with pytest.raises(Refused) as role:
        await start_assessment(services, await acting(services, worker.team.health_visitor_id), request)
    with pytest.raises(Refused) as team:
        await start_assessment(services, await acting(services, other_team.team_manager_id), request)

    assert role.value.reason == (
        f"{worker.team.health_visitor_id} is a health_visitor: "
        "an assessment is started by a social_worker or team_manager or service_manager"
    )
    assert team.value.reason.startswith(f"this is team {worker.team.team_id}'s work")
    await _nothing_started(worker, assessment_id(case.reference))


async def test_a_service_manager_starts_an_assessment_on_any_teams_case(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case = await worker.new_case()
    request = AssessmentRequest(case_reference=case.reference, referral_at=_referral(worker), referral_source=SCHOOL)

    started = await start_assessment(services, await acting(services, other_team.service_manager_id), request)

    assert started.workflow_id == assessment_id(case.reference)


async def test_an_assessment_on_an_unknown_case_or_from_a_future_referral_is_refused(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    manager = await acting(services, worker.team.team_manager_id)
    tomorrow = datetime.now(UTC) + timedelta(days=1)

    with pytest.raises(NotFound):
        await start_assessment(
            services,
            manager,
            AssessmentRequest(case_reference="EX-NOSUCH", referral_at=_referral(worker), referral_source=SCHOOL),
        )
    with pytest.raises(Invalid) as future:
        await start_assessment(
            services,
            manager,
            AssessmentRequest(case_reference=case.reference, referral_at=tomorrow, referral_source=SCHOOL),
        )

    assert future.value.field == "referral_at"
    await _nothing_started(worker, assessment_id(case.reference))


async def test_a_strategy_discussion_is_convened_on_new_information_with_its_local_time_limit(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    concerns_at = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    request = StrategyDiscussionRequest(case_reference=case.reference, concerns_at=concerns_at, referral_source=SCHOOL)

    started = await start_strategy_discussion(services, await acting(services, worker.team.social_worker_id), request)
    with pytest.raises(Conflict):
        await start_strategy_discussion(services, await acting(services, worker.team.team_manager_id), request)

    assert started.workflow_id == strategy_discussion_id(case.reference, concerns_at)
    assert started.deadline is not None
    assert started.deadline.basis.startswith("24 hours after the concerns at ")


async def test_a_strategy_discussion_is_not_convened_by_a_midwife_another_team_or_in_the_future(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case = await worker.new_case()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    past = tomorrow - timedelta(days=2)

    with pytest.raises(Refused) as midwife:
        await start_strategy_discussion(
            services,
            await acting(services, worker.team.midwife_id),
            StrategyDiscussionRequest(case_reference=case.reference, concerns_at=past),
        )
    with pytest.raises(Refused) as outsider:
        await start_strategy_discussion(
            services,
            await acting(services, other_team.team_manager_id),
            StrategyDiscussionRequest(case_reference=case.reference, concerns_at=past),
        )
    with pytest.raises(Invalid) as future:
        await start_strategy_discussion(
            services,
            await acting(services, worker.team.social_worker_id),
            StrategyDiscussionRequest(case_reference=case.reference, concerns_at=tomorrow),
        )

    assert midwife.value.reason.startswith(f"{worker.team.midwife_id} is a midwife: a strategy discussion is convened")
    assert outsider.value.reason.startswith(f"this is team {worker.team.team_id}'s work")
    assert future.value.reason == f"concerns_at {tomorrow.isoformat()} is in the future"
    for concerns_at in (past, tomorrow):
        await _nothing_started(worker, strategy_discussion_id(case.reference, concerns_at))
