"""Start a strategy discussion on an open case when new information arrives (statutory-rules.md §4).

Several discussions may be held on one case, so each runs as `strategy-discussion-<case ref>-<concerns at>`;
its local time limit counts from the concerns (the profile's `strategy_discussion` rule). About a child in no
open CIN episode it is a referral, recorded with its census source; about a child in one it belongs to that
episode and records none (§9; the rule is `census.episodes.open_episode_on`).
"""

from __future__ import annotations

from pydantic import Field

from safeguarding.codes import Process, ReferralSource, Role, StrategyReason
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput, strategy_discussion_id
from safeguarding.models import AwareDatetime, Frozen
from safeguarding.service.access import Principal
from safeguarding.service.direct_referrals import referral_source_needed, start_on_referral
from safeguarding.service.root import Services
from safeguarding.service.starting import (
    ProcessStarted,
    case_context,
    check_moment,
    first_deadline,
    open_team_case,
    require_starter,
    start_process,
)

CONVENES_DISCUSSIONS: tuple[Role, ...] = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.EDT_WORKER)
"""Who convenes a strategy discussion: the case's social workers and managers, and out of hours the Emergency
Duty Team (§1, §4: usually chaired by a team manager)."""


class StrategyDiscussionRequest(Frozen):
    """A strategy discussion to start on an open case about concerns that arose at `concerns_at`."""

    case_reference: str = Field(min_length=1, max_length=64, description="The case, e.g. EX-0007.")
    concerns_at: AwareDatetime = Field(description="When the concerns arose: starts the local time limit.")
    referral_source: ReferralSource | None = Field(
        default=None,
        description="Who raised the concerns, as the Children in Need census codes a referral's source (§9): "
        "required when the child is in no open episode, since the discussion is then a referral; not recorded "
        "otherwise.",
    )


async def start_strategy_discussion(
    services: Services, principal: Principal, request: StrategyDiscussionRequest
) -> ProcessStarted:
    """Start a strategy discussion about the open case on new information."""
    require_starter(principal, "start_strategy_discussion", CONVENES_DISCUSSIONS, "a strategy discussion is convened")
    await check_moment(services, "concerns_at", request.concerns_at)
    async with services.sessions() as session:
        case = await open_team_case(principal, "start_strategy_discussion", request.case_reference, session=session)
        context = await case_context(services, case, session=session)
    deadline = first_deadline(context, "strategy_discussion", request.concerns_at)
    workflow_id = strategy_discussion_id(context.case_reference, request.concerns_at)
    started = StrategyDiscussionInput(
        context=context, concerns_at=request.concerns_at, reason=StrategyReason.NEW_INFORMATION
    )
    source = await referral_source_needed(services, context.case_id, request.concerns_at, request.referral_source)
    if source is None:
        await start_process(services, "StrategyDiscussion", started, workflow_id, Process.STRATEGY_DISCUSSION)
    else:
        await start_on_referral(
            services,
            "StrategyDiscussion",
            started,
            workflow_id,
            Process.STRATEGY_DISCUSSION,
            received_at=request.concerns_at,
            referral_source=source,
        )
    return ProcessStarted(workflow_id=workflow_id, case_reference=context.case_reference, deadline=deadline)
