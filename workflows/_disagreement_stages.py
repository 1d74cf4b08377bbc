"""The stages of a professional disagreement and its escalation through them (statutory-rules.md §8).

A part of `workflows.disagreement.DisagreementWorkflow`: each stage of the profile's dispute-resolution
system opens with its time limit (rule `disagreement_stage_<stage>`) and the people responsible at it are
told; someone the profile entitles to decide there escalates it with reasons, or the stage escalates by
itself when its time runs out (at the last stage, its decision is awaited). Who may decide at a stage is
checked here for the resolution too (`workflows._disagreement_resolution`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.codes import DeadlineState, DisagreementStage
    from safeguarding.commands import Decision
    from safeguarding.commands.disagreement import (
        DisagreementInput,
        DisputeRecorded,
        EscalateDisagreement,
        ResolveDisagreement,
    )
    from safeguarding.models import DecisionRecord, Recipient
    from safeguarding.procedure_profile import DisagreementProcedure
    from safeguarding.working_days import describe_day, describe_moment
    from workflows._process import ProcessWorkflow, rejected


def stage_key(stage: str) -> str:
    return f"stage:{stage}"


def stage_words(stage: str) -> str:
    return f"{stage.replace('_', ' ')} stage"


class DisagreementStageSteps(ProcessWorkflow):
    """The stages of the disagreement: their clocks, escalation and notices (not a workflow itself)."""

    input: DisagreementInput
    procedure: DisagreementProcedure
    reached: DisagreementStage
    disputed: DisputeRecorded | None
    resolution: ResolveDisagreement | None
    resolving: bool

    def _open_stage(self, stage: DisagreementStage, at: datetime, label: str) -> None:
        self.reached = stage
        self.add_deadline(
            stage_key(stage),
            self.procedure.stage(stage).rule_id,
            at,
            label=label,
            responsible_id=self.core.responsible_id,
        )

    def _left(self, stage: str) -> bool:
        return self.resolution is not None or self.core.stage != stage or self._alarms_changed

    async def _run_stages(self) -> None:
        """Wait at each stage for its decision; a stage whose time runs out escalates by itself."""
        while self.resolution is None:
            self._alarms_changed = False  # set again by a calendar update that moves the time limit
            stage = self.core.stage
            deadline = self.core.deadlines[stage_key(stage)]
            if deadline.state is not DeadlineState.PENDING:
                await workflow.wait_condition(partial(self._left, stage))  # the last stage, overdue
                continue
            if workflow.now() < deadline.due.passes_at:
                try:
                    await workflow.wait_condition(
                        partial(self._left, stage),
                        timeout=deadline.due.passes_at - workflow.now(),
                        timeout_summary=f"time limit of the {stage_words(stage)}",
                    )
                    continue
                except TimeoutError:
                    pass
            await workflow.wait_condition(lambda: not self.resolving)  # a resolution being applied goes first
            if self.resolution is None and self.core.stage == stage:
                await self._time_out(DisagreementStage(stage))

    async def _time_out(self, stage: DisagreementStage) -> None:
        deadline = self.core.deadlines[stage_key(stage)]
        deadline.state = DeadlineState.MISSED
        following = self.procedure.after(stage)
        if following is None:
            self.note(
                "disagreement.overdue",
                f"the time limit of the {stage_words(stage)} has passed; "
                "it is the last stage, so its decision is awaited",
            )
            await self.record()
            await self._notify_stage("its time limit has passed; this is the last stage", key="overdue")
            return
        await self._escalate(
            following.id, workflow.now(), f"escalated automatically: the time limit of the {stage_words(stage)} passed"
        )

    async def _escalate(
        self, to: DisagreementStage, at: datetime, reason: str, command: EscalateDisagreement | None = None
    ) -> DecisionRecord | None:
        current = self.core.stage
        record = None
        if command is not None:
            self.meet_deadline(stage_key(current), at)
            record = self.record_decision("escalate_disagreement", command, f"escalated to the {stage_words(to)}")
        self.note(
            "disagreement.escalated",
            f"from the {stage_words(current)} to the {stage_words(to)}: {command.rationale if command else reason}",
            actor_id=command.actor.practitioner_id if command else None,
            at=at,
        )
        self.set_stage(str(to))
        self._open_stage(to, at, f"the escalation from the {stage_words(current)}")
        await self.record()
        await self._notify_stage(reason)
        return record

    async def _notify_stage(self, reason: str, *, key: str = "stage") -> None:
        """Tell the people responsible at this stage what it is about and by when it must be resolved."""
        stage = DisagreementStage(self.core.stage)
        due = self.core.deadlines[stage_key(stage)].due
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

    # -- a decision at a stage: escalation, and who may decide -------------------------------------

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
        stage = self._check_stage_decision("escalate_disagreement", command)
        if self.procedure.after(stage) is None:
            raise rejected(
                f"escalate_disagreement: the {stage_words(stage)} is the last; its decision is final, so resolve it"
            )

    def _check_stage_decision(self, name: str, command: Decision) -> DisagreementStage:
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
                f"{name}: at the {stage_words(stage)} only a {' or a '.join(deciders)} may decide; "
                f"a {command.actor.role} may not"
            )
        self.check_decision(name, command, not_before=self.core.deadlines[stage_key(stage)].due.trigger_at)
        return stage
