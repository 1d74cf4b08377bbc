"""The front door: contact and referral (statutory-rules.md §1, §2)."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.codes import ConsentState, ContactOutcome, HandOffState, Process, StrategyReason
    from safeguarding.commands.assessment import AssessmentInput, assessment_id
    from safeguarding.commands.front_door import (
        DecideContact,
        DecideOutOfHours,
        FrontDoorInput,
        FrontDoorResult,
        OverrideConsent,
        RecordConsent,
    )
    from safeguarding.models import DecisionRecord, HandOff, Recipient, TaskView
    from safeguarding.stages import FrontDoorStage
    from safeguarding.working_days import describe_moment, is_out_of_hours, next_office_opening
    from workflows._process import ProcessWorkflow, rejected
    from workflows._strategy_hand_off import start_strategy_discussion

START_STRATEGY_DISCUSSION = "start-strategy-discussion"
"""Patch (Nov 2026): a strategy discussion is started; cases decided earlier recorded it as pending."""
HAND_OFF_BEFORE_LETTER = "hand-off-before-outcome-letter"
"""Patch (Nov 2026): hand off before writing to the referrer; cases started earlier wrote first."""
HANDS_OFF_TO = {
    ContactOutcome.ASSESSMENT: Process.ASSESSMENT,
    ContactOutcome.STRATEGY_DISCUSSION: Process.STRATEGY_DISCUSSION,
    ContactOutcome.IMMEDIATE_PROTECTION: Process.STRATEGY_DISCUSSION,
}


@workflow.defn(name="FrontDoor")
class FrontDoorWorkflow(ProcessWorkflow):
    """A contact at the front door (MASH), decided within the referral clock.

    The contact is recorded and the referrer acknowledged at once. Out of hours (evenings, nights,
    weekends, bank holidays) it goes to the Emergency Duty Team, which may take immediate protection;
    otherwise it is handed to the day team when the office next opens. The day team gathers information
    with the consent of those with parental responsibility — or the team manager overrides consent, with
    reasons, where seeking it would put the child at risk of significant harm or undermine a criminal
    investigation. The team manager decides the response (rule `referral_decision`: 1 working day, or the
    profile's hours clock): no further action / advice, early help, assessment (which starts the child and
    family assessment), strategy discussion or immediate protection (each starts a strategy discussion,
    counted from the contact). The referrer is told the outcome in writing. A decision after the
    deadline is still taken; the missed deadline has already alerted the team manager and, later, the
    service manager.
    """

    PROCESS = Process.FRONT_DOOR

    @workflow.init
    def __init__(self, input: FrontDoorInput) -> None:
        self.input = input
        self._start_core(input.context, None, stage=FrontDoorStage.SCREENING)
        self.consent = ConsentState.NOT_YET_SOUGHT
        self.decision: DecisionRecord | None = None
        # Built here, not in run(): an Update can be handled before run() starts.
        office = self.context.profile.office
        self.out_of_hours = is_out_of_hours(input.received_at, self.core.calendar, office.opens, office.closes)
        self.note(
            "contact.received",
            f"contact {input.contact_id} received"
            + (" out of hours: routed to the Emergency Duty Team" if self.out_of_hours else ""),
            at=input.received_at,
        )
        self.add_deadline("referral_decision", "referral_decision", input.received_at)
        self.core.stage = FrontDoorStage.EDT if self.out_of_hours else FrontDoorStage.SCREENING

    @workflow.run
    async def run(self, input: FrontDoorInput) -> FrontDoorResult:
        """Run the contact from receipt to the decision and its hand-off."""
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        await self.record()
        await self.send(
            "referral_acknowledgement",
            "referral_acknowledgement",
            Recipient(kind="referrer", id=input.contact_id),
            received=describe_moment(input.received_at),
        )
        if self.out_of_hours:
            await self._hand_to_day_team_when_office_opens()
        await workflow.wait_condition(lambda: self.decision is not None)
        assert self.decision is not None
        outcome = ContactOutcome(self.decision.outcome)
        # The hand-off comes first: an outage of the mail service must never hold up the assessment.
        if workflow.patched(HAND_OFF_BEFORE_LETTER):
            handed_to = await self._hand_off(outcome)
            await self._tell_referrer(outcome)
        else:
            await self._tell_referrer(outcome)
            handed_to = await self._hand_off(outcome)
        await self.close(str(outcome))
        await watch
        await workflow.wait_condition(workflow.all_handlers_finished)
        return FrontDoorResult(outcome=outcome, decided_at=self.decision.effective_at, handed_to=handed_to)

    async def _tell_referrer(self, outcome: ContactOutcome) -> None:
        assert self.decision is not None
        await self.send(
            "referral_outcome",
            "referral_outcome",
            Recipient(kind="referrer", id=self.input.contact_id),
            outcome=str(outcome),
            decided=describe_moment(self.decision.effective_at),
        )

    async def _hand_to_day_team_when_office_opens(self) -> None:
        opening = next_office_opening(self.input.received_at, self.core.calendar, self.context.profile.office.opens)
        try:
            await workflow.wait_condition(
                lambda: self.decision is not None,
                timeout=opening - workflow.now(),
                timeout_summary="office opens: hand to the day team",
            )
        except TimeoutError:
            self.note("edt.handover", "handed from the Emergency Duty Team to the day team")
            self.set_stage(FrontDoorStage.SCREENING)
            await self.record()

    async def _hand_off(self, outcome: ContactOutcome) -> Process | None:
        target = HANDS_OFF_TO.get(outcome)
        if target is None:
            return None
        if target is not Process.ASSESSMENT:
            if workflow.patched(START_STRATEGY_DISCUSSION):
                reason = (
                    StrategyReason.IMMEDIATE_PROTECTION
                    if outcome is ContactOutcome.IMMEDIATE_PROTECTION
                    else StrategyReason.FRONT_DOOR
                )
                await start_strategy_discussion(self, reason, self.input.received_at)
            else:
                self.core.hand_offs.append(HandOff(to_process=target, reason=str(outcome), state=HandOffState.PENDING))
                self.note("handoff.pending", f"{target} pending: that process is not yet available")
            return target
        started_id = await self.process_id(Process.ASSESSMENT, assessment_id(self.context.case_reference))
        assessment = AssessmentInput(
            context=self.context.model_copy(update={"calendar": self.core.calendar}),
            referral_at=self.input.received_at,
            contact_id=self.input.contact_id,
        )
        if await self.start_process("Assessment", assessment, started_id):
            self.note("handoff.started", f"assessment started: {started_id}")
        else:
            self.note("handoff.joined", f"an assessment is already open for this case: {started_id}")
        self.core.hand_offs.append(
            HandOff(to_process=target, reason=str(outcome), state=HandOffState.STARTED, workflow_id=started_id)
        )
        return target

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited at this stage, for the work tray."""
        if self.decision is not None:
            return []
        due = self.core.deadlines["referral_decision"].due.due_date
        if self.core.stage == FrontDoorStage.EDT:
            return [self.task("decide_out_of_hours", due_date=due)]
        tasks = [self.task("decide_contact", due_date=due)]
        if self.consent is ConsentState.NOT_YET_SOUGHT:
            tasks.append(self.task("record_consent", due_date=due))
        return tasks

    # -- decisions ------------------------------------------------------------------------------------

    @workflow.update(name="record_consent")
    async def record_consent(self, command: RecordConsent) -> DecisionRecord:
        """Record whether parents consent to information gathering from partner agencies (§2)."""
        self.consent = command.consent
        record = self.record_decision("record_consent", command, str(command.consent))
        await self.record()
        return record

    @record_consent.validator
    def validate_record_consent(self, command: RecordConsent) -> None:
        self.check_decision("record_consent", command, not_before=self.input.received_at)
        if command.consent not in (ConsentState.GIVEN, ConsentState.REFUSED):
            raise rejected("record_consent: consent is either given or refused")

    @workflow.update(name="override_consent")
    async def override_consent(self, command: OverrideConsent) -> DecisionRecord:
        """The manager proceeds without consent, with the ground and the reasons recorded (§2)."""
        self.consent = ConsentState.OVERRIDDEN
        record = self.record_decision("override_consent", command, f"overridden: {command.ground}")
        await self.record()
        return record

    @override_consent.validator
    def validate_override_consent(self, command: OverrideConsent) -> None:
        self.check_decision("override_consent", command, not_before=self.input.received_at)
        if self.consent is ConsentState.GIVEN:
            raise rejected("override_consent: consent was given; there is nothing to override")

    @workflow.update(name="decide_contact")
    async def decide_contact(self, command: DecideContact) -> DecisionRecord:
        """The team manager decides the response; this meets (or, late, closes) the referral clock."""
        return await self._decide("decide_contact", command, command.outcome)

    @decide_contact.validator
    def validate_decide_contact(self, command: DecideContact) -> None:
        self.check_decision("decide_contact", command, not_before=self.input.received_at)

    @workflow.update(name="decide_out_of_hours")
    async def decide_out_of_hours(self, command: DecideOutOfHours) -> DecisionRecord:
        """The Emergency Duty Team takes immediate protection out of hours."""
        return await self._decide("decide_out_of_hours", command, command.outcome)

    @decide_out_of_hours.validator
    def validate_decide_out_of_hours(self, command: DecideOutOfHours) -> None:
        self.check_decision("decide_out_of_hours", command, not_before=self.input.received_at)
        if command.outcome is not ContactOutcome.IMMEDIATE_PROTECTION:
            raise rejected(
                "decide_out_of_hours: out of hours only immediate protection is decided; "
                "everything else waits for the day team"
            )

    async def _decide(
        self, name: str, command: DecideContact | DecideOutOfHours, outcome: ContactOutcome
    ) -> DecisionRecord:
        record = self.record_decision(name, command, str(outcome))
        self.decision = record
        self.meet_deadline("referral_decision", record.effective_at)
        await self.record()
        return record
