"""The child protection plan's review conferences, and a pre-birth plan's birth (statutory-rules.md §5, §9).

A part of `workflows.cp_plan.ChildProtectionPlanWorkflow`: the chair or the team manager schedules each
review conference and the reports to parents fall due before it (rule `review_reports_to_parents`); the lead
social worker (or the team manager) records them shared; the independent chair decides at the review,
continuing the plan with its category reviewed (the next review due within 6 months, rule `later_review`) or
ending it. The birth of a pre-birth plan's baby brings the review forward to 20 working days after it, if
that is sooner (rule `prebirth_review_after_birth`).
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import CpCategory, DeadlineState, PlanEndReason, ReviewOutcome
    from safeguarding.commands.cp_plan import (
        CategoryChange,
        DecideReview,
        RecordBirth,
        RecordReviewReportsShared,
        ScheduleReview,
    )
    from safeguarding.models import DecisionRecord
    from safeguarding.plans import PlanCategoryReviewed
    from safeguarding.stages import CpPlanStage
    from safeguarding.working_days import describe_day, describe_moment, is_working_day, local_date
    from workflows._activity_options import ACTIVITY_TIMEOUT, STORE_RETRY
    from workflows._cp_plan_facts import CpPlanFacts
    from workflows._process import rejected

RECORD_LATEST_CATEGORY = "record-latest-category"
"""Patch (Nov 2026): a review's category is written to the plans register (census, §9); earlier reviews were not."""


class CpPlanReviewSteps(CpPlanFacts):
    """The review conference Updates of the child protection plan (not a workflow itself)."""

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
        self.check_decision("schedule_review", command)
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
        self.check_decision("record_review_reports_shared", command)
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
            self.set_stage(CpPlanStage.ENDING)
        self._update_facts()
        if command.category is not None and workflow.patched(RECORD_LATEST_CATEGORY):
            await self._record_latest_category(command.category)
        await self.record()
        return record

    async def _record_latest_category(self, category: CpCategory) -> None:
        """Write the category the review set to the plans register, where the census reads it (§9).

        The review is decided whatever the store says: a refusal is noted in the chronology, never a stuck plan.
        """
        reviewed = PlanCategoryReviewed(workflow_id=workflow.info().workflow_id, category=category)
        try:
            await workflow.execute_activity(
                ActivityName.RECORD_PLAN_CATEGORY,
                reviewed,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            message = getattr(err.cause, "message", err.message)
            self.note("plan.category_not_recorded", f"the plans register did not take the category: {message}")

    @decide_review.validator
    def validate_decide_review(self, command: DecideReview) -> None:
        last = self.state.last_review_at
        self.check_decision("decide_review", command, not_before=last or self.input.icpc_held_at)
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
        self.check_decision("record_birth", command, not_before=self.input.icpc_held_at)
        self._check_lead("record_birth", command)
        if not self.input.prebirth:
            raise rejected("record_birth: this is not a pre-birth plan")
