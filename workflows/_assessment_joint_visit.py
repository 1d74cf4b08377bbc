"""The assessment's joint visit for a child under 5 or unborn, and the emergency action that defers it (§3).

A mixin of `AssessmentWorkflow`: the joint visit runs as a child process beside the assessment; emergency
action under way (recorded on the assessment, or told by a joint section 47 enquiry on the case) defers
it until it ends, and an assessment submitted first skips it.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.commands.assessment import (
        AssessmentInput,
        AssessmentState,
        JointVisitInput,
        JointVisitResult,
        JointVisitStage,
        RecordEmergencyAction,
        joint_visit_id,
        joint_visit_id_of,
    )
    from safeguarding.joint_visits import needs_joint_visit
    from safeguarding.models import DecisionRecord
    from safeguarding.stages import AssessmentStage
    from workflows._hand_offs import FRESH_PROCESS_IDS
    from workflows._process import ProcessWorkflow, rejected

JOINT_VISIT_STARTED_ONCE = "joint-visit-started-once"
"""Patch (Nov 2026): a run does not start the joint visit an allocation handled as it began has started."""


class AssessmentJointVisitSteps(ProcessWorkflow):
    """The joint visit's part of the assessment; the state it reads is the assessment's."""

    input: AssessmentInput
    state: AssessmentState
    joint_visit_task: asyncio.Task[None] | None

    def _joint_visit_to_pick_up(self) -> bool:
        """Return whether this run must start the joint visit of an assessment allocated before it began.

        That is a run continued as new. An allocation made the moment the assessment started is handled
        while the run reads the case facts and starts the joint visit itself: starting it again failed as
        already started. Runs recorded before the patch did so, and replay that way.
        """
        if self.state.social_worker_id is None or self.state.joint_visit is JointVisitStage.DONE:
            return False
        return self.joint_visit_task is None or not workflow.patched(JOINT_VISIT_STARTED_ONCE)

    def _start_joint_visit_if_needed(self) -> None:
        if self.state.age_band is None or not needs_joint_visit(self.state.age_band):
            return
        self._joint_visit_at(JointVisitStage.DEFERRED if self.state.emergency_under_way else JointVisitStage.UNDER_WAY)
        self.joint_visit_task = asyncio.create_task(self._joint_visit())

    def _joint_visit_at(self, stage: JointVisitStage) -> None:
        self.state.joint_visit = stage
        self.core.facts["joint_visit"] = str(stage)

    async def _joint_visit(self) -> None:
        if self.state.joint_visit is JointVisitStage.DEFERRED:
            self.note("joint_visit.deferred", "joint visit deferred: emergency action under way")
            await self.record()
        await workflow.wait_condition(
            lambda: not self.state.emergency_under_way or self.core.stage != AssessmentStage.IN_PROGRESS
        )
        if self.core.stage != AssessmentStage.IN_PROGRESS:
            return
        self._joint_visit_at(JointVisitStage.UNDER_WAY)
        assert self.state.age_band is not None and self.state.social_worker_id is not None
        result: JointVisitResult = await workflow.execute_child_workflow(
            "JointVisit",
            JointVisitInput(
                context=self.context.model_copy(update={"calendar": self.core.calendar}),
                assessment_workflow_id=workflow.info().workflow_id,
                social_worker_id=self.state.social_worker_id,
                age_band=self.state.age_band,
            ),
            id=self._joint_visit_id(),
            result_type=JointVisitResult,
        )
        self._joint_visit_at(JointVisitStage.DONE)
        self.state.joint_visit_result = result
        self.core.facts["lead_practitioner"] = str(result.lead)
        self.note("joint_visit.done", f"joint visit done; lead {result.lead}; {result.actions} actions")
        await self.record()

    def _joint_visit_id(self) -> str:
        """This assessment's joint visit: a later assessment of the case has one of its own (`joint_visit_id_of`)."""
        if workflow.patched(FRESH_PROCESS_IDS):
            return joint_visit_id_of(workflow.info().workflow_id)
        return joint_visit_id(self.context.case_reference)

    @workflow.update(name="record_emergency_action")
    async def record_emergency_action(self, command: RecordEmergencyAction) -> DecisionRecord:
        """Emergency action started or ended; the joint visit waits for it to end (§3)."""
        self.state.emergency_under_way = command.under_way
        outcome = "under way" if command.under_way else "ended"
        record = self.record_decision("record_emergency_action", command, f"emergency action {outcome}")
        await self.record()
        return record

    @record_emergency_action.validator
    def validate_record_emergency_action(self, command: RecordEmergencyAction) -> None:
        self.check_decision("record_emergency_action", command)
        if command.under_way == self.state.emergency_under_way:
            raise rejected(
                f"record_emergency_action: emergency action is already "
                f"{'under way' if command.under_way else 'not under way'}"
            )
