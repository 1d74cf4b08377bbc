"""Start a child and family assessment directly from a referral (statutory-rules.md §3).

It runs under the id the front door hands off to (`store.process_ids`): the case's running assessment's, so
one case never runs two, or a new one of its own when the case's earlier assessment has finished (a
re-referral), so that one's record is kept. Its 45 working days count from the referral, not from allocation.
The referral is recorded with its census source (§9), as a contact the front door referred would be.
"""

from __future__ import annotations

from pydantic import Field

from safeguarding.codes import Process, ReferralSource, Role
from safeguarding.commands.assessment import AssessmentInput, assessment_id
from safeguarding.models import AwareDatetime, Frozen
from safeguarding.service.access import Principal
from safeguarding.service.direct_referrals import start_on_referral
from safeguarding.service.root import Services
from safeguarding.service.starting import (
    ProcessStarted,
    case_context,
    check_moment,
    first_deadline,
    open_team_case,
    require_starter,
)
from safeguarding.store.process_ids import process_id_on_case

STARTS_ASSESSMENTS: tuple[Role, ...] = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
"""Who accepts a referral for assessment: the social workers and managers of the case's team (§3)."""


class AssessmentRequest(Frozen):
    """An assessment to start on an open case from the referral received at `referral_at`."""

    case_reference: str = Field(min_length=1, max_length=64, description="The case, e.g. EX-0002.")
    referral_at: AwareDatetime = Field(description="When the referral was received: starts the 45 working days.")
    referral_source: ReferralSource = Field(
        description="Who referred, as the Children in Need census codes it (statutory-rules.md §9): the referral is "
        "recorded with it."
    )


async def start_assessment(services: Services, principal: Principal, request: AssessmentRequest) -> ProcessStarted:
    """Start an assessment on the open case; refuse a second one while the first runs.

    The id is chosen, and the workflow started, under the case's lock, so two starts cannot both take it.
    """
    require_starter(principal, "start_assessment", STARTS_ASSESSMENTS, "an assessment is started")
    await check_moment(services, "referral_at", request.referral_at)
    async with services.sessions() as session:
        case = await open_team_case(principal, "start_assessment", request.case_reference, session=session)
        context = await case_context(services, case, session=session)
    deadline = first_deadline(context, "assessment", request.referral_at)
    started = AssessmentInput(context=context, referral_at=request.referral_at)
    async with services.sessions.begin() as session:
        first_id = assessment_id(context.case_reference)
        workflow_id = await process_id_on_case(context.case_id, Process.ASSESSMENT, first_id, session=session)
    await start_on_referral(
        services,
        "Assessment",
        started,
        workflow_id,
        Process.ASSESSMENT,
        received_at=request.referral_at,
        referral_source=request.referral_source,
    )
    return ProcessStarted(workflow_id=workflow_id, case_reference=context.case_reference, deadline=deadline)
