"""The end of the child protection plan, and the step down to a Child in Need plan (statutory-rules.md §5, §9).

A part of `workflows.cp_plan.ChildProtectionPlanWorkflow`: a manager may end the plan without a conference
for the reasons §5 allows (the child moved to another authority after its transfer-in conference, turned
18, died or left the UK); a review that ends the plan steps down to a Child in Need plan. Either way the
plans register records the end (census), the deadlines still pending are cancelled and every invited
agency is told.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import DeadlineState, PlanEndReason, PlanKind
    from safeguarding.commands.cp_plan import CpPlanResult, EndWithoutConference
    from safeguarding.models import DecisionRecord, Recipient
    from safeguarding.plans import PlanEnd, PlanEnded, PlanStart, PlanStarted
    from safeguarding.stages import CpPlanStage
    from safeguarding.working_days import describe_day, local_date
    from workflows._cp_plan_facts import CpPlanFacts
    from workflows._process import rejected


class CpPlanEndingSteps(CpPlanFacts):
    """The ending Update of the child protection plan, and the end it leads to (not a workflow itself)."""

    @workflow.update(name="end_without_conference")
    async def end_without_conference(self, command: EndWithoutConference) -> DecisionRecord:
        """A manager ends the plan without a conference, for a reason §5 allows; every invited agency is told."""
        record = self.record_decision(
            "end_without_conference", command, f"plan ended without a conference: {command.reason}"
        )
        self.state.ending_reason, self.state.ending_at = command.reason, record.effective_at
        self.set_stage(CpPlanStage.ENDING)
        self._update_facts()
        await self.record()
        return record

    @end_without_conference.validator
    def validate_end_without_conference(self, command: EndWithoutConference) -> None:
        self.check_decision("end_without_conference", command, not_before=self.input.icpc_held_at)
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
        await self._store(ActivityName.END_PLAN, end, PlanEnded)
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
            await self._store(ActivityName.START_PLAN, start, PlanStarted)
        except ActivityError as err:
            self.note("plan.refused", f"Child in Need plan not started: {getattr(err.cause, 'message', err.message)}")
            return False
        self.note("plan.stepped_down", "stepped down to a Child in Need plan", at=ended_at)
        return True
