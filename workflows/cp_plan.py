"""The child protection plan and its review conferences (statutory-rules.md §5, §9).

The workflow: the plan's start in the plans register, its continuing as new at each review, its flag at two
years and its work tray. Its steps are mixins: the core groups (`_cp_plan_core_groups`), the review
conferences (`_cp_plan_reviews`) and the ending (`_cp_plan_ending`), on what they share (`_cp_plan_facts`).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import DeadlineState, PlanKind, Process
    from safeguarding.commands.cp_plan import CategoryChange, CpPlanCarried, CpPlanInput, CpPlanResult, CpPlanState
    from safeguarding.deadlines import Due, compute_due, office_moment
    from safeguarding.models import CalendarUpdate, Recipient, TaskView
    from safeguarding.plans import PLAN_OVERLAP, PlanStart, PlanStarted
    from safeguarding.process_state import ProcessCore
    from safeguarding.stages import CpPlanStage
    from safeguarding.working_days import describe_day, local_date
    from workflows._cp_plan_core_groups import CpPlanCoreGroupSteps
    from workflows._cp_plan_ending import CpPlanEndingSteps
    from workflows._cp_plan_reviews import CpPlanReviewSteps
    from workflows._run_loop import continue_as_new_suggested, run_or_continue_as_new

TWO_YEARS_FOLLOWS_CALENDAR = "two-years-follows-calendar"
"""Patch (Nov 2026): the two-year flag waits for its date under a newer calendar; earlier plans kept theirs."""


@workflow.defn(name="ChildProtectionPlan")
class ChildProtectionPlanWorkflow(CpPlanCoreGroupSteps, CpPlanReviewSteps, CpPlanEndingSteps):
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
            else ProcessCore(stage=CpPlanStage.ACTIVE, started_at=input.icpc_held_at, calendar=input.context.calendar)
        )
        self._start_core(input.context, core, stage=CpPlanStage.ACTIVE)
        self.state = carried.state.model_copy(update={"run": carried.state.run + 1}) if carried else CpPlanState()
        self._continue = False
        self._two_years_moved = False
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
        await run_or_continue_as_new(
            self,
            finished=lambda: self.state.ending_reason is not None,
            carry=lambda: input.model_copy(update={"carried": self._carried()}),
            due=lambda: self._continue or continue_as_new_suggested(),
        )
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
            started = await self._store(ActivityName.START_PLAN, request, PlanStarted)
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

    def _two_years(self) -> Due:
        return compute_due(self.context.profile, "cp_plan_two_years", self.input.icpc_held_at, self.core.calendar)

    async def _flag_two_years(self) -> None:
        due = self._two_years()
        self.core.facts["two_years_on"] = due.due_date.isoformat()
        if self.state.two_years_flagged:
            return
        while (wait := office_moment(due.due_date, self.context.profile) - workflow.now()).total_seconds() > 0:
            self._two_years_moved = False
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.state.ending_reason is not None or self._two_years_moved,
                    timeout=wait,
                    timeout_summary="plan at two years",
                )
            if not self._two_years_moved:
                break
            due = self._two_years()
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

    def take_calendar(self, update: CalendarUpdate) -> list[str]:
        """Take a newer calendar: a two-year date still ahead follows it, as the deadlines do (§1).

        The flag then waits for the new date (patch `two-years-follows-calendar`; plans recorded before
        kept the date they started with).
        """
        moved = super().take_calendar(update)
        if self.state.two_years_flagged:
            return moved
        was = self.core.facts.get("two_years_on")
        due = self._two_years()
        if (
            was is not None
            and due.due_date.isoformat() != was
            and office_moment(date.fromisoformat(was), self.context.profile) > workflow.now()
            and workflow.patched(TWO_YEARS_FOLLOWS_CALENDAR)
        ):
            self.core.facts["two_years_on"] = due.due_date.isoformat()
            self.note("plan.two_years_moved", f"two years on: now {describe_day(due.due_date)} ({due.basis})")
            self._two_years_moved = True
        return moved

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

    # -- the work tray -----------------------------------------------------------------------------

    def open_tasks(self) -> list[TaskView]:
        """Return the decisions awaited while the plan is in force, for the work tray."""
        if self.core.stage != CpPlanStage.ACTIVE:
            return []
        lead = self.lead_social_worker_id
        core_group = self.core.deadlines[f"core_group_{self.state.core_groups_held + 1}"]
        review_due = self.core.deadlines[self._governing_review()].due.due_date
        # The tray shows the core group's deadline's own title: the first meeting, or the next.
        tasks = [
            self.task(
                "record_core_group", title=core_group.due.title, assignee_id=lead, due_date=core_group.due.due_date
            )
        ]
        reports = self.state.reports_deadline_key
        if self.state.review_at is None:
            tasks.append(self.task("schedule_review", due_date=review_due))
        elif reports and self.core.deadlines[reports].state is DeadlineState.PENDING:
            tasks.append(
                self.task(
                    "record_review_reports_shared",
                    assignee_id=lead,
                    due_date=self.core.deadlines[reports].due.due_date,
                )
            )
        tasks.append(self.task("decide_review", due_date=review_due))
        if self.input.prebirth and self.state.born_at is None:
            tasks.append(self.task("record_birth", assignee_id=lead))
        return tasks
