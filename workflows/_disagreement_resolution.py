"""The resolution of a professional disagreement, applied to the process it concerns (statutory-rules.md §8).

A part of `workflows.disagreement.DisagreementWorkflow`: someone the profile entitles to decide at the
current stage records the outcome agreed in writing; where it changes the disputed decision, the process
the disagreement concerns must take the change first, and its refusal refuses the resolution. A process
that had already finished takes it through its record instead (`workflows._disagreement_finished`).
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import DisagreementStage
    from safeguarding.commands.disagreement import (
        ApplyResolution,
        DisputeRefused,
        ResolutionApplied,
        ResolutionRequest,
        ResolveDisagreement,
    )
    from safeguarding.models import DecisionRecord
    from workflows._disagreement_finished import FinishedDisputeSteps
    from workflows._disagreement_stages import stage_key, stage_words
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, rejected


class DisagreementResolutionSteps(FinishedDisputeSteps):
    """The resolution Update of the disagreement (not a workflow itself)."""

    changed_to: str | None
    attempts: int

    @workflow.update(name="resolve_disagreement")
    async def resolve_disagreement(self, command: ResolveDisagreement) -> DecisionRecord:
        """Record the outcome agreed in writing; an agreed change is applied to the process it concerns first."""
        stage = DisagreementStage(self.core.stage)
        self.resolving = True
        try:
            applied = await self._apply(command, stage)
        finally:
            self.resolving = False
        at = command.effective_at or workflow.now()
        self.meet_deadline(stage_key(stage), at)
        self.changed_to = applied.changed_to
        if applied.changed_to:
            self.core.facts["changed_to"] = applied.changed_to
        agreed = f"{command.new_outcome} agreed" if command.new_outcome else "the decision stands"
        record = self.record_decision(
            "resolve_disagreement", command, f"resolved at the {stage_words(stage)}: {agreed}"
        )
        self.note(
            "disagreement.resolved",
            f"resolved at the {stage_words(stage)}: {agreed}. Agreed in writing: {command.statement}",
            actor_id=command.actor.practitioner_id,
            at=at,
        )
        about = self.input.raised.about_workflow_id
        if applied.changed_to:
            self.note("disagreement.applied", f"{applied.changed_to} applied to {about}", at=at)
        elif not applied.applied:
            self.note("disagreement.not_applied", f"{about} had already finished; nothing to apply", at=at)
        self.resolution = command
        await self.record()
        return record

    @resolve_disagreement.validator
    def validate_resolve_disagreement(self, command: ResolveDisagreement) -> None:
        self._check_stage_decision("resolve_disagreement", command)
        problem = self.finished_change_problem(command) if self._about_finished() else None
        if problem:
            raise rejected(f"resolve_disagreement: {problem}")

    def _about_finished(self) -> bool:
        return self.disputed is not None and self.disputed.closed_at is not None

    async def _apply(self, command: ResolveDisagreement, stage: DisagreementStage) -> ResolutionApplied:
        """Have the process it concerns take the resolution; its refusal refuses this decision."""
        if self._about_finished():
            return await self._carry_out(command, stage)
        self.attempts += 1
        workflow_id = workflow.info().workflow_id
        request = ResolutionRequest(
            workflow_id=self.input.raised.about_workflow_id,
            update_id=f"resolution:{workflow_id}:{self.attempts}",
            resolution=ApplyResolution(
                actor=command.actor,
                effective_at=command.effective_at,
                rationale=command.statement,
                disagreement_workflow_id=workflow_id,
                stage=stage,
                new_outcome=command.new_outcome,
            ),
        )
        try:
            answer = await workflow.execute_activity(
                ActivityName.APPLY_RESOLUTION_TO_PROCESS,
                request,
                result_type=ResolutionApplied | DisputeRefused,  # type: ignore[arg-type]  # the pydantic converter takes a union
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:  # how a refusal came back in histories recorded before it was an answer
            raise rejected(f"resolve_disagreement: {getattr(err.cause, 'message', None) or err.message}") from None
        if isinstance(answer, DisputeRefused):
            raise rejected(f"resolve_disagreement: {answer.reason}")
        return answer
