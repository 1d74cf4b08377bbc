"""What the child protection plan's steps share: its deadlines, facts and plans register (statutory-rules.md §5, §9).

A part of `workflows.cp_plan.ChildProtectionPlanWorkflow`, under its core group, review and ending steps: the
deadlines of the plan, counted for the lead social worker (the next review is governed by whichever of its
deadlines falls first); the facts its status shows (the category reviewed at each conference, the previous
plans the census counts); who may record what the lead social worker records; and the activity that starts
and ends a plan in the plans register.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import Role
    from safeguarding.commands.cp_plan import (
        CpPlanInput,
        CpPlanState,
        RecordBirth,
        RecordCoreGroup,
        RecordReviewReportsShared,
    )
    from safeguarding.plans import PlanEnd, PlanEnded, PlanStart, PlanStarted
    from safeguarding.working_days import local_date
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected

_Result = TypeVar("_Result", PlanStarted, PlanEnded)


class CpPlanFacts(ProcessWorkflow):
    """The deadlines, facts and checks the child protection plan's steps share (not a workflow itself)."""

    input: CpPlanInput
    state: CpPlanState
    _continue: bool

    async def _store(self, activity: ActivityName, request: PlanStart | PlanEnd, result_type: type[_Result]) -> _Result:
        return await workflow.execute_activity(
            activity,
            request,
            result_type=result_type,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )

    @property
    def lead_social_worker_id(self) -> str:
        """Return the plan's lead social worker: the one the conference named, or a reassignment since."""
        return self.state.lead_social_worker_id or self.input.lead_social_worker_id

    def take_reassignment(self, practitioner_id: str) -> None:
        """The lead social worker's tasks and checks go to the one now named."""
        self.state.lead_social_worker_id = practitioner_id
        self._update_facts()

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
        facts["lead_social_worker_id"] = self.lead_social_worker_id
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

    def _check_lead(self, name: str, command: RecordCoreGroup | RecordReviewReportsShared | RecordBirth) -> None:
        actor = command.actor
        if actor.role is Role.SOCIAL_WORKER and actor.practitioner_id != self.lead_social_worker_id:
            raise rejected(f"{name}: only the plan's lead social worker or the team manager may record this")
