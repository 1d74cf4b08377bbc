"""Managing an allegation: the meetings, a police investigation that pauses the case, the employer's strands (§6).

A part of `workflows.lado.LadoWorkflow` between the initial consideration and the outcome: what the LADO
records while the allegation is managed. A police investigation pauses the employer's own investigation and
discipline, never the suspension decision or the targets.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.codes import EmployerStrand
    from safeguarding.commands.lado import RecordAllegationMeeting, RecordEmployerAction, RecordPoliceInvestigation
    from safeguarding.models import DecisionRecord
    from safeguarding.stages import LadoStage
    from workflows._lado_outcome import LadoOutcomeSteps
    from workflows._process import rejected


class LadoManagementSteps(LadoOutcomeSteps):
    """The allegation-management Updates of the LADO's process (not a workflow itself)."""

    @workflow.update(name="record_allegation_meeting")
    async def record_allegation_meeting(self, command: RecordAllegationMeeting) -> DecisionRecord:
        """The allegation management meeting, then each review meeting; the next review is due after it."""
        number = self.state.meetings + 1
        kind = "allegation management meeting" if number == 1 else f"review meeting {number - 1}"
        record = self.record_decision("record_allegation_meeting", command, f"{kind} held")
        self.meet_deadline(f"meeting_{number}", record.effective_at)
        self.state.meetings = number
        self._watch(f"meeting_{number + 1}", "lado_review_meeting", record.effective_at)
        await self.record()
        return record

    @record_allegation_meeting.validator
    def validate_record_allegation_meeting(self, command: RecordAllegationMeeting) -> None:
        self.check_decision(
            "record_allegation_meeting",
            command,
            not_before=self._made_at("record_allegation_meeting", "consider_allegation"),
        )

    @workflow.update(name="record_police_investigation")
    async def record_police_investigation(self, command: RecordPoliceInvestigation) -> DecisionRecord:
        """The police investigation starts (the case pauses) or ends (it resumes)."""
        self.state.police_investigation = command.under_way
        if command.under_way:
            outcome = "police investigation under way: case paused"
            self.core.facts["paused"] = "police investigation"
        else:
            outcome = "police investigation ended: case resumed"
            self.core.facts.pop("paused", None)
        record = self.record_decision("record_police_investigation", command, outcome)
        self.set_stage(LadoStage.PAUSED if command.under_way else LadoStage.ALLEGATION_MANAGEMENT)
        await self.record()
        return record

    @record_police_investigation.validator
    def validate_record_police_investigation(self, command: RecordPoliceInvestigation) -> None:
        self.check_decision(
            "record_police_investigation",
            command,
            not_before=self._made_at("record_police_investigation", "consider_allegation"),
        )
        if command.under_way == self.state.police_investigation:
            state = "already under way" if command.under_way else "not under way"
            raise rejected(f"record_police_investigation: the police investigation is {state}")

    @workflow.update(name="record_employer_action")
    async def record_employer_action(self, command: RecordEmployerAction) -> DecisionRecord:
        """Record what the employer reports on one strand: suspension, investigation or discipline."""
        if command.strand is EmployerStrand.SUSPENSION:
            done = "suspended" if command.suspended else "not suspended"
            outcome = f"suspension: {done}; alternatives considered: {command.alternatives_considered}"
            self.core.facts["employer.suspension"] = done.replace(" ", "_")
        else:
            outcome = f"{command.strand}: {command.report}"
            self.core.facts[f"employer.{command.strand}"] = "reported"
        record = self.record_decision("record_employer_action", command, outcome)
        await self.record()
        return record

    @record_employer_action.validator
    def validate_record_employer_action(self, command: RecordEmployerAction) -> None:
        self.check_decision(
            "record_employer_action",
            command,
            rationale_required=command.strand is EmployerStrand.SUSPENSION,
            not_before=self._made_at("consider_allegation"),
        )
        if self.core.stage == LadoStage.PAUSED and command.strand is not EmployerStrand.SUSPENSION:
            raise rejected(
                f"record_employer_action: the employer's {command.strand} waits while the police investigate"
            )
