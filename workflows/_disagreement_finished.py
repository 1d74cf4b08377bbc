"""A disagreement about a decision of a process that has already finished (statutory-rules.md §3, §8).

A part of `workflows.disagreement.DisagreementWorkflow`. The typical case: a health visitor disagrees with
a step-down to a Family Support Plan after the manager authorised it and the assessment closed. That
process can take no change, so the disagreement carries out what a change agreed needs now, itself: a
Child in Need plan recorded in the plans register (under the finished process, as it would have recorded
it), or a strategy discussion started about the child. Then the finished process's record in the case
store takes the resolution: its outcome, the decision and a chronology entry.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import AssessmentOutcome, DisagreementStage, Process, StrategyReason
    from safeguarding.commands.disagreement import (
        FINISHED_CHANGES,
        ApplyResolution,
        FinishedResolution,
        ResolutionApplied,
        ResolveDisagreement,
    )
    from workflows._disagreement_stages import DisagreementStageSteps
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, rejected
    from workflows._strategy_hand_off import start_strategy_discussion

_STRATEGY_REASONS = {
    Process.FRONT_DOOR: StrategyReason.FRONT_DOOR,
    Process.ASSESSMENT: StrategyReason.ASSESSMENT,
    Process.LADO: StrategyReason.LADO,
}
"""Why the strategy discussion is needed, by the process whose decision changed; else new information."""


class FinishedDisputeSteps(DisagreementStageSteps):
    """The resolution of a dispute about a finished process's decision (not a workflow itself)."""

    def finished_change_problem(self, command: ResolveDisagreement) -> str | None:
        """Return why the change agreed cannot be carried out for the finished process, or None when it can."""
        change = command.new_outcome
        if change is None:
            return None
        assert self.disputed is not None
        if change not in FINISHED_CHANGES:
            return (
                f"{self.input.raised.about_workflow_id} has finished, so it can only be changed to "
                f"{' or '.join(FINISHED_CHANGES)} (what is then done: {'; '.join(FINISHED_CHANGES.values())})"
            )
        if change == self.disputed.outcome:
            return f"the decision was already {change}"
        return None

    async def _carry_out(self, command: ResolveDisagreement, stage: DisagreementStage) -> ResolutionApplied:
        """Do what the change agreed needs now, then write the resolution on the finished process's record."""
        at = command.effective_at or workflow.now()
        about = self.input.raised.about_workflow_id
        carried_out = None
        if command.new_outcome == AssessmentOutcome.CIN_PLAN:
            # The register's refusal (an open plan it would overlap) refuses the resolution.
            refused = await self.hand_offs.record_cin_plan(at, about)
            if refused:
                raise rejected(f"resolve_disagreement: {refused}")
            carried_out = FINISHED_CHANGES[AssessmentOutcome.CIN_PLAN]
        elif command.new_outcome == AssessmentOutcome.STRATEGY_DISCUSSION:
            assert self.disputed is not None
            reason = _STRATEGY_REASONS.get(self.disputed.process, StrategyReason.NEW_INFORMATION)
            hand_off = await start_strategy_discussion(self, reason, at)
            carried_out = f"{FINISHED_CHANGES[AssessmentOutcome.STRATEGY_DISCUSSION]}: {hand_off.workflow_id}"
        applied: ResolutionApplied = await workflow.execute_activity(
            ActivityName.RECORD_RESOLUTION_ON_FINISHED,
            FinishedResolution(
                workflow_id=about,
                case_id=self.context.case_id,
                resolution=ApplyResolution(
                    actor=command.actor,
                    effective_at=command.effective_at,
                    rationale=command.statement,
                    disagreement_workflow_id=workflow.info().workflow_id,
                    stage=stage,
                    new_outcome=command.new_outcome,
                ),
                carried_out=carried_out,
            ),
            result_type=ResolutionApplied,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        if carried_out:
            self.core.facts["carried_out"] = carried_out
            self.note("disagreement.carried_out", f"for {about}, which had finished: {carried_out}", at=at)
        return applied
