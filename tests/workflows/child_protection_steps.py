"""Steps that drive a strategy discussion, a section 47 enquiry and an initial conference in tests."""

from __future__ import annotations

from datetime import datetime

from temporalio.client import WorkflowHandle

from safeguarding.codes import Agency, EnquiryOutcome, Role, StrategyOutcome, StrategyReason
from safeguarding.commands.conference import initial_conference_id
from safeguarding.commands.strategy_discussion import (
    ConcludeEnquiry,
    DecideStrategy,
    Participant,
    RecordCirculated,
    RecordDiscussion,
    StrategyDiscussionInput,
    s47_enquiry_id,
    strategy_discussion_id,
)
from safeguarding.models import Actor, DecisionRecord
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import eventually

ALL_THREE = (
    Participant(agency=Agency.SOCIAL_CARE),
    Participant(agency=Agency.POLICE),
    Participant(agency=Agency.HEALTH),
)


def chair() -> Actor:
    """Return an independent conference chair: from the safeguarding unit, not the case's team."""
    return Actor(practitioner_id="chair-1", role=Role.CONFERENCE_CHAIR, team_id="safeguarding-unit")


async def start_discussion(harness: Harness, case: CaseIds, concerns_at: datetime) -> WorkflowHandle:
    """Start a strategy discussion about `case` on new information."""
    return await harness.start(
        "StrategyDiscussion",
        StrategyDiscussionInput(
            context=harness.context(case), concerns_at=concerns_at, reason=StrategyReason.NEW_INFORMATION
        ),
        strategy_discussion_id(case.reference, concerns_at),
        result_type=DecisionRecord,
    )


async def hold_and_decide(harness: Harness, handle: WorkflowHandle, outcome: StrategyOutcome) -> None:
    """Hold the discussion with social care, police and health, and have the chair decide `outcome`."""
    manager = harness.actor(Role.TEAM_MANAGER)
    await handle.execute_update("record_discussion", RecordDiscussion(actor=manager, participants=ALL_THREE))
    await handle.execute_update(
        "decide_strategy",
        DecideStrategy(
            actor=manager,
            outcome=outcome,
            rationale="Bruising unexplained by the parents",
            tell_family="The family is told enquiries will be made with them",
        ),
    )
    await handle.execute_update("record_circulated", RecordCirculated(actor=manager))


async def running(harness: Harness, workflow_id: str) -> WorkflowHandle:
    """Return the handle of a process once it has started and answers its status."""
    handle = harness.client.get_workflow_handle(workflow_id)

    async def answers():
        """the process answers its status query"""
        try:
            return await handle.query("status")
        except Exception:
            return None

    await eventually(answers)
    return handle


async def enquiry(harness: Harness, case: CaseIds) -> WorkflowHandle:
    """Return the case's running section 47 enquiry."""
    return await running(harness, s47_enquiry_id(case.reference))


async def conclude(harness: Harness, handle: WorkflowHandle, outcome: EnquiryOutcome) -> None:
    """The team manager concludes the enquiry."""
    await handle.execute_update(
        "conclude_enquiry",
        ConcludeEnquiry(
            actor=harness.actor(Role.TEAM_MANAGER),
            outcome=outcome,
            rationale="Findings of the joint visit with the police",
        ),
    )


async def conference(harness: Harness, case: CaseIds) -> WorkflowHandle:
    """Return the case's initial conference once convened."""
    return await running(harness, initial_conference_id(case.reference))
