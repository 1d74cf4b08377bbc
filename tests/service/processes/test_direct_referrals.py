"""Work started without a front-door contact records its referral for the census (statutory-rules.md §9).

An assessment from a referral always does; a strategy discussion does only about a child in no open CIN
episode, and then needs its census source; a refused start leaves no referral behind.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from safeguarding.codes import ReferralRoute, ReferralSource
from safeguarding.commands.strategy_discussion import strategy_discussion_id
from safeguarding.schema import contacts
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.errors import Conflict, Invalid, Refused
from safeguarding.service.root import Services
from safeguarding.service.strategy_discussions import StrategyDiscussionRequest, start_strategy_discussion
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import last_working_day_at


async def _referrals(services: Services, case_id: str) -> list[tuple[str, datetime, str | None]]:
    query = select(contacts.c.how, contacts.c.received_at, contacts.c.referral_source).where(
        contacts.c.case_id == case_id
    )
    async with services.sessions() as session:
        return [tuple(row) for row in (await session.execute(query)).all()]


async def test_an_assessment_records_its_referral_once_and_a_refused_start_none(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    referral_at = last_working_day_at(datetime.now(UTC), worker.calendar)
    request = AssessmentRequest(
        case_reference=case.reference, referral_at=referral_at, referral_source=ReferralSource.HEALTH_VISITOR
    )

    with pytest.raises(Refused):
        await start_assessment(services, await acting(services, worker.team.health_visitor_id), request)
    refused = await _referrals(services, case.case_id)
    await start_assessment(services, await acting(services, worker.team.team_manager_id), request)
    with pytest.raises(Conflict):
        await start_assessment(services, await acting(services, worker.team.team_manager_id), request)

    assert refused == []
    assert await _referrals(services, case.case_id) == [(ReferralRoute.DIRECT, referral_at, "3B")]


def test_an_assessment_request_without_its_referral_source_is_malformed() -> None:
    with pytest.raises(ValidationError) as missing:
        AssessmentRequest.model_validate({"case_reference": "EX-0002", "referral_at": "2026-11-27T10:00:00+00:00"})

    assert [error["loc"] for error in missing.value.errors()] == [("referral_source",)]


async def test_a_strategy_discussion_about_a_child_in_no_episode_is_a_referral_and_needs_its_source(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    concerns_at = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    manager = await acting(services, worker.team.team_manager_id)
    unsourced = StrategyDiscussionRequest(case_reference=case.reference, concerns_at=concerns_at)

    with pytest.raises(Invalid) as missing:
        await start_strategy_discussion(services, manager, unsourced)
    refused = await _referrals(services, case.case_id)
    sourced = unsourced.model_copy(update={"referral_source": ReferralSource.POLICE})
    started = await start_strategy_discussion(services, manager, sourced)

    assert missing.value.field == "referral_source"
    assert refused == []
    assert started.workflow_id == strategy_discussion_id(case.reference, concerns_at)
    assert await _referrals(services, case.case_id) == [(ReferralRoute.DIRECT, concerns_at, "6")]


async def test_a_strategy_discussion_within_the_childs_open_episode_records_no_second_referral(
    services: Services, worker: Harness
) -> None:
    case = await worker.new_case()
    manager = await acting(services, worker.team.team_manager_id)
    referral_at = last_working_day_at(datetime.now(UTC), worker.calendar)
    assessment = AssessmentRequest(
        case_reference=case.reference, referral_at=referral_at, referral_source=ReferralSource.SCHOOLS
    )
    await start_assessment(services, manager, assessment)
    concerns_at = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)

    started = await start_strategy_discussion(
        services, manager, StrategyDiscussionRequest(case_reference=case.reference, concerns_at=concerns_at)
    )

    assert started.workflow_id == strategy_discussion_id(case.reference, concerns_at)
    assert await _referrals(services, case.case_id) == [(ReferralRoute.DIRECT, referral_at, "2A")]
