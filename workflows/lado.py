"""The LADO: an allegation against a person who works with children (statutory-rules.md §1, §6)."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.allegations import HARM_TEST_LIMBS, lado_tasks
    from safeguarding.codes import (
        DeadlineState,
        HandOffState,
        Process,
        StrategyReason,
    )
    from safeguarding.commands.lado import (
        ONE_WEEK_TARGET,
        RESOLUTION_TARGETS,
        ChildReferralRequest,
        ChildReferrals,
        ConsiderAllegation,
        HarmTest,
        LadoCarried,
        LadoInput,
        LadoResult,
        LadoState,
        RespondToNotification,
    )
    from safeguarding.commands.strategy_discussion import StrategyDiscussionInput
    from safeguarding.models import DecisionRecord, HandOff, ProcessContext, TaskView
    from safeguarding.stages import LadoStage
    from safeguarding.working_days import describe_day
    from workflows._lado_management import LadoManagementSteps
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, rejected
    from workflows._run_loop import run_or_continue_as_new

CONTINUE_AS_NEW_WHEN_QUIET = "lado-continue-as-new-when-quiet"
"""Patch (Nov 2026): the process continues as new only once no notice, hand-off or write is under way."""


@workflow.defn(name="Lado")
class LadoWorkflow(LadoManagementSteps):
    """An allegation against an adult who works with children, from notification to outcome and record.

    The employer (an agency, or a member of the public) notifies the LADO: within 1 working day of the
    concern reaching the employer (rule `lado_notification`, or the profile's 24 hours). That clock is
    judged when the process starts, so a late notification is recorded as missed — never chased. The
    LADO responds (rule `lado_response`) and considers the allegation against the four limbs of the harm
    test, each recorded. Not met: advice or a low-level concern, and the case closes. Met: advice to the
    employer; a strategy discussion for each child at risk (started on the child's own case) and/or a
    police referral; the allegation management meeting (rule `lado_allegation_management_meeting`) and
    review meetings at the profile's interval (`lado_review_meeting`) until the outcome. The resolution
    targets (`lado_resolution_*`) count from the notification and are set when the harm test is met.

    While the police investigate, the case is paused: the employer's investigation and disciplinary
    strands wait and no outcome is recorded, but the resolution targets keep counting (they measure the
    time to resolution) and review meetings go on. The employer acts — suspension (never automatic:
    alternatives and rationale recorded), investigation, discipline — and the LADO records what it
    reports; the LADO never contacts the person. The outcome (substantiated, false, malicious,
    unsubstantiated, unfounded) says whether a DBS referral is required (the person was or would have
    been removed from regulated activity, even if they resigned) and, for a teacher, a referral to the
    teaching regulator; the case closes when those are made. The retention date is worked out in the
    case store. Reminders go to the LADO; a missed deadline alerts the LADO's manager (the LADO team's
    manager, and its service manager).
    """

    PROCESS = Process.LADO

    @workflow.init
    def __init__(self, input: LadoInput) -> None:
        self.input = input
        carried = input.carried
        self._start_core(input.context, carried.core if carried else None, stage=LadoStage.INITIAL_CONSIDERATION)
        self.state = carried.state if carried else LadoState()
        if carried is None:
            # Here, not in run(): an Update can be handled before run() starts.
            self._take_notification()

    def _take_notification(self) -> None:
        notified = self.input.notified_at
        self.note(
            "lado.notified",
            f"allegation notified by {self.input.notifier}; {len(self.input.children)} child case(s) involved",
            at=notified,
        )
        notification = self.add_deadline("notification", "lado_notification", self.input.came_to_attention_at)
        notification.met_on = notified
        notification.state = DeadlineState.MET if notified < notification.due.passes_at else DeadlineState.MISSED
        if notification.state is DeadlineState.MISSED:
            self.note(
                "lado.notified_late",
                f"notified late: it was due by {describe_day(notification.due.due_date)} ({notification.due.basis})",
                at=notified,
            )
        self.add_deadline("response", "lado_response", notified)
        if self.input.lado_id:
            self.set_responsible(self.input.lado_id)

    @workflow.run
    async def run(self, input: LadoInput) -> LadoResult:
        """Run the allegation to its outcome and referrals, continuing as new if its history grows long."""
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        if input.carried is None:
            await self.record()
        await run_or_continue_as_new(
            self,
            finished=lambda: self.core.closed_at is not None,
            carry=lambda: input.model_copy(update={"carried": LadoCarried(core=self.core, state=self.state)}),
            busy=lambda: self.state.outcome_pending,
            guarded_since=CONTINUE_AS_NEW_WHEN_QUIET,
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        await watch
        return LadoResult(
            outcome=self.core.outcome or "",
            harm_test_met=bool(self.state.harm_test_met),
            referrals=tuple(self.state.referrals_made),
        )

    # -- notification and initial consideration ------------------------------------------------------

    @workflow.update(name="respond_to_notification")
    async def respond_to_notification(self, command: RespondToNotification) -> DecisionRecord:
        """The LADO responds to the notifier and advises; this meets the response clock."""
        record = self.record_decision("respond_to_notification", command, "responded with advice")
        self._responded(record)
        await self.record()
        return record

    @respond_to_notification.validator
    def validate_respond_to_notification(self, command: RespondToNotification) -> None:
        self.check_decision("respond_to_notification", command, not_before=self.input.notified_at)

    @workflow.update(name="consider_allegation")
    async def consider_allegation(self, command: ConsiderAllegation) -> DecisionRecord:
        """The LADO's initial consideration against the harm test, and what follows from it."""
        met = command.harm_test.met
        outcome = "harm_test_met" if met else ("low_level_concern" if command.low_level_concern else "advice")
        record = self.record_decision("consider_allegation", command, outcome)
        self._note_harm_test(command.harm_test, record)
        self._responded(record)
        self.state.harm_test_met = met
        self.core.facts["harm_test"] = "met" if met else "not_met"
        if not met:
            await self.close(outcome)
            return record
        if command.refer_to_police:
            self.core.facts["police_referral"] = "made"
            self.note(
                "lado.police_referral", "referred to the police", actor_id=record.actor_id, at=record.effective_at
            )
        for key, rule_id in RESOLUTION_TARGETS.items():
            self._watch(key, rule_id, self.input.notified_at)
        if command.clearly_unfounded_or_malicious:
            self._watch(*ONE_WEEK_TARGET, self.input.notified_at)
        self._watch("meeting_1", "lado_allegation_management_meeting", record.effective_at)
        self.set_stage(LadoStage.ALLEGATION_MANAGEMENT)
        await self.record()
        if command.refer_to_childrens_social_care:
            await self._refer_children(command.refer_to_childrens_social_care)
        return record

    @consider_allegation.validator
    def validate_consider_allegation(self, command: ConsiderAllegation) -> None:
        self.check_decision("consider_allegation", command, not_before=self.input.notified_at)
        for child in command.refer_to_childrens_social_care:
            if child not in self.input.children:
                raise rejected(f"consider_allegation: case {child} is not among the children involved")

    def _responded(self, record: DecisionRecord) -> None:
        if not self.state.responded:
            self.state.responded = True
            self.meet_deadline("response", record.effective_at)

    def _note_harm_test(self, test: HarmTest, record: DecisionRecord) -> None:
        for name, words in HARM_TEST_LIMBS.items():
            limb = getattr(test, name)
            self.note(
                f"harm_test.{name}",
                f"harm test, {words}: {'met' if limb.met else 'not met'} — {limb.note}",
                actor_id=record.actor_id,
                at=record.effective_at,
            )

    async def _refer_children(self, children: tuple[str, ...]) -> None:
        """Start a strategy discussion on each referred child's own case (§4, §6); never wait for it."""
        now = workflow.now()
        referrals = await workflow.execute_activity(
            ActivityName.REFER_LADO_CHILDREN,
            ChildReferralRequest(allegation_case_id=self.context.case_id, child_case_ids=children, referred_at=now),
            result_type=ChildReferrals,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        for child in referrals.children:
            child_id = child.strategy_discussion_workflow_id
            context = ProcessContext(
                case_id=child.case_id,
                case_reference=child.case_reference,
                team_id=child.team_id,
                profile=self.context.profile,
                calendar=self.core.calendar,
            )
            discussion = StrategyDiscussionInput(
                context=context,
                concerns_at=now,
                reason=StrategyReason.LADO,
                source_workflow_id=workflow.info().workflow_id,
            )
            if await self.start_process("StrategyDiscussion", discussion, child_id):
                self.note("handoff.started", f"case {child.case_reference} referred: strategy discussion {child_id}")
            else:
                self.note("handoff.joined", f"case {child.case_reference}: strategy discussion {child_id} is open")
            self.state.strategy_discussions[child.case_id] = child_id
            self.core.facts[f"strategy_discussion.{child.case_reference}"] = child_id
        only = referrals.children[0].strategy_discussion_workflow_id if len(referrals.children) == 1 else None
        self.core.hand_offs.append(
            HandOff(
                to_process=Process.STRATEGY_DISCUSSION,
                reason=f"{StrategyReason.LADO}: {len(referrals.children)} child(ren) at risk",
                state=HandOffState.STARTED,
                workflow_id=only,
            )
        )
        await self.record()

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited at this stage, for the LADO's work tray."""
        return lado_tasks(self.core.stage, self.state, self.core.deadlines, self.core.responsible_id)
