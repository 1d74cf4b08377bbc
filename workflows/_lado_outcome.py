"""The end of the LADO's process: the outcome, its consequences and the referrals (statutory-rules.md §6).

A part of `workflows.lado.LadoWorkflow`, kept apart because it changes for its own reasons: the outcome's
consequences (resolution targets, DBS and regulator referrals, the retention of the record) follow the
law on barring and records rather than the steps of managing the allegation.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.allegations import required_referrals
    from safeguarding.codes import BarringReferral, LadoOutcome
    from safeguarding.commands.lado import (
        ONE_WEEK_OUTCOMES,
        ONE_WEEK_TARGET,
        RESOLUTION_TARGETS,
        LadoInput,
        LadoState,
        OutcomeRecord,
        OutcomeRecorded,
        RecordAllegationOutcome,
        RecordBarringReferral,
    )
    from safeguarding.models import DecisionRecord
    from safeguarding.stages import LadoStage
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected


class LadoOutcomeSteps(ProcessWorkflow):
    """The outcome and referral Updates of the LADO's process (not a workflow itself)."""

    input: LadoInput
    state: LadoState

    def _watch(self, key: str, rule_id: str, trigger_at: datetime) -> None:
        """Start watching a deadline; its reminders go to the LADO responsible (else the LADO's manager)."""
        self.add_deadline(key, rule_id, trigger_at, responsible_id=self.core.responsible_id)

    def _made_at(self, *decisions: str) -> datetime:
        """Return when the latest of `decisions` was made: a later step cannot be dated before it."""
        made = [d.effective_at for d in self.core.decisions if d.decision in decisions]
        return max(made, default=self.input.notified_at)

    @workflow.update(name="record_allegation_outcome")
    async def record_allegation_outcome(self, command: RecordAllegationOutcome) -> DecisionRecord:
        """Record the outcome: the resolution targets are met or missed, referrals required, retention stored."""
        self.state.outcome_pending = True
        assert self.context.profile.lado is not None
        dbs = command.removed_from_regulated_activity
        regulator = BarringReferral.TEACHING_REGULATOR in required_referrals(
            removed_from_regulated_activity=dbs, is_teacher=self.input.subject_is_teacher
        )
        try:
            recorded = await workflow.execute_activity(
                ActivityName.RECORD_LADO_OUTCOME,
                OutcomeRecord(
                    case_id=self.context.case_id,
                    workflow_id=workflow.info().workflow_id,
                    outcome=command.outcome,
                    decided_at=command.effective_at or workflow.now(),
                    dbs_referral_required=dbs,
                    regulator_referral_required=regulator,
                    normal_retirement_age=self.context.profile.lado.normal_retirement_age,
                ),
                result_type=OutcomeRecorded,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            self.state.outcome_pending = False
            raise rejected(f"record_allegation_outcome: {getattr(err.cause, 'message', err.message)}") from None
        record = self.record_decision("record_allegation_outcome", command, str(command.outcome))
        self.state.outcome = command.outcome
        self.core.facts.update(
            outcome=str(command.outcome),
            retention=str(recorded.retention),
            retention_basis=recorded.summary,
            dbs_referral="required" if dbs else "not_required",
            regulator_referral="required" if regulator else "not_required",
        )
        if command.resigned:
            self.note("lado.resigned", "the person resigned" + ("; the DBS referral is still required" if dbs else ""))
        self._resolve(command.outcome, record)
        self.state.referrals_required = required_referrals(
            removed_from_regulated_activity=dbs, is_teacher=self.input.subject_is_teacher
        )
        self.state.outcome_pending = False
        if self.state.referrals_required:
            self.set_stage(LadoStage.REFERRALS)
            await self.record()
        else:
            await self.close(str(command.outcome))
        return record

    @record_allegation_outcome.validator
    def validate_record_allegation_outcome(self, command: RecordAllegationOutcome) -> None:
        self.check_decision("record_allegation_outcome", command, not_before=self._made_at("consider_allegation"))
        if self.core.stage == LadoStage.PAUSED:
            raise rejected("record_allegation_outcome: the police investigation is still running; record its end first")
        if self.state.outcome_pending:
            raise rejected("record_allegation_outcome: an outcome is being recorded")
        if self.context.profile.lado is None:
            raise rejected(
                f"record_allegation_outcome: profile {self.context.profile.ref} sets no normal retirement age "
                "([lado]), so the retention date cannot be worked out"
            )

    def _resolve(self, outcome: LadoOutcome, record: DecisionRecord) -> None:
        """Meet the resolution targets at the outcome; close the meeting clocks no longer needed."""
        at = record.effective_at
        key, rule_id = ONE_WEEK_TARGET
        if outcome in ONE_WEEK_OUTCOMES and key not in self.core.deadlines:
            self._watch(key, rule_id, self.input.notified_at)
        for target in (*RESOLUTION_TARGETS, key):
            if target in self.core.deadlines:
                self.meet_deadline(target, at)
        for name, deadline in self.core.deadlines.items():
            if name.startswith("meeting_") and deadline.met_on is None:
                self.meet_deadline(name, at, reasons=f"not needed: the allegation was resolved ({outcome})")

    @workflow.update(name="record_barring_referral")
    async def record_barring_referral(self, command: RecordBarringReferral) -> DecisionRecord:
        """A required referral to the DBS or the teaching regulator has been made; the last one closes the case."""
        self.state.referrals_made.append(command.referral)
        self.core.facts[f"{command.referral}_referral"] = "made"
        record = self.record_decision("record_barring_referral", command, f"{command.referral} referral made")
        if set(self.state.referrals_made) >= set(self.state.referrals_required):
            assert self.state.outcome is not None
            await self.close(str(self.state.outcome))
        else:
            await self.record()
        return record

    @record_barring_referral.validator
    def validate_record_barring_referral(self, command: RecordBarringReferral) -> None:
        self.check_decision("record_barring_referral", command, not_before=self._made_at("record_allegation_outcome"))
        if command.referral not in self.state.referrals_required:
            raise rejected(f"record_barring_referral: no {command.referral} referral is required for this outcome")
        if command.referral in self.state.referrals_made:
            raise rejected(f"record_barring_referral: the {command.referral} referral is already recorded")
