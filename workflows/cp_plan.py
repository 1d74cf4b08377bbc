"""The child protection plan and its review conferences (statutory-rules.md §5, §9)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, datetime
from typing import TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from safeguarding.authority import roles_for
    from safeguarding.codes import DeadlineState, PlanEndReason, PlanKind, Process, ReviewOutcome, Role
    from safeguarding.commands.cp_plan import (
        CategoryChange,
        CpPlanCarried,
        CpPlanInput,
        CpPlanResult,
        CpPlanState,
        DecideReview,
        EndWithoutConference,
        RecordBirth,
        RecordCoreGroup,
        RecordReviewReportsShared,
        ScheduleReview,
    )
    from safeguarding.deadlines import compute_due, office_moment
    from safeguarding.models import DecisionRecord, Recipient, TaskView
    from safeguarding.plans import PLAN_OVERLAP, PlanEnd, PlanEnded, PlanStart, PlanStarted
    from safeguarding.process_state import ProcessCore
    from safeguarding.working_days import describe_day, describe_moment, is_working_day, local_date
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected

ACTIVE, ENDING = "active", "ending"
_Result = TypeVar("_Result", PlanStarted, PlanEnded)


@workflow.defn(name="ChildProtectionPlan")
class ChildProtectionPlanWorkflow(ProcessWorkflow):
    """A child protection plan, from the initial conference that made it to its end, over months or years.

    The plan starts on the conference date in the plans register, which ends any open Child in Need plan
    and counts the child's previous plans (census). The lead social worker or the team manager records
    each core group meeting: the first within 10 working days of the conference (rule `core_group`), then
    at the profile's interval (rule `core_group_interval`). The first review conference is due within 3
    months of the conference (rule `first_review`), later ones within 6 months of the last (rule
    `later_review`). The chair or the team manager schedules each review, and the reports to parents fall
    due before it (rule `review_reports_to_parents`). At the review the chair — independent of the case's
    line management — continues the plan with the category reviewed, or ends it; dissent is recorded. A
    pre-birth plan's review falls due 20 working days after the birth if that is sooner (rule
    `prebirth_review_after_birth`). A team or service manager may end the plan without a conference when
    the child moves to another authority (after its transfer-in conference), turns 18, dies or leaves the
    UK. A review's ending steps down to a Child in Need plan; every invited agency is told of any ending.
    A plan that reaches two years is flagged to the service manager (rule `cp_plan_two_years`). Reminders
    go to the lead social worker; a missed deadline alerts the team manager, then the service manager.
    The plan continues as new at each review, carrying its pending deadlines as absolute dates.
    """

    PROCESS = Process.CP_PLAN

    @workflow.init
    def __init__(self, input: CpPlanInput) -> None:
        self.input = input
        carried = input.carried
        core = (
            carried.core
            if carried
            else ProcessCore(stage=ACTIVE, started_at=input.icpc_held_at, calendar=input.context.calendar)
        )
        self._start_core(input.context, core, stage=ACTIVE)
        self.state = carried.state.model_copy(update={"run": carried.state.run + 1}) if carried else CpPlanState()
        self._continue = False
        if carried is None:
            # Here, not in run(): an Update can be handled before run() starts.
            self.state.category_history.append(
                CategoryChange(
                    on=local_date(input.icpc_held_at), category=input.category, decided_by=input.conference_workflow_id
                )
            )
            self.state.core_group_member_ids = list(input.core_group_member_ids)
            self.set_responsible(input.lead_social_worker_id)
            self._deadline("core_group_1", "core_group", input.icpc_held_at)
            self._deadline("review_1", "first_review", input.icpc_held_at)
        self._update_facts()

    @workflow.run
    async def run(self, input: CpPlanInput) -> CpPlanResult:
        """Run the plan until it ends, continuing as new at each review that continues it."""
        if input.carried is None:
            await self._begin()
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        flag = asyncio.create_task(self._flag_two_years())
        await workflow.wait_condition(
            lambda: (
                self.state.ending_reason is not None or self._continue or workflow.info().is_continue_as_new_suggested()
            )
        )
        if self.state.ending_reason is None:
            # No notice may be half-sent: the alarms it records as sent travel with the next run.
            await workflow.wait_condition(lambda: workflow.all_handlers_finished() and self.sends_in_flight == 0)
            workflow.continue_as_new(input.model_copy(update={"carried": self._carried()}))
        result = await self._end()
        await asyncio.gather(watch, flag)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return result

    async def _begin(self) -> None:
        request = PlanStart(
            case_id=self.context.case_id,
            workflow_id=workflow.info().workflow_id,
            kind=PlanKind.CP,
            started_on=local_date(self.input.icpc_held_at),
            category=self.input.category,
        )
        try:
            started = await self._store("start_plan", request, PlanStarted)
        except ActivityError as err:
            message = getattr(err.cause, "message", err.message)
            self.note("plan.refused", f"child protection plan not started: {message}")
            await self.close("refused")
            raise ApplicationError(message, type=PLAN_OVERLAP, non_retryable=True) from err
        self.state.plan_id, self.state.previous_plans = started.plan_id, started.previous_plans
        ended = "; the child's Child in Need plan ended that day" if started.ended_cin else ""
        self.note(
            "plan.started",
            f"child protection plan started ({self.input.category.name.lower()}, {self.input.category}); "
            f"{started.previous_plans} previous plan(s){ended}",
            at=self.input.icpc_held_at,
        )
        self._update_facts()
        await self.record()

    async def _store(self, activity: str, request: PlanStart | PlanEnd, result_type: type[_Result]) -> _Result:
        return await workflow.execute_activity(
            activity,
            request,
            result_type=result_type,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )

    async def _flag_two_years(self) -> None:
        due = compute_due(self.context.profile, "cp_plan_two_years", self.input.icpc_held_at, self.core.calendar)
        self.core.facts["two_years_on"] = due.due_date.isoformat()
        if self.state.two_years_flagged:
            return
        wait = office_moment(due.due_date, self.context.profile) - workflow.now()
        if wait.total_seconds() > 0:
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.state.ending_reason is not None, timeout=wait, timeout_summary="plan at two years"
                )
        if self.state.ending_reason is not None:
            return
        self.state.two_years_flagged = True
        self._update_facts()
        self.note("plan.two_years", f"the plan has lasted two years: flagged to the service manager ({due.basis})")
        await self.send(
            "two_years",
            "cp_plan_two_years",
            Recipient(kind="service_manager", id=self.context.team_id),
            due=describe_day(due.due_date),
            basis=due.basis,
        )
        await self.record()

    def _carried(self) -> CpPlanCarried:
        """Return the plan for its next run: deadlines done with stay in the case store, not in the history."""
        live = {
            key: deadline
            for key, deadline in self.core.deadlines.items()
            if deadline.state is DeadlineState.PENDING
            or (deadline.state is DeadlineState.MISSED and deadline.met_on is None)
        }
        sent = [key for key in self.core.alarms_sent if key.split(":")[0] in live]
        return CpPlanCarried(
            core=self.core.model_copy(update={"deadlines": live, "alarms_sent": sent}), state=self.state
        )

    # -- the end of the plan ------------------------------------------------------------------------

    async def _end(self) -> CpPlanResult:
        reason, ended_at = self.state.ending_reason, self.state.ending_at
        assert reason is not None and ended_at is not None
        ended_on = local_date(ended_at)
        workflow_id = workflow.info().workflow_id
        end = PlanEnd(
            case_id=self.context.case_id,
            workflow_id=workflow_id,
            kind=PlanKind.CP,
            ended_on=ended_on,
            reason=str(reason),
        )
        await self._store("end_plan", end, PlanEnded)
        self.note("plan.ended", f"child protection plan ended on {describe_day(ended_on)}: {reason}", at=ended_at)
        for deadline in self.core.deadlines.values():
            if deadline.state is DeadlineState.PENDING:
                deadline.state, deadline.reasons = DeadlineState.CANCELLED, "the plan ended"
        stepped_down = reason is PlanEndReason.NO_LONGER_AT_RISK and await self._step_down(ended_at)
        if reason is not PlanEndReason.NO_LONGER_AT_RISK:
            self.note("plan.no_step_down", f"no Child in Need plan follows: the plan ended because {reason}")
        self.core.facts["stepped_down_to_cin"] = str(stepped_down).lower()
        for team_id in self.input.invited_agency_team_ids:
            await self.send(
                f"plan_ended:{team_id}",
                "cp_plan_ended",
                Recipient(kind="agency", id=team_id),
                decided=describe_day(ended_on),
                end_reason=str(reason),
            )
        await self.close(str(reason))
        return CpPlanResult(
            ended_on=ended_on, reason=reason, reviews_held=self.state.reviews_held, stepped_down_to_cin=stepped_down
        )

    async def _step_down(self, ended_at: datetime) -> bool:
        """Start the Child in Need plan that follows a plan ended by a review (§5); return whether it started."""
        start = PlanStart(
            case_id=self.context.case_id,
            workflow_id=workflow.info().workflow_id,
            kind=PlanKind.CIN,
            started_on=local_date(ended_at),
        )
        try:
            await self._store("start_plan", start, PlanStarted)
        except ActivityError as err:
            self.note("plan.refused", f"Child in Need plan not started: {getattr(err.cause, 'message', err.message)}")
            return False
        self.note("plan.stepped_down", "stepped down to a Child in Need plan", at=ended_at)
        return True

    # -- deadlines, facts and tasks -----------------------------------------------------------------

    def _deadline(self, key: str, rule_id: str, trigger_at: datetime, label: str | None = None) -> None:
        self.add_deadline(key, rule_id, trigger_at, label=label, responsible_id=self.core.responsible_id)

    def _review_keys(self) -> list[str]:
        """Return the pending deadlines of the next review: 3 or 6 months, and 20 working days after a birth."""
        n = self.state.reviews_held + 1
        return [key for key in (f"review_{n}", f"review_{n}_after_birth") if key in self.core.deadlines]

    def _governing_review(self) -> str:
        return min(self._review_keys(), key=lambda key: self.core.deadlines[key].due.passes_at)

    def _update_facts(self) -> None:
        state, facts = self.state, self.core.facts
        facts["category"] = str(state.category_history[-1].category)
        facts["category_history"] = ", ".join(f"{c.on.isoformat()} {c.category}" for c in state.category_history)
        facts["core_group_members"] = ", ".join(state.core_group_member_ids)
        facts["lead_social_worker_id"] = self.input.lead_social_worker_id
        facts["core_groups_held"] = str(state.core_groups_held)
        facts["reviews_held"] = str(state.reviews_held)
        facts["runs"] = str(state.run)
        facts["prebirth"] = str(self.input.prebirth).lower()
        facts["two_years_flagged"] = str(state.two_years_flagged).lower()
        if state.previous_plans is not None:
            facts["previous_plans"] = str(state.previous_plans)
        if state.born_at is not None:
            facts["born_on"] = local_date(state.born_at).isoformat()
        if state.review_at is not None:
            facts["review_scheduled_at"] = state.review_at.isoformat()
        else:
            facts.pop("review_scheduled_at", None)
        if self._review_keys():
            facts["review_governed_by"] = self._governing_review()

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited while the plan is in force, for the work tray."""
        if self.core.stage != ACTIVE:
            return []
        lead = self.input.lead_social_worker_id
        core_group = self.core.deadlines[f"core_group_{self.state.core_groups_held + 1}"]
        review_due = self.core.deadlines[self._governing_review()].due.due_date
        tasks: list[tuple[str, str, str | None, date | None]] = [
            ("record_core_group", core_group.due.title, lead, core_group.due.due_date)
        ]
        reports = self.state.reports_deadline_key
        if self.state.review_at is None:
            tasks.append(("schedule_review", "Schedule the next review conference", None, review_due))
        elif reports and self.core.deadlines[reports].state is DeadlineState.PENDING:
            tasks.append(
                (
                    "record_review_reports_shared",
                    "Share the reports with the parents",
                    lead,
                    self.core.deadlines[reports].due.due_date,
                )
            )
        tasks.append(("decide_review", "Hold the review conference and decide", None, review_due))
        if self.input.prebirth and self.state.born_at is None:
            tasks.append(("record_birth", "Record the baby's birth", lead, None))
        return [
            TaskView(key=name, decision=name, title=title, allowed_roles=roles_for(name), assignee_id=who, due_date=due)
            for name, title, who, due in tasks
        ]

    def _check_lead(self, name: str, command: RecordCoreGroup | RecordReviewReportsShared | RecordBirth) -> None:
        actor = command.actor
        if actor.role is Role.SOCIAL_WORKER and actor.practitioner_id != self.input.lead_social_worker_id:
            raise rejected(f"{name}: only the plan's lead social worker or the team manager may record this")

    # -- decisions --------------------------------------------------------------------------------------

    @workflow.update(name="record_core_group")
    async def record_core_group(self, command: RecordCoreGroup) -> DecisionRecord:
        """The lead social worker or manager records a core group meeting: it meets the deadline and sets the next."""
        held = command.effective_at or workflow.now()
        n = self.state.core_groups_held + 1
        record = self.record_decision("record_core_group", command, f"core group meeting {n} held")
        self.meet_deadline(f"core_group_{n}", held)
        self.state.core_groups_held, self.state.last_core_group_at = n, held
        self._deadline(f"core_group_{n + 1}", "core_group_interval", held)
        self._update_facts()
        await self.record()
        return record

    @record_core_group.validator
    def validate_record_core_group(self, command: RecordCoreGroup) -> None:
        last = self.state.last_core_group_at
        self.check_decision(
            "record_core_group", command, stages=(ACTIVE,), once=False, not_before=last or self.input.icpc_held_at
        )
        self._check_lead("record_core_group", command)
        if last is not None and local_date(command.effective_at or workflow.now()) == local_date(last):
            raise rejected(f"record_core_group: the core group of {describe_day(local_date(last))} is already recorded")

    @workflow.update(name="schedule_review")
    async def schedule_review(self, command: ScheduleReview) -> DecisionRecord:
        """The chair or manager sets the next review's date; the reports to parents fall due before it (§5)."""
        n = self.state.reviews_held + 1
        previous = self.state.reports_deadline_key
        if previous and self.core.deadlines[previous].state is DeadlineState.PENDING:
            self.extend_deadline(previous, f"review moved to {describe_moment(command.review_at)}")
        self.state.reschedules += 1
        self.state.review_at = command.review_at
        self.state.reports_deadline_key = f"review_{n}_reports_{self.state.reschedules}"
        self._deadline(
            self.state.reports_deadline_key,
            "review_reports_to_parents",
            command.review_at,
            label=f"review conference {n}",
        )
        record = self.record_decision(
            "schedule_review", command, f"review conference {n} on {describe_moment(command.review_at)}"
        )
        self._update_facts()
        await self.record()
        return record

    @schedule_review.validator
    def validate_schedule_review(self, command: ScheduleReview) -> None:
        self.check_decision("schedule_review", command, stages=(ACTIVE,), once=False)
        if command.review_at <= workflow.now():
            raise rejected("schedule_review: a review is scheduled for a moment still to come")
        if not is_working_day(local_date(command.review_at), self.core.calendar):
            raise rejected(f"schedule_review: {describe_day(local_date(command.review_at))} is not a working day")

    @workflow.update(name="record_review_reports_shared")
    async def record_review_reports_shared(self, command: RecordReviewReportsShared) -> DecisionRecord:
        """The reports for the scheduled review have been shared with the parents."""
        assert self.state.reports_deadline_key is not None
        record = self.record_decision("record_review_reports_shared", command, "reports shared with the parents")
        self.meet_deadline(self.state.reports_deadline_key, record.effective_at)
        await self.record()
        return record

    @record_review_reports_shared.validator
    def validate_record_review_reports_shared(self, command: RecordReviewReportsShared) -> None:
        self.check_decision("record_review_reports_shared", command, stages=(ACTIVE,), once=False)
        self._check_lead("record_review_reports_shared", command)
        key = self.state.reports_deadline_key
        if key is None or self.core.deadlines[key].state is not DeadlineState.PENDING:
            raise rejected("record_review_reports_shared: no review is scheduled with reports still to share")

    @workflow.update(name="decide_review")
    async def decide_review(self, command: DecideReview) -> DecisionRecord:
        """The chair decides at the review conference: continue with the category reviewed, or end the plan."""
        held = command.effective_at or workflow.now()
        n = self.state.reviews_held + 1
        before = self.state.category_history[-1].category
        if command.outcome is ReviewOutcome.CONTINUE:
            assert command.category is not None
            change = "unchanged" if command.category is before else f"changed from {before}"
            outcome = f"review {n}: plan continues, category {command.category} ({change})"
        else:
            outcome = f"review {n}: plan ends, the child is no longer at continuing risk"
        record = self.record_decision("decide_review", command, outcome)
        for dissent in command.dissent:
            self.note("review.dissent", f"dissent recorded ({dissent.agency}): {dissent.view}", at=held)
        for key in self._review_keys():
            self.meet_deadline(key, held)
        reports = self.state.reports_deadline_key
        if reports and self.core.deadlines[reports].state is DeadlineState.PENDING:
            self.meet_deadline(reports, held, reasons="not recorded as shared before the review conference")
        self.state.reviews_held, self.state.last_review_at = n, held
        self.state.review_at = self.state.reports_deadline_key = None
        if command.category is not None:
            self.state.category_history.append(
                CategoryChange(on=local_date(held), category=command.category, decided_by=command.actor.practitioner_id)
            )
            self._deadline(f"review_{n + 1}", "later_review", held)
            self._continue = True
        else:
            self.state.ending_reason, self.state.ending_at = PlanEndReason.NO_LONGER_AT_RISK, held
            self.set_stage(ENDING)
        self._update_facts()
        await self.record()
        return record

    @decide_review.validator
    def validate_decide_review(self, command: DecideReview) -> None:
        last = self.state.last_review_at
        self.check_decision(
            "decide_review",
            command,
            stages=(ACTIVE,),
            rationale_required=True,
            once=False,
            not_before=last or self.input.icpc_held_at,
        )
        if command.actor.team_id == self.context.team_id:
            raise rejected(
                "decide_review: the chair must be independent of the case's line management, "
                f"not a member of its team {self.context.team_id}"
            )
        if last is not None and local_date(command.effective_at or workflow.now()) == local_date(last):
            raise rejected(f"decide_review: the review of {describe_day(local_date(last))} is already decided")

    @workflow.update(name="record_birth")
    async def record_birth(self, command: RecordBirth) -> DecisionRecord:
        """The baby of a pre-birth plan was born: the review is due 20 working days after, if that is sooner."""
        born = command.effective_at or workflow.now()
        record = self.record_decision("record_birth", command, f"born on {describe_day(local_date(born))}")
        self.state.born_at = born
        self._deadline(
            f"review_{self.state.reviews_held + 1}_after_birth", "prebirth_review_after_birth", born, label="the birth"
        )
        self._update_facts()
        await self.record()
        return record

    @record_birth.validator
    def validate_record_birth(self, command: RecordBirth) -> None:
        self.check_decision("record_birth", command, stages=(ACTIVE,), not_before=self.input.icpc_held_at)
        self._check_lead("record_birth", command)
        if not self.input.prebirth:
            raise rejected("record_birth: this is not a pre-birth plan")

    @workflow.update(name="end_without_conference")
    async def end_without_conference(self, command: EndWithoutConference) -> DecisionRecord:
        """A manager ends the plan without a conference, for a reason §5 allows; every invited agency is told."""
        record = self.record_decision(
            "end_without_conference", command, f"plan ended without a conference: {command.reason}"
        )
        self.state.ending_reason, self.state.ending_at = command.reason, record.effective_at
        self.set_stage(ENDING)
        self._update_facts()
        await self.record()
        return record

    @end_without_conference.validator
    def validate_end_without_conference(self, command: EndWithoutConference) -> None:
        self.check_decision(
            "end_without_conference",
            command,
            stages=(ACTIVE,),
            rationale_required=True,
            not_before=self.input.icpc_held_at,
        )
        transfer = command.transfer_in_conference_on
        if transfer is not None:
            ending = local_date(command.effective_at or workflow.now())
            if transfer > local_date(workflow.now()):
                raise rejected("end_without_conference: the transfer-in conference has not been held yet")
            if transfer > ending:
                raise rejected(
                    "end_without_conference: the plan ends on or after the transfer-in conference, not before"
                )
            if transfer < local_date(self.input.icpc_held_at):
                raise rejected("end_without_conference: that transfer-in conference was before this plan started")
