"""Resolving a professional disagreement about a child, raised from any process (statutory-rules.md §8)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.codes import DeadlineState, DisagreementOutcome, DisagreementStage, Process
    from safeguarding.commands import Decision
    from safeguarding.commands.disagreement import (
        ApplyResolution,
        DisagreementInput,
        DisagreementLogEntry,
        DisagreementResult,
        DisputeRecorded,
        DisputeRequest,
        EscalateDisagreement,
        LogRecorded,
        RecordDispute,
        ResolutionApplied,
        ResolutionRequest,
        ResolveDisagreement,
    )
    from safeguarding.models import DecisionRecord, Recipient, TaskView
    from safeguarding.procedure_profile import DisagreementProcedure
    from safeguarding.working_days import describe_day, describe_moment
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected


def _key(stage: str) -> str:
    return f"stage:{stage}"


def _words(stage: str) -> str:
    return f"{stage.replace('_', ' ')} stage"


@workflow.defn(name="Disagreement")
class DisagreementWorkflow(ProcessWorkflow):
    """Professionals disagree about what a child needs: resolved quickly, at the lowest level, on the record.

    Anyone taking part (a social worker, a health visitor, a police officer, a school's safeguarding lead)
    raises it against a decision of a running process, or an open question of it, saying what they
    disagree with and what they propose. That process is told at once and marks the decision as
    disputed in its status; it keeps running and its clocks keep counting — escalation is not a complaint
    and pauses nothing — but it does not close until the disagreement is resolved.

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
        self.procedure: DisagreementProcedure = procedure
        raised = input.raised
        self.first = procedure.immediate_risk_starts_at if raised.immediate_risk else procedure.stages[0].id
        self.reached = self.first
        self._start_core(input.context, None, stage=str(self.first))
        now = workflow.now()
        self.raised_at = min(raised.effective_at or now, now)
        self.disputed: DisputeRecorded | None = None
        self.resolution: ResolveDisagreement | None = None
        self.changed_to: str | None = None
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
        self._open_stage(self.first, self.raised_at, "the disagreement being raised")
        if raised.immediate_risk:
            self.note(
                "disagreement.immediate_risk",
                f"the child is said to be at immediate risk: it starts at the {_words(self.first)} "
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
            self.disputed = await workflow.execute_activity(
                "record_dispute_on_process",
                DisputeRequest(workflow_id=raised.about_workflow_id, dispute=dispute),
                result_type=DisputeRecorded,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            return getattr(err.cause, "message", None) or err.message
        decided = f" ({self.disputed.decision}: {self.disputed.outcome})" if self.disputed.decision else ""
        self.note("disagreement.recorded", f"{raised.about_workflow_id} marks {raised.about_key}{decided} as disputed")
        return None

    # -- the stages ----------------------------------------------------------------------------------

    def _open_stage(self, stage: DisagreementStage, at: datetime, label: str) -> None:
        self.reached = stage
        self.add_deadline(_key(stage), self.procedure.stage(stage).rule_id, at, label=label)

    def _left(self, stage: str) -> bool:
        return self.resolution is not None or self.core.stage != stage or self._alarms_changed

    async def _run_stages(self) -> None:
        """Wait at each stage for its decision; a stage whose time runs out escalates by itself."""
        while self.resolution is None:
            self._alarms_changed = False  # set again by a calendar update that moves the time limit
            stage = self.core.stage
            deadline = self.core.deadlines[_key(stage)]
            if deadline.state is not DeadlineState.PENDING:
                await workflow.wait_condition(partial(self._left, stage))  # the last stage, overdue
                continue
            if workflow.now() < deadline.due.passes_at:
                try:
                    await workflow.wait_condition(
                        partial(self._left, stage),
                        timeout=deadline.due.passes_at - workflow.now(),
                        timeout_summary=f"time limit of the {_words(stage)}",
                    )
                    continue
                except TimeoutError:
                    pass
            await workflow.wait_condition(lambda: not self.resolving)  # a resolution being applied goes first
            if self.resolution is None and self.core.stage == stage:
                await self._time_out(DisagreementStage(stage))

    async def _time_out(self, stage: DisagreementStage) -> None:
        deadline = self.core.deadlines[_key(stage)]
        deadline.state = DeadlineState.MISSED
        following = self.procedure.after(stage)
        if following is None:
            self.note(
                "disagreement.overdue",
                f"the time limit of the {_words(stage)} has passed; it is the last stage, so its decision is awaited",
            )
            await self.record()
            await self._notify_stage("its time limit has passed; this is the last stage", key="overdue")
            return
        await self._escalate(
            following.id, workflow.now(), f"escalated automatically: the time limit of the {_words(stage)} passed"
        )

    async def _escalate(
        self, to: DisagreementStage, at: datetime, reason: str, command: EscalateDisagreement | None = None
    ) -> DecisionRecord | None:
        current = self.core.stage
        record = None
        if command is not None:
            self.meet_deadline(_key(current), at)
            record = self.record_decision("escalate_disagreement", command, f"escalated to the {_words(to)}")
        self.note(
            "disagreement.escalated",
            f"from the {_words(current)} to the {_words(to)}: {command.rationale if command else reason}",
            actor_id=command.actor.practitioner_id if command else None,
            at=at,
        )
        self.set_stage(str(to))
        self._open_stage(to, at, f"the escalation from the {_words(current)}")
        await self.record()
        await self._notify_stage(reason)
        return record

    async def _notify_stage(self, reason: str, *, key: str = "stage") -> None:
        """Tell the people responsible at this stage what it is about and by when it must be resolved."""
        stage = DisagreementStage(self.core.stage)
        due = self.core.deadlines[_key(stage)].due
        fields = {
            **self._fields(),
            "due": describe_moment(due.due_at) if due.due_at else describe_day(due.due_date),
            "basis": due.basis,
            "reason": reason,
        }
        for recipient in self._responsible(stage):
            await self.send(f"{key}:{stage}:{recipient.kind}:{recipient.id}", "disagreement_stage", recipient, **fields)

    def _fields(self) -> dict[str, str]:
        assert self.disputed is not None
        return {
            "disagreement_stage": self.core.stage,
            "process": str(self.disputed.process),
            "about_key": self.input.raised.about_key,
        }

    def _responsible(self, stage: DisagreementStage) -> list[Recipient]:
        team = self.context.team_id
        if stage is DisagreementStage.TEAM_MANAGERS:
            return [Recipient(kind="team_manager", id=team)]
        if stage is DisagreementStage.SERVICE_MANAGERS:
            return [Recipient(kind="service_manager", id=team)]
        if stage is DisagreementStage.PARTNERSHIP:
            return [Recipient(kind="partnership", id=self.procedure.partnership)]
        return self._parties()

    def _parties(self) -> list[Recipient]:
        """Return who disagrees: the one who raised it and their counterpart (else the team manager)."""
        raised, disputed = self.input.raised, self.disputed
        raiser = raised.actor.practitioner_id
        known = [raised.counterpart_id]
        if disputed is not None:
            known += [disputed.decided_by_id, disputed.responsible_id]
        counterpart = next((who for who in known if who and who != raiser), None)
        parties = [Recipient(kind="practitioner", id=raiser)]
        if counterpart is None:
            return [*parties, Recipient(kind="team_manager", id=self.context.team_id)]
        return [*parties, Recipient(kind="practitioner", id=counterpart)]

    # -- the record and the escalation log --------------------------------------------------------------

    async def record(self) -> None:
        """Write the record, then the disagreement's line of the partnership's escalation log."""
        await super().record()
        async with self._log_lock:
            await workflow.execute_activity(
                "record_disagreement",
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

    # -- decisions ----------------------------------------------------------------------------------

    def open_tasks(self) -> list[TaskView]:
        """Return the decision awaited at this stage, from those the profile entitles to make it."""
        if self.disputed is None or self.resolution is not None or self.core.closed_at is not None:
            return []
        stage = DisagreementStage(self.core.stage)
        deciders = self.procedure.stage(stage).deciders
        due = self.core.deadlines[_key(stage)].due.due_date
        tasks = [
            TaskView(
                key=f"resolve:{stage}",
                decision="resolve_disagreement",
                title=f"Resolve the disagreement at the {_words(stage)}: the outcome agreed in writing",
                allowed_roles=deciders,
                due_date=due,
            )
        ]
        if self.procedure.after(stage) is not None:
            tasks.append(
                TaskView(
                    key=f"escalate:{stage}",
                    decision="escalate_disagreement",
                    title=f"Or escalate it from the {_words(stage)}, with reasons",
                    allowed_roles=deciders,
                    due_date=due,
                )
            )
        return tasks

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
        self.meet_deadline(_key(stage), at)
        self.changed_to = applied.changed_to
        agreed = f"{command.new_outcome} agreed" if command.new_outcome else "the decision stands"
        record = self.record_decision("resolve_disagreement", command, f"resolved at the {_words(stage)}: {agreed}")
        self.note(
            "disagreement.resolved",
            f"resolved at the {_words(stage)}: {agreed}. Agreed in writing: {command.statement}",
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

    async def _apply(self, command: ResolveDisagreement, stage: DisagreementStage) -> ResolutionApplied:
        """Have the process it concerns take the resolution; its refusal refuses this decision."""
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
            return await workflow.execute_activity(
                "apply_resolution_to_process",
                request,
                result_type=ResolutionApplied,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            raise rejected(f"resolve_disagreement: {getattr(err.cause, 'message', None) or err.message}") from None

    @workflow.update(name="escalate_disagreement")
    async def escalate_disagreement(self, command: EscalateDisagreement) -> DecisionRecord:
        """Not resolved at this stage: escalate to the next now, with the reasons."""
        following = self.procedure.after(DisagreementStage(self.core.stage))
        assert following is not None, "the validator refuses escalation from the last stage"
        role = command.actor.role.replace("_", " ")
        record = await self._escalate(
            following.id,
            command.effective_at or workflow.now(),
            f"escalated by the {role}; the reasons are recorded on the case",
            command,
        )
        assert record is not None
        return record

    @escalate_disagreement.validator
    def validate_escalate_disagreement(self, command: EscalateDisagreement) -> None:
        stage = self._check_stage_decision("escalate_disagreement", command, rationale_required=True)
        if self.procedure.after(stage) is None:
            raise rejected(
                f"escalate_disagreement: the {_words(stage)} is the last; its decision is final, so resolve it"
            )

    def _check_stage_decision(
        self, name: str, command: Decision, *, rationale_required: bool = False
    ) -> DisagreementStage:
        """Refuse `command` unless someone the profile entitles at the current stage makes it, now."""
        if self.core.closed_at is not None or self.resolution is not None:
            raise rejected(f"{name}: the disagreement is already {self.core.outcome or 'resolved'}")
        if self.disputed is None:
            raise rejected(f"{name}: the disagreement is still being recorded on the process it concerns")
        if self.resolving:
            raise rejected(f"{name}: a resolution is being applied to the process it concerns")
        stage = DisagreementStage(self.core.stage)
        deciders = self.procedure.stage(stage).deciders
        if command.actor.role not in deciders:
            raise rejected(
                f"{name}: at the {_words(stage)} only a {' or a '.join(deciders)} may decide; "
                f"a {command.actor.role} may not"
            )
        self.check_decision(
            name,
            command,
            stages=(self.core.stage,),
            rationale_required=rationale_required,
            not_before=self.core.deadlines[_key(stage)].due.trigger_at,
            once=False,
        )
        return stage
