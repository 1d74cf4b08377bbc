"""Resolving a professional disagreement about a child, raised from any process (statutory-rules.md §8).

The workflow: the disagreement raised and marked on the process it concerns, its run through the stages to
the outcome, its line of the partnership's escalation log and its work tray. Its steps are mixins: the
stages and their escalation (`_disagreement_stages`), and the resolution (`_disagreement_resolution`).
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import DisagreementOutcome, DisagreementStage, Process
    from safeguarding.commands.disagreement import (
        RAISED,
        DisagreementInput,
        DisagreementLogEntry,
        DisagreementResult,
        DisputeRecorded,
        DisputeRefused,
        DisputeRequest,
        LogRecorded,
        RecordDispute,
    )
    from safeguarding.models import Recipient, TaskView
    from workflows._disagreement_resolution import DisagreementResolutionSteps
    from workflows._disagreement_stages import stage_key, stage_words
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY


@workflow.defn(name="Disagreement")
class DisagreementWorkflow(DisagreementResolutionSteps):
    """Professionals disagree about what a child needs: resolved quickly, at the lowest level, on the record.

    Anyone taking part (a social worker, a health visitor, a police officer, a school's safeguarding lead)
    raises it against a decision of a running process, or an open question of it, saying what they
    disagree with and what they propose. That process is told at once and marks the decision as
    disputed in its status; it keeps running and its clocks keep counting — escalation is not a complaint
    and pauses nothing — but it does not close until the disagreement is resolved. A decision of a process
    that has already finished (a Family Support Plan authorised, the assessment closed) can be disputed
    too: the dispute is written on that process's record, and a change agreed is carried out by the
    disagreement itself (`workflows._disagreement_finished`).

    The stages are the profile's (by default the practitioners, the team managers, the service managers,
    the safeguarding partnership). At each stage the people responsible are told, and someone the profile
    entitles to decide at that stage either resolves it, recording the outcome agreed in writing (and,
    where agreed, the changed decision, which the process it concerns must accept), or escalates it with
    reasons. A stage not resolved within its time limit (rule `disagreement_stage_<stage>`) escalates by
    itself; at the last stage its decision is awaited. A child said to be at immediate risk starts at the
    profile's higher stage and the team's duty manager is alerted at once. Every stage is in the child's
    chronology and the partnership's escalation log. A missed statutory deadline of the process it
    concerns still alerts its managers as always: that is deadline escalation, a different thing.
    """

    PROCESS = Process.DISAGREEMENT
    DISPUTABLE = False

    @workflow.init
    def __init__(self, input: DisagreementInput) -> None:
        self.input = input
        procedure = input.context.profile.disagreement
        assert procedure is not None, "DisagreementInput refuses a profile without a procedure"
        self.procedure = procedure
        raised = input.raised
        self.first = procedure.immediate_risk_starts_at if raised.immediate_risk else procedure.stages[0].id
        self.reached = self.first
        self._start_core(input.context, None, stage=str(self.first))
        now = workflow.now()
        self.raised_at = min(raised.effective_at or now, now)
        self.disputed = None
        self.resolution = None
        self.changed_to = None
        self.resolving = False
        self.attempts = 0
        self._log_lock = asyncio.Lock()
        self.note(
            "disagreement.raised",
            f"a {raised.actor.role} disagrees with {raised.about_key} of {raised.about_workflow_id}: "
            f"{raised.disagrees_with} Proposes: {raised.proposes}",
            actor_id=raised.actor.practitioner_id,
            at=self.raised_at,
        )

    @workflow.run
    async def run(self, input: DisagreementInput) -> DisagreementResult:
        """Mark the decision disputed, then run the stages until the outcome is agreed in writing."""
        self._upsert_search_attributes()
        refusal = self._dated_in_the_future() or await self._mark_disputed()
        if refusal is not None:
            self.note("disagreement.refused", f"not taken forward: {refusal}")
            await self.close(str(DisagreementOutcome.REFUSED))
            await workflow.wait_condition(workflow.all_handlers_finished)
            return self._result()
        raised = input.raised
        self._open_stage(self.first, self.raised_at, RAISED)
        if raised.immediate_risk:
            self.note(
                "disagreement.immediate_risk",
                f"the child is said to be at immediate risk: it starts at the {stage_words(self.first)} "
                "and the duty manager is alerted",
            )
        await self.record()
        if raised.immediate_risk:
            await self.send(
                "immediate_risk",
                "disagreement_immediate_risk",
                Recipient(kind="duty_manager", id=self.context.team_id),
                **self._fields(),
            )
        await self._notify_stage(f"raised by a {raised.actor.role.replace('_', ' ')}")
        await self._run_stages()
        change = f"the decision was changed to {self.changed_to}" if self.changed_to else "the decision stands"
        for recipient in self._parties():
            await self.send(
                f"resolved:{recipient.kind}:{recipient.id}",
                "disagreement_resolved",
                recipient,
                disagreement_stage=str(self.reached),
                change=change,
            )
        await self.close(str(DisagreementOutcome.RESOLVED))
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._result()

    def _result(self) -> DisagreementResult:
        assert self.core.closed_at is not None and self.core.outcome is not None
        return DisagreementResult(
            outcome=DisagreementOutcome(self.core.outcome),
            stage=self.reached,
            changed_to=self.changed_to,
            closed_at=self.core.closed_at,
        )

    def _dated_in_the_future(self) -> str | None:
        raised_at = self.input.raised.effective_at
        if raised_at is not None and raised_at > workflow.now():
            return f"dated {raised_at.isoformat()}, which is in the future"
        return None

    async def _mark_disputed(self) -> str | None:
        """Tell the process it concerns; return its refusal, or None once it marks the decision disputed."""
        raised = self.input.raised
        dispute = RecordDispute(
            disagreement_workflow_id=workflow.info().workflow_id,
            about_key=raised.about_key,
            raised_by=raised.actor,
            raised_at=self.raised_at,
            immediate_risk=raised.immediate_risk,
        )
        try:
            answer = await workflow.execute_activity(
                ActivityName.RECORD_DISPUTE_ON_PROCESS,
                DisputeRequest(workflow_id=raised.about_workflow_id, dispute=dispute),
                result_type=DisputeRecorded | DisputeRefused,  # type: ignore[arg-type]  # the pydantic converter takes a union
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:  # how a refusal came back in histories recorded before it was an answer
            return getattr(err.cause, "message", None) or err.message
        if isinstance(answer, DisputeRefused):
            return answer.reason
        self.disputed = answer
        decided = f" ({answer.decision}: {answer.outcome})" if answer.decision else ""
        if answer.closed_at is not None:
            self.core.facts["about_closed_at"] = answer.closed_at.isoformat()
            self.note(
                "disagreement.recorded",
                f"{raised.about_workflow_id} had finished; its record marks {raised.about_key}{decided} as "
                "disputed, and a change agreed is carried out from here",
            )
            return None
        self.note("disagreement.recorded", f"{raised.about_workflow_id} marks {raised.about_key}{decided} as disputed")
        return None

    # -- the record and the escalation log --------------------------------------------------------------

    async def record(self) -> None:
        """Write the record, then the disagreement's line of the partnership's escalation log."""
        await super().record()
        async with self._log_lock:
            await workflow.execute_activity(
                ActivityName.RECORD_DISAGREEMENT,
                self._log_entry(),
                result_type=LogRecorded,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )

    def _log_entry(self) -> DisagreementLogEntry:
        raised = self.input.raised
        return DisagreementLogEntry(
            workflow_id=workflow.info().workflow_id,
            case_id=self.context.case_id,
            team_id=self.context.team_id,
            partnership_id=self.procedure.partnership,
            about_workflow_id=raised.about_workflow_id,
            about_key=raised.about_key,
            about_process=self.disputed.process if self.disputed else None,
            about_outcome=self.disputed.outcome if self.disputed else None,
            raised_by_id=raised.actor.practitioner_id,
            raised_by_role=raised.actor.role,
            immediate_risk=raised.immediate_risk,
            raised_at=self.raised_at,
            started_at_stage=self.first,
            stage_reached=self.reached,
            outcome=DisagreementOutcome(self.core.outcome or DisagreementOutcome.OPEN),
            changed_to=self.changed_to,
            closed_at=self.core.closed_at,
        )

    # -- the work tray -----------------------------------------------------------------------------

    def open_tasks(self) -> list[TaskView]:
        """Return the decision awaited at this stage, from those the profile entitles to make it."""
        if self.disputed is None or self.resolution is not None or self.core.closed_at is not None:
            return []
        stage = DisagreementStage(self.core.stage)
        deciders = self.procedure.stage(stage).deciders
        due = self.core.deadlines[stage_key(stage)].due.due_date
        tasks = [
            self.task(
                "resolve_disagreement",
                key=f"resolve:{stage}",
                title=f"Resolve the disagreement at the {stage_words(stage)}: the outcome agreed in writing",
                allowed_roles=deciders,
                due_date=due,
            )
        ]
        if self.procedure.after(stage) is not None:
            tasks.append(
                self.task(
                    "escalate_disagreement",
                    key=f"escalate:{stage}",
                    title=f"Or escalate it from the {stage_words(stage)}, with reasons",
                    allowed_roles=deciders,
                    due_date=due,
                )
            )
        return tasks
