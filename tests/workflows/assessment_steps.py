"""Steps that drive an assessment in tests: start it, walk its joint visit, submit it."""

from __future__ import annotations

from datetime import datetime

from temporalio.client import WorkflowHandle

from safeguarding.codes import AssessmentOutcome, ConsentState, Role
from safeguarding.commands.assessment import (
    Allocate,
    AssessmentInput,
    DebriefAction,
    JointVisitStage,
    RecordBackgroundReview,
    RecordChildSeen,
    RecordDebrief,
    RecordFamilyTold,
    RecordPreMeet,
    RecordVisit,
    SubmitAssessment,
    assessment_id,
    joint_visit_id,
)
from safeguarding.models import DecisionRecord, ProcessStatus
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import eventually


async def start_assessment(harness: Harness, case: CaseIds, referral_at: datetime) -> WorkflowHandle:
    """Start an assessment of `case` from a referral at `referral_at`."""
    return await harness.start(
        "Assessment",
        AssessmentInput(context=harness.context(case), referral_at=referral_at),
        assessment_id(case.reference),
        result_type=DecisionRecord,
    )


async def status(handle: WorkflowHandle) -> ProcessStatus:
    """Return the process's `status` query."""
    return await handle.query("status", result_type=ProcessStatus)


async def allocate_and_see(harness: Harness, handle: WorkflowHandle) -> None:
    """The manager allocates to the team's social worker, who sees the child."""
    await handle.execute_update(
        "allocate", Allocate(actor=harness.actor(Role.TEAM_MANAGER), social_worker_id=harness.team.social_worker_id)
    )
    await handle.execute_update("record_child_seen", RecordChildSeen(actor=harness.actor(Role.SOCIAL_WORKER)))


async def joint_visit(harness: Harness, case: CaseIds) -> WorkflowHandle:
    """Return the running joint visit of `case`, once the assessment has started it."""
    handle = harness.client.get_workflow_handle(joint_visit_id(case.reference))

    async def started():
        """the joint visit has started"""
        try:
            return await status(handle)
        except Exception:
            return None

    await eventually(started)
    return handle


async def walk_joint_visit(harness: Harness, handle: WorkflowHandle, health: Role, *, health_knows: bool) -> None:
    """Record every step of a joint visit, the health practitioner knowing the family or not."""
    worker, nurse = harness.actor(Role.SOCIAL_WORKER), harness.actor(health)
    await handle.execute_update("record_family_told", RecordFamilyTold(actor=worker))
    await handle.execute_update("record_background_review", RecordBackgroundReview(actor=nurse))
    await handle.execute_update(
        "record_pre_meet",
        RecordPreMeet(
            actor=worker,
            health_practitioner_id=nurse.practitioner_id,
            social_worker_knows_family=False,
            health_practitioner_knows_family=health_knows,
        ),
    )
    await handle.execute_update(
        "record_visit",
        RecordVisit(actor=nurse, consent_explained=True, information_sharing_consent=ConsentState.GIVEN),
    )
    await handle.execute_update(
        "record_debrief",
        RecordDebrief(
            actor=worker,
            actions=(
                DebriefAction(description="Health visitor to see the child at clinic", owner_id=nurse.practitioner_id),
                DebriefAction(description="Social worker to speak to the nursery", owner_id=worker.practitioner_id),
            ),
        ),
    )


async def submit(harness: Harness, handle: WorkflowHandle, outcome: AssessmentOutcome) -> None:
    """The social worker submits the assessment recommending `outcome`."""
    await handle.execute_update(
        "submit_assessment", SubmitAssessment(actor=harness.actor(Role.SOCIAL_WORKER), recommended_outcome=outcome)
    )


async def joint_visit_done(handle: WorkflowHandle) -> None:
    """Wait until the assessment has taken its joint visit's result."""

    async def taken():
        """the assessment records the joint visit as done"""
        return (await status(handle)).facts.joint_visit == JointVisitStage.DONE

    await eventually(taken)
