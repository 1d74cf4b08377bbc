"""The child and family assessment (statutory-rules.md §3)."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import (
        CENSUS_CLOSURE_REASON,
        AssessmentOutcome,
        HandOffState,
        LeadPractitioner,
        Process,
        Role,
        StrategyReason,
    )
    from safeguarding.commands.assessment import (
        Allocate,
        AssessmentCarried,
        AssessmentFindings,
        AssessmentInput,
        AssessmentState,
        Authorise,
        JointVisitStage,
        RecordChildSeen,
        ReturnAssessment,
        SubmitAssessment,
    )
    from safeguarding.commands.disagreement import ApplyResolution
    from safeguarding.models import CaseFacts, CaseFactsRequest, DecisionRecord, HandOff, TaskView
    from safeguarding.stages import AssessmentStage, SharedStage
    from safeguarding.working_days import local_date
    from workflows._assessment_joint_visit import AssessmentJointVisitSteps
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, rejected
    from workflows._run_loop import run_or_continue_as_new
    from workflows._strategy_hand_off import start_strategy_discussion

START_STRATEGY_DISCUSSION_AND_PLANS = "start-strategy-discussion-and-plans"
"""Patch (Nov 2026): a strategy discussion is started and a CIN plan recorded; earlier cases left them pending."""
RECORD_FINDINGS = "record-assessment-findings"
"""Patch (Nov 2026): the primary need and factors authorised are written for the census; earlier cases had none."""


@workflow.defn(name="Assessment")
class AssessmentWorkflow(AssessmentJointVisitSteps):
    """A child and family assessment, concluded within 45 working days of the referral (rule `assessment`).

    The clock starts at the referral, not at allocation. The team manager allocates a social worker, who
    sees the child and, for a child under 5 or unborn, runs the joint visit with the health visitor (the
    midwife before birth) as a child process — deferred while emergency action is under way (recorded
    here, or told by a joint section 47 enquiry on the case), and skipped if the assessment is submitted
    before that ends. The social worker submits the assessment with a
    recommended outcome; the manager returns it for more work or authorises it, which is its completion
    (the census authorisation date). Past 45 working days the manager must record the reasons. Outcomes:
    no further action (RC8), step down to a Family Support Plan (RC9; led by the health practitioner
    with the family's consent), a Child in Need plan (recorded in the plans register), or a strategy
    discussion, which it starts. Reminders go to the allocated social worker;
    a missed deadline alerts the team manager, then the service manager.
    """

    PROCESS = Process.ASSESSMENT

    @workflow.init
    def __init__(self, input: AssessmentInput) -> None:
        self.input = input
        carried = input.carried
        self._start_core(input.context, carried.core if carried else None, stage=AssessmentStage.ALLOCATION)
        self.state = carried.state if carried else AssessmentState()
        self.authorised: Authorise | None = None
        self.joint_visit_task: asyncio.Task[None] | None = None
        if carried is None:
            # Here, not in run(): an Update can be handled before run() starts.
            self.add_deadline("assessment", "assessment", input.referral_at)

    @workflow.run
    async def run(self, input: AssessmentInput) -> DecisionRecord:
        """Run the assessment to its authorisation, continuing as new if its history grows long."""
        if input.carried is None:
            await self._begin()
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        if self._joint_visit_to_pick_up():
            self._start_joint_visit_if_needed()
        await run_or_continue_as_new(
            self,
            finished=lambda: self.authorised is not None,
            carry=lambda: input.model_copy(update={"carried": AssessmentCarried(core=self.core, state=self.state)}),
            busy=lambda: self.state.joint_visit is JointVisitStage.UNDER_WAY,
        )
        record = await self._conclude()
        await watch
        await workflow.wait_condition(workflow.all_handlers_finished)
        return record

    async def _begin(self) -> None:
        facts = await workflow.execute_activity(
            ActivityName.GET_CASE_FACTS,
            CaseFactsRequest(case_id=self.context.case_id, on=local_date(workflow.now())),
            result_type=CaseFacts,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        self.state.age_band = facts.age_band
        self.core.facts["age_band"] = str(facts.age_band)
        self.note("assessment.started", f"assessment started from the referral; child {facts.age_band}")
        if facts.allocated_practitioner_id:
            self.set_responsible(facts.allocated_practitioner_id)
        await self.record()

    async def _conclude(self) -> DecisionRecord:
        assert self.authorised is not None
        record = next(d for d in reversed(self.core.decisions) if d.decision == "authorise")
        outcome = self.authorised.outcome
        reason = CENSUS_CLOSURE_REASON.get(outcome)
        if reason:
            self.core.facts["census_closure_reason"] = reason
        if outcome is AssessmentOutcome.FAMILY_SUPPORT_PLAN:
            health_leads = (
                bool(self.authorised.family_consents_to_health_lead) and self.state.joint_visit_result is not None
            )
            self.core.facts["family_support_plan_lead"] = (
                str(LeadPractitioner.HEALTH_PRACTITIONER) if health_leads else "early_help"
            )
        if workflow.patched(RECORD_FINDINGS):
            await self._record_findings(self.authorised)
        if workflow.patched(START_STRATEGY_DISCUSSION_AND_PLANS):
            if outcome is AssessmentOutcome.STRATEGY_DISCUSSION:
                await start_strategy_discussion(self, StrategyReason.ASSESSMENT, record.effective_at)
            elif outcome is AssessmentOutcome.CIN_PLAN:
                await self.start_cin_plan(record.effective_at)
        elif outcome is AssessmentOutcome.STRATEGY_DISCUSSION:
            self.core.hand_offs.append(
                HandOff(to_process=Process.STRATEGY_DISCUSSION, reason=str(outcome), state=HandOffState.PENDING)
            )
            self.note("handoff.pending", "strategy discussion pending: that process is not yet available")
        await self.close(str(outcome))
        return record

    async def _record_findings(self, authorised: Authorise) -> None:
        """Write the primary need and factors authorised to the case store, where the census reads them (§9).

        An authorisation made before they were asked for has none, and writes nothing. The assessment closes
        whatever the store says: a refusal is noted in the chronology, never a stuck case.
        """
        if authorised.primary_need is None or authorised.factors is None:
            return
        findings = AssessmentFindings(
            workflow_id=workflow.info().workflow_id,
            case_id=self.context.case_id,
            primary_need=authorised.primary_need,
            factors=authorised.factors,
        )
        try:
            await workflow.execute_activity(
                ActivityName.RECORD_ASSESSMENT_FINDINGS,
                findings,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            message = getattr(err.cause, "message", err.message)
            self.note("assessment.findings_not_recorded", f"the case store did not take the findings: {message}")

    # -- tasks and decisions ---------------------------------------------------------------------------

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited at this stage, for the work tray: the social worker's are theirs."""
        due = self.core.deadlines["assessment"].due.due_date
        done = {d.decision for d in self.core.decisions}
        return [
            self.task(
                decision.name,
                assignee_id=self.state.social_worker_id if Role.SOCIAL_WORKER in decision.roles else None,
                due_date=due,
            )
            for decision in self.description.tasks_at(self.core.stage)
            if not (decision.name == "record_child_seen" and decision.name in done)
        ]

    @workflow.update(name="allocate")
    async def allocate(self, command: Allocate) -> DecisionRecord:
        """The team manager allocates the assessment; reminders go to the social worker from now on."""
        await workflow.wait_condition(lambda: self.state.age_band is not None)
        self.state.social_worker_id = command.social_worker_id
        self.set_responsible(command.social_worker_id)
        record = self.record_decision("allocate", command, f"allocated to {command.social_worker_id}")
        self.set_stage(AssessmentStage.IN_PROGRESS)
        self._start_joint_visit_if_needed()
        await self.record()
        return record

    @allocate.validator
    def validate_allocate(self, command: Allocate) -> None:
        self.check_decision("allocate", command)

    @workflow.update(name="record_child_seen")
    async def record_child_seen(self, command: RecordChildSeen) -> DecisionRecord:
        """The social worker records when the child was seen."""
        record = self.record_decision("record_child_seen", command, "child seen")
        self.state.child_seen_at = record.effective_at
        await self.record()
        return record

    @record_child_seen.validator
    def validate_record_child_seen(self, command: RecordChildSeen) -> None:
        self.check_decision("record_child_seen", command, not_before=self.input.referral_at)

    @workflow.update(name="submit_assessment")
    async def submit_assessment(self, command: SubmitAssessment) -> DecisionRecord:
        """The social worker submits the assessment to the manager for authorisation."""
        self.state.recommended_outcome = command.recommended_outcome
        if self.state.joint_visit is JointVisitStage.DEFERRED:
            self._joint_visit_at(JointVisitStage.SKIPPED)
            self.note("joint_visit.skipped", "joint visit skipped: emergency action still under way")
        record = self.record_decision("submit_assessment", command, f"recommends {command.recommended_outcome}")
        self.set_stage(AssessmentStage.AUTHORISATION)
        await self.record()
        return record

    @submit_assessment.validator
    def validate_submit_assessment(self, command: SubmitAssessment) -> None:
        self.check_decision("submit_assessment", command)
        if self.state.child_seen_at is None:
            raise rejected("submit_assessment: record that the child was seen first")
        if self.state.joint_visit is JointVisitStage.UNDER_WAY:
            raise rejected("submit_assessment: the joint visit with health is not finished")

    @workflow.update(name="return_assessment")
    async def return_assessment(self, command: ReturnAssessment) -> DecisionRecord:
        """The manager returns the assessment for more work, with reasons."""
        record = self.record_decision("return_assessment", command, "returned for more work")
        self.set_stage(AssessmentStage.IN_PROGRESS)
        await self.record()
        return record

    @return_assessment.validator
    def validate_return_assessment(self, command: ReturnAssessment) -> None:
        self.check_decision("return_assessment", command)

    @workflow.update(name="authorise")
    async def authorise(self, command: Authorise) -> DecisionRecord:
        """The manager authorises the assessment: its completion, with the outcome (§3)."""
        record = self.record_decision("authorise", command, str(command.outcome))
        self.meet_deadline("assessment", record.effective_at, reasons=command.reasons_for_delay)
        self.authorised = command
        await self.record()
        return record

    @authorise.validator
    def validate_authorise(self, command: Authorise) -> None:
        self.check_decision("authorise", command)
        if self.is_past("assessment", command.effective_at) and not (
            command.reasons_for_delay and command.reasons_for_delay.strip()
        ):
            raise rejected("authorise: the assessment is past its 45 working days; record the reasons for the delay")
        if command.outcome is AssessmentOutcome.FAMILY_SUPPORT_PLAN and command.family_consents_to_health_lead is None:
            raise rejected(
                "authorise: for a Family Support Plan, record whether the family consents to the "
                "health practitioner leading it"
            )

    def take_reassignment(self, practitioner_id: str) -> None:
        """The social worker's tasks go to the social worker now allocated."""
        self.state.social_worker_id = practitioner_id

    # -- the resolution of a professional disagreement (§3, §8) ------------------------------

    def resolution_problem(self, resolution: ApplyResolution) -> str | None:
        """Accept a Child in Need plan instead of an authorised Family Support Plan, while held as disputed.

        A disagreement about the type of plan is one the joint-visits procedure sends to the managers (§3);
        the assessment holds before closing until it is resolved, so the agreed plan can still be applied.
        """
        if resolution.new_outcome != AssessmentOutcome.CIN_PLAN:
            return f"an assessment's outcome can only be changed to {AssessmentOutcome.CIN_PLAN} here"
        if self.core.stage != SharedStage.DISPUTED or self.core.outcome != AssessmentOutcome.FAMILY_SUPPORT_PLAN:
            return (
                "only an authorised Family Support Plan can be changed to a Child in Need plan; "
                "until it is authorised, the manager authorises the outcome agreed"
            )
        return None

    async def take_resolution(self, resolution: ApplyResolution) -> None:
        """Make the outcome a Child in Need plan: no census closure, no Family Support Plan lead, a CIN plan."""
        self.core.outcome = str(AssessmentOutcome.CIN_PLAN)
        for fact in ("census_closure_reason", "family_support_plan_lead"):
            self.core.facts.pop(fact, None)
        await self.start_cin_plan(resolution.effective_at or workflow.now())
