"""The strategy discussion (statutory-rules.md §4)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.codes import Agency, HandOffState, Process, StrategyOutcome
    from safeguarding.commands.strategy_discussion import (
        DecideStrategy,
        FurtherDiscussion,
        RecordCirculated,
        RecordDiscussion,
        S47Input,
        StrategyDiscussionInput,
        s47_enquiry_id,
    )
    from safeguarding.models import DecisionRecord, HandOff, TaskView
    from safeguarding.stages import StrategyDiscussionStage
    from workflows._process import ProcessWorkflow, rejected

MINIMUM_AGENCIES = frozenset({Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH})
STARTS_ENQUIRY = {
    StrategyOutcome.S47_SINGLE_AGENCY: False,
    StrategyOutcome.S47_JOINT_WITH_POLICE: True,
    StrategyOutcome.IMMEDIATE_PROTECTION: True,
}
"""Outcomes that start a section 47 enquiry, and whether it is joint with the police."""


@workflow.defn(name="StrategyDiscussion")
class StrategyDiscussionWorkflow(ProcessWorkflow):
    """A strategy discussion about one child, where there is reasonable cause to suspect significant harm.

    Started from the front door, from an assessment, from a LADO allegation, or on an open case when new
    information arrives; several can be held on one case. It must be held within the profile's local time
    limit from the concerns (rule `strategy_discussion`: 24 hours, 3 days, or — with a telephone discussion
    first — a meeting within 5 working days), and cannot be concluded without at least social care,
    police and health taking part. The chair (usually a children's social care team manager) decides:
    section 47 enquiries, single-agency or joint with the police (which starts the enquiry, or tells the
    running one of this further discussion); no section 47 — continue the assessment, a Child in Need
    plan, or early help; or immediate protection (with a joint enquiry). Dissent is recorded. The record is
    circulated within 1 working day of the discussion (rule `strategy_record_circulation`).
    """

    PROCESS = Process.STRATEGY_DISCUSSION

    @workflow.init
    def __init__(self, input: StrategyDiscussionInput) -> None:
        self.input = input
        self._start_core(input.context, None, stage=StrategyDiscussionStage.DISCUSSION)
        self.decision: DecideStrategy | None = None
        # The discussion that meets the time limit: all three agencies, and a meeting where the profile says.
        self.held: RecordDiscussion | None = None
        self.agencies: set[Agency] = set()
        self.note(
            "strategy.started",
            f"strategy discussion needed ({input.reason})"
            + (f", from {input.source_workflow_id}" if input.source_workflow_id else ""),
            at=input.concerns_at,
        )
        self.add_deadline("strategy_discussion", "strategy_discussion", input.concerns_at, label="the concerns")
        self.core.facts["reason"] = str(input.reason)

    @workflow.run
    async def run(self, input: StrategyDiscussionInput) -> DecisionRecord:
        """Hold the discussion, act on the chair's decision, and see the record circulated."""
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        await self.record()
        await workflow.wait_condition(lambda: self.decision is not None)
        assert self.decision is not None
        decided = next(d for d in reversed(self.core.decisions) if d.decision == "decide_strategy")
        await self._act_on(self.decision.outcome, decided)
        await workflow.wait_condition(lambda: "strategy_record_circulation" not in self._pending())
        await self.close(str(self.decision.outcome))
        await watch
        await workflow.wait_condition(workflow.all_handlers_finished)
        return decided

    def _pending(self) -> set[str]:
        return {key for key, d in self.core.deadlines.items() if d.met_on is None}

    async def _act_on(self, outcome: StrategyOutcome, decided: DecisionRecord) -> None:
        if outcome in STARTS_ENQUIRY:
            await self._start_or_tell_enquiry(decided, joint=STARTS_ENQUIRY[outcome])
        elif outcome is StrategyOutcome.CIN_PLAN:
            await self.start_cin_plan(decided.effective_at)
        await self.record()

    async def _start_or_tell_enquiry(self, decided: DecisionRecord, *, joint: bool) -> None:
        assert self.decision is not None
        enquiry_id = await self.process_id(Process.S47_ENQUIRY, s47_enquiry_id(self.context.case_reference))
        held_at = self._held_at()
        enquiry = S47Input(
            context=self.context.model_copy(update={"calendar": self.core.calendar}),
            discussion_workflow_id=workflow.info().workflow_id,
            discussion_at=held_at,
            started_at=decided.effective_at,
            joint_with_police=joint,
            decided_by=self.decision.actor,
        )
        if await self.start_process("S47Enquiry", enquiry, enquiry_id):
            self.note("handoff.started", f"section 47 enquiry started{' jointly with the police' if joint else ''}")
        else:
            # The case's enquiry is already running: this was a further discussion, the 'last' one (§5).
            await workflow.get_external_workflow_handle(enquiry_id).signal(
                "further_discussion_held",
                FurtherDiscussion(held_at=held_at, discussion_workflow_id=workflow.info().workflow_id),
            )
            self.note("handoff.joined", f"the running section 47 enquiry {enquiry_id} told of this discussion")
        self.core.hand_offs.append(
            HandOff(
                to_process=Process.S47_ENQUIRY,
                reason=str(decided.outcome),
                state=HandOffState.STARTED,
                workflow_id=enquiry_id,
            )
        )

    def _held_at(self) -> datetime:
        return next(d for d in reversed(self.core.decisions) if d.decision == "record_discussion").effective_at

    def open_tasks(self) -> list[TaskView]:
        """Return what is awaited: the discussion and the chair's decision, then circulating the record."""
        if self.core.stage == StrategyDiscussionStage.DISCUSSION:
            due = self.core.deadlines["strategy_discussion"].due.due_date
            awaited = ["decide_strategy"] if self.held is not None else ["record_discussion", "decide_strategy"]
            return [self.task(name, due_date=due) for name in awaited]
        if self.core.stage == StrategyDiscussionStage.CIRCULATION and "strategy_record_circulation" in self._pending():
            due = self.core.deadlines["strategy_record_circulation"].due.due_date
            return [self.task("record_circulated", due_date=due)]
        return []

    # -- decisions ------------------------------------------------------------------------------------

    @workflow.update(name="record_discussion")
    async def record_discussion(self, command: RecordDiscussion) -> DecisionRecord:
        """Record a discussion and who took part; the first with social care, police and health meets the clock."""
        self.agencies |= {p.agency for p in command.participants}
        form = "telephone discussion" if command.telephone else "meeting"
        record = self.record_decision(
            "record_discussion", command, f"{form}: {', '.join(sorted(p.agency for p in command.participants))}"
        )
        counts = not command.telephone or not self.context.profile.strategy_discussion_telephone_first
        if counts and {p.agency for p in command.participants} >= MINIMUM_AGENCIES and self.held is None:
            self.held = command
            self.meet_deadline("strategy_discussion", record.effective_at)
        await self.record()
        return record

    @record_discussion.validator
    def validate_record_discussion(self, command: RecordDiscussion) -> None:
        self.check_decision("record_discussion", command, not_before=self.input.concerns_at)

    @workflow.update(name="decide_strategy")
    async def decide_strategy(self, command: DecideStrategy) -> DecisionRecord:
        """The chair decides what happens next; dissent is recorded with the decision."""
        record = self.record_decision("decide_strategy", command, str(command.outcome))
        for dissent in command.dissent:
            self.note(
                "strategy.dissent", f"dissent recorded from {dissent.agency}: {dissent.view}", actor_id=record.actor_id
            )
        self.decision = command
        self.add_deadline(
            "strategy_record_circulation",
            "strategy_record_circulation",
            self._held_at(),
            label="the strategy discussion",
            responsible_id=self.core.responsible_id,
        )
        self.set_stage(StrategyDiscussionStage.CIRCULATION)
        await self.record()
        return record

    @decide_strategy.validator
    def validate_decide_strategy(self, command: DecideStrategy) -> None:
        self.check_decision("decide_strategy", command, not_before=self.input.concerns_at)
        missing = MINIMUM_AGENCIES - self.agencies
        if missing:
            raise rejected(
                f"decide_strategy: not without {', '.join(sorted(missing))} taking part (record the discussion first)"
            )
        if self.held is None:
            raise rejected(
                "decide_strategy: this authority holds a meeting after the telephone discussion; "
                "record the meeting first"
            )

    @workflow.update(name="record_circulated")
    async def record_circulated(self, command: RecordCirculated) -> DecisionRecord:
        """The record has gone to the participants."""
        record = self.record_decision("record_circulated", command, "record circulated")
        self.meet_deadline("strategy_record_circulation", record.effective_at)
        await self.record()
        return record

    @record_circulated.validator
    def validate_record_circulated(self, command: RecordCirculated) -> None:
        self.check_decision("record_circulated", command, not_before=self._held_at())
