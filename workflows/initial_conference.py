"""The initial child protection conference (statutory-rules.md §5, §9)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import AgeBand, ConferenceOutcome, DeadlineState, HandOffState, Process, Role
    from safeguarding.commands.conference import (
        AgreeDelay,
        DecideConference,
        InitialConferenceInput,
        RecordReportsShared,
        ScheduleConference,
    )
    from safeguarding.commands.cp_plan import CpPlanInput, cp_plan_id
    from safeguarding.icpc import icpc_anchor
    from safeguarding.models import CalendarUpdate, CaseFacts, CaseFactsRequest, DecisionRecord, HandOff, TaskView
    from safeguarding.stages import InitialConferenceStage
    from safeguarding.working_days import describe_moment, is_working_day, local_date
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected


@workflow.defn(name="InitialConference")
class InitialConferenceWorkflow(ProcessWorkflow):
    """An initial child protection conference, within 15 working days (rule `icpc`).

    The 15 working days count from the profile's anchor — the discussion that started the section 47
    enquiry (WT2018, most manuals), the last discussion, or the enquiry's start (as DfE statistics count);
    all three dates are recorded. The conference is scheduled on a working day; reports are shared with the
    parents the profile's time before it (rule `icpc_reports_to_parents`), with a reminder. A date past
    the 15 working days is an exceptional delay: the team manager and the chair must both agree it, with
    reasons, and the deadline is then shown as extended. The chair — independent of the case's line
    management — decides after seeking consensus: a child protection plan or not; with a plan, its
    category (NEG, PHY, EMO, SAB, MUL), the lead social worker and the core group. Dissent is recorded.
    A plan starts on the conference date, as the child protection plan process.
    """

    PROCESS = Process.INITIAL_CONFERENCE

    @workflow.init
    def __init__(self, input: InitialConferenceInput) -> None:
        self.input = input
        self._start_core(input.context, None, stage=InitialConferenceStage.SCHEDULING)
        self.conference_at: datetime | None = None
        self.delay_agreed_by: set[Role] = set()
        self.decision: DecideConference | None = None
        self.age_band: AgeBand | None = None
        self.social_worker_id: str | None = None
        self.core.facts.update(
            first_discussion_at=input.first_discussion_at.isoformat(),
            last_discussion_at=input.last_discussion_at.isoformat(),
            s47_started_at=input.s47_started_at.isoformat(),
            icpc_anchor=str(self.context.profile.icpc_anchor),
        )
        anchor_at, label = icpc_anchor(
            self.context.profile,
            first_discussion_at=input.first_discussion_at,
            last_discussion_at=input.last_discussion_at,
            s47_started_at=input.s47_started_at,
        )
        self.add_deadline("icpc", "icpc", anchor_at, label=label)
        self._show_target()

    @workflow.run
    async def run(self, input: InitialConferenceInput) -> DecisionRecord:
        """Schedule and hold the conference; with a plan, start the child protection plan."""
        facts = await workflow.execute_activity(
            ActivityName.GET_CASE_FACTS,
            CaseFactsRequest(case_id=self.context.case_id, on=local_date(workflow.now())),
            result_type=CaseFacts,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        self.age_band = facts.age_band
        # Sharing the reports is the allocated social worker's task, so its reminders go to them (§5); with
        # no allocation they go to the team manager. A date set before these facts arrived is caught up.
        # A social worker named by a reassignment already made stays.
        self.social_worker_id = self.social_worker_id or facts.allocated_practitioner_id
        reports = self.core.deadlines.get("icpc_reports_to_parents")
        if reports is not None:
            reports.responsible_id = self.social_worker_id
        self._upsert_search_attributes()
        watch = asyncio.create_task(self.watch_deadlines())
        await self.record()
        await workflow.wait_condition(lambda: self.decision is not None)
        assert self.decision is not None
        record = next(d for d in reversed(self.core.decisions) if d.decision == "decide_conference")
        if self.decision.outcome is ConferenceOutcome.PLAN:
            await self._start_plan(self.decision, record.effective_at)
        await self.close(str(self.decision.outcome))
        await watch
        await workflow.wait_condition(workflow.all_handlers_finished)
        return record

    async def _start_plan(self, decision: DecideConference, held_at: datetime) -> None:
        assert decision.category is not None and decision.lead_social_worker_id is not None
        plan_id = cp_plan_id(self.context.case_reference, held_at)
        plan = CpPlanInput(
            context=self.context.model_copy(update={"calendar": self.core.calendar}),
            conference_workflow_id=workflow.info().workflow_id,
            icpc_held_at=held_at,
            category=decision.category,
            lead_social_worker_id=decision.lead_social_worker_id,
            core_group_member_ids=decision.core_group_member_ids,
            invited_agency_team_ids=decision.invited_agency_team_ids,
            prebirth=self.age_band is AgeBand.UNBORN,
        )
        started = await self.start_process("ChildProtectionPlan", plan, plan_id)
        self.core.hand_offs.append(
            HandOff(
                to_process=Process.CP_PLAN,
                reason=str(decision.category),
                state=HandOffState.STARTED,
                workflow_id=plan_id,
            )
        )
        if started:
            self.note("handoff.started", f"child protection plan started ({decision.category}): {plan_id}", at=held_at)
        else:
            self.note("handoff.joined", f"the child protection plan is already running: {plan_id}", at=held_at)

    def _show_target(self) -> None:
        """Show the deadline's date as the census's ICPC target date, the one copy of it people read."""
        self.core.facts["icpc_target_date"] = self.core.deadlines["icpc"].due.due_date.isoformat()

    def take_calendar(self, update: CalendarUpdate) -> list[str]:
        """Take a newer calendar: the target date shown follows the deadline if it moved (§1)."""
        moved = super().take_calendar(update)
        self._show_target()
        return moved

    def _needs_delay_agreement(self) -> bool:
        icpc = self.core.deadlines["icpc"]
        return (
            self.conference_at is not None
            and self.conference_at >= icpc.due.passes_at
            and icpc.state is not DeadlineState.EXTENDED
        )

    def open_tasks(self) -> list[TaskView]:
        """Return what the conference waits for: a date, any delay agreement, the reports, the decision."""
        if self.core.stage == InitialConferenceStage.SCHEDULING:
            return [self.task("schedule_conference", due_date=self.core.deadlines["icpc"].due.due_date)]
        if self.core.stage != InitialConferenceStage.SCHEDULED:
            return []
        tasks = [self.task("decide_conference")]
        if self._needs_delay_agreement():
            tasks += [
                self.task("agree_delay", key=f"agree_delay:{role}", allowed_roles=(role,))
                for role in (Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR)
                if role not in self.delay_agreed_by
            ]
        reports = self.core.deadlines.get("icpc_reports_to_parents")
        if reports is not None and reports.met_on is None:
            tasks.append(self.task("record_reports_shared", due_date=reports.due.due_date))
        return tasks

    # -- decisions ------------------------------------------------------------------------------------

    @workflow.update(name="schedule_conference")
    async def schedule_conference(self, command: ScheduleConference) -> DecisionRecord:
        """Set (or move) the conference date; the reports-to-parents deadline follows it."""
        self.conference_at = command.conference_at
        record = self.record_decision("schedule_conference", command, describe_moment(command.conference_at))
        self.add_deadline(
            "icpc_reports_to_parents",
            "icpc_reports_to_parents",
            command.conference_at,
            label="the initial conference",
            responsible_id=self.social_worker_id,
        )
        self.set_stage(InitialConferenceStage.SCHEDULED)
        await self.record()
        return record

    @schedule_conference.validator
    def validate_schedule_conference(self, command: ScheduleConference) -> None:
        self.check_decision("schedule_conference", command)
        if command.conference_at <= workflow.now():
            raise rejected("schedule_conference: the conference date must be ahead")
        if not is_working_day(local_date(command.conference_at), self.core.calendar):
            raise rejected("schedule_conference: a conference is held on a working day, not a weekend or bank holiday")

    @workflow.update(name="agree_delay")
    async def agree_delay(self, command: AgreeDelay) -> DecisionRecord:
        """The manager or the chair agrees the exceptional delay; with both, the deadline is extended."""
        self.delay_agreed_by.add(command.actor.role)
        record = self.record_decision("agree_delay", command, f"delay agreed by the {command.actor.role}")
        if self.delay_agreed_by >= {Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR}:
            reasons = "; ".join(d.rationale or "" for d in self.core.decisions if d.decision == "agree_delay")
            self.extend_deadline("icpc", reasons)
        await self.record()
        return record

    @agree_delay.validator
    def validate_agree_delay(self, command: AgreeDelay) -> None:
        self.check_decision("agree_delay", command)
        if not self._needs_delay_agreement():
            raise rejected("agree_delay: the conference is within its 15 working days; there is no delay to agree")
        if command.actor.role in self.delay_agreed_by:
            raise rejected(f"agree_delay: the {command.actor.role} has already agreed")

    @workflow.update(name="record_reports_shared")
    async def record_reports_shared(self, command: RecordReportsShared) -> DecisionRecord:
        """The social worker shared the reports with the parents."""
        record = self.record_decision("record_reports_shared", command, "reports shared with the parents")
        self.meet_deadline("icpc_reports_to_parents", record.effective_at)
        await self.record()
        return record

    @record_reports_shared.validator
    def validate_record_reports_shared(self, command: RecordReportsShared) -> None:
        self.check_decision("record_reports_shared", command)

    @workflow.update(name="decide_conference")
    async def decide_conference(self, command: DecideConference) -> DecisionRecord:
        """The chair's decision; the conference date (effective_at) meets the 15 working days or not."""
        outcome = str(command.outcome) + (f" ({command.category})" if command.category else "")
        record = self.record_decision("decide_conference", command, outcome)
        for dissent in command.dissent:
            self.note(
                "conference.dissent",
                f"dissent recorded from {dissent.agency}: {dissent.view}",
                actor_id=record.actor_id,
            )
        self.meet_deadline("icpc", record.effective_at)
        self.decision = command
        await self.record()
        return record

    @decide_conference.validator
    def validate_decide_conference(self, command: DecideConference) -> None:
        self.check_decision("decide_conference", command, not_before=self.input.s47_started_at)
        if command.actor.team_id == self.context.team_id:
            raise rejected("decide_conference: the chair must be independent of the case's line management")

    def take_reassignment(self, practitioner_id: str) -> None:
        """Sharing the reports is the social worker's task: the social worker now responsible does it."""
        self.social_worker_id = practitioner_id
