"""The strategy discussion described: held with social care, police and health, then its record circulated (§4)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.reassign import ReassignToTeamManager
from safeguarding.commands.strategy_discussion import (
    DecideStrategy,
    RecordCirculated,
    RecordDiscussion,
    strategy_discussion_id,
)
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import StrategyDiscussionStage

DISCUSSION, CIRCULATION = StrategyDiscussionStage.DISCUSSION, StrategyDiscussionStage.CIRCULATION

STRATEGY_DISCUSSION = ProcessDescription(
    process=Process.STRATEGY_DISCUSSION,
    workflow="StrategyDiscussion",
    stages=(DISCUSSION, CIRCULATION),
    workflow_id=strategy_discussion_id,
    decisions=(
        DecisionDescription(
            name="record_discussion",
            command=RecordDiscussion,
            roles=(Role.TEAM_MANAGER, Role.SOCIAL_WORKER),
            stages=(DISCUSSION,),
            once=False,
            title="Hold the strategy discussion (social care, police, health)",
            help="A discussion held and who took part; the first with social care, police and health meets the clock.",
        ),
        DecisionDescription(
            name="decide_strategy",
            command=DecideStrategy,
            roles=(Role.TEAM_MANAGER,),
            stages=(DISCUSSION,),
            rationale_required=True,
            title="Chair's decision",
            help="The chair decides what follows (a section 47 enquiry, or not); dissent is recorded.",
        ),
        DecisionDescription(
            name="record_circulated",
            command=RecordCirculated,
            roles=(Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT),
            stages=(CIRCULATION,),
            title="Circulate the record of the discussion",
            help="The record of the discussion has gone to those who took part.",
        ),
        reassign(ReassignToTeamManager, (DISCUSSION, CIRCULATION), who="team manager"),
    ),
)
