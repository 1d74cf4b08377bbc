"""The base of every process workflow: it wires the shared components and keeps the shared Updates and query.

The machinery lives in components with one job each, built by `_start_core` over the process's
`ProcessCore` (which holds all their state, so continue-as-new carries it whole): the record and its
chronology (`_case_record`), notices (`_notices`), deadlines and their alarms (`_deadline_alarms`),
hand-offs (`_hand_offs`) and disputes (`_dispute_desk`). The Updates and the `status` query every
process answers stay defined here, with their names and validators, and delegate to the components; the
short methods below are what the processes call. Each process's decisions are checked against its
description (`safeguarding.descriptions`), which also gives its tasks their titles and roles.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel
from temporalio import workflow

from safeguarding.codes import Process, Role
from safeguarding.commands import Decision
from safeguarding.commands.disagreement import ApplyResolution, DisputeRecorded, RecordDispute, ResolutionApplied
from safeguarding.commands.reassign import Reassign
from safeguarding.descriptions.description import ProcessDescription
from safeguarding.descriptions.reassign import REASSIGN
from safeguarding.descriptions.registry import describe
from safeguarding.facts import facts_for
from safeguarding.models import CalendarUpdate, DecisionRecord, ProcessContext, ProcessStatus, Recipient, TaskView
from safeguarding.process_state import ProcessCore, TrackedDeadline
from safeguarding.stages import SharedStage
from workflows._activity_options import ACTIVITY_TIMEOUT, STORE_RETRY
from workflows._case_record import CaseRecord
from workflows._deadline_alarms import DeadlineAlarms
from workflows._decisions import check_decision, rejected
from workflows._dispute_desk import DisputeDesk
from workflows._disputes import find_open, open_disputes
from workflows._hand_offs import HandOffs
from workflows._notices import Notices

__all__ = ["ACTIVITY_TIMEOUT", "STORE_RETRY", "ProcessWorkflow", "rejected"]


class ProcessWorkflow:
    """Base of the process workflows (not a workflow itself)."""

    PROCESS: ClassVar[Process]
    DISPUTABLE: ClassVar[bool] = True
    """Whether a professional disagreement can be raised against this process's decisions (§8)."""

    context: ProcessContext
    core: ProcessCore

    def _start_core(self, context: ProcessContext, core: ProcessCore | None, stage: str) -> None:
        self.context = context
        self.core = core or ProcessCore(stage=stage, started_at=workflow.now(), calendar=context.calendar)
        self.notices = Notices(context, self.note)
        self.case_record = CaseRecord(self.PROCESS, context, self.core, self.open_tasks, self.notices.send)
        self.deadlines = DeadlineAlarms(
            self.PROCESS,
            context,
            self.core,
            note=self.note,
            send=self.notices.send,
            record=self.record,
            show=self._upsert_search_attributes,
        )
        self.hand_offs = HandOffs(context, self.core, self.note)
        self.disputes = DisputeDesk(self.PROCESS, self.core, self.case_record, self.record)

    # -- what the processes call ------------------------------------------------------------------

    @property
    def description(self) -> ProcessDescription:
        """Return this process's description: its stages and decisions."""
        return describe(self.PROCESS)

    def check_decision(
        self,
        name: str,
        command: Decision,
        *,
        rationale_required: bool | None = None,
        not_before: datetime | None = None,
    ) -> None:
        """Refuse `command` unless its actor may make decision `name` now, as the process describes it."""
        check_decision(
            self.core,
            self.description.decision(name),
            command,
            rationale_required=rationale_required,
            not_before=not_before,
        )

    def task(
        self,
        name: str,
        *,
        key: str | None = None,
        title: str | None = None,
        allowed_roles: tuple[Role, ...] | None = None,
        assignee_id: str | None = None,
        due_date: date | None = None,
    ) -> TaskView:
        """Return decision `name` as an open task, titled and allowed as described unless told otherwise."""
        return self.description.decision(name).task(
            key=key, title=title, allowed_roles=allowed_roles, assignee_id=assignee_id, due_date=due_date
        )

    def record_decision(self, name: str, command: Decision, outcome: str) -> DecisionRecord:
        return self.case_record.record_decision(name, command, outcome)

    def note(self, event: str, summary: str, *, actor_id: str | None = None, at: datetime | None = None) -> None:
        self.case_record.note(event, summary, actor_id=actor_id, at=at)

    def set_stage(self, stage: str) -> None:
        self.case_record.set_stage(stage)

    def open_tasks(self) -> list[TaskView]:
        """Return the human tasks open at this stage; each process says which."""
        return []

    async def record(self) -> None:
        await self.case_record.record()

    async def send(self, key: str, template: str, recipient: Recipient, **fields: str) -> bool:
        return await self.notices.send(key, template, recipient, **fields)

    @property
    def sends_in_flight(self) -> int:
        return self.notices.in_flight

    async def start_process(self, workflow_type: str, arg: BaseModel, workflow_id: str) -> bool:
        return await self.hand_offs.start_process(workflow_type, arg, workflow_id)

    async def process_id(self, process: Process, first_id: str) -> str:
        return await self.hand_offs.process_id(process, first_id)

    async def start_cin_plan(self, on: datetime) -> None:
        await self.hand_offs.start_cin_plan(on)

    def add_deadline(
        self,
        key: str,
        rule_id: str,
        trigger_at: datetime,
        *,
        label: str | None = None,
        responsible_id: str | None = None,
    ) -> TrackedDeadline:
        return self.deadlines.add(key, rule_id, trigger_at, label=label, responsible_id=responsible_id)

    def meet_deadline(self, key: str, at: datetime, reasons: str | None = None) -> None:
        self.deadlines.meet(key, at, reasons)

    def extend_deadline(self, key: str, reasons: str) -> None:
        self.deadlines.extend(key, reasons)

    def is_past(self, key: str, at: datetime | None = None) -> bool:
        return self.deadlines.is_past(key, at)

    def set_responsible(self, practitioner_id: str) -> None:
        self.deadlines.set_responsible(practitioner_id)

    async def watch_deadlines(self) -> None:
        await self.deadlines.watch()

    @property
    def _alarms_changed(self) -> bool:
        return self.deadlines.changed

    @_alarms_changed.setter
    def _alarms_changed(self, changed: bool) -> None:
        self.deadlines.changed = changed

    def _upsert_search_attributes(self) -> None:
        self.case_record.upsert_search_attributes()

    async def close(self, outcome: str) -> None:
        """Close the process with `outcome`: open tasks go, the watch stops, the record is written."""
        self.core.outcome = outcome
        if open_disputes(self.core):
            # Only a process with an open dispute waits here; any other closes exactly as before.
            await self.disputes.hold_while_disputed()
        self.core.closed_at = workflow.now()
        self.set_stage(SharedStage.CLOSED)
        await self.record()

    # -- reassignment (§1) -------------------------------------------------------------------------

    @workflow.update(name=REASSIGN)
    async def reassign(self, command: Reassign) -> DecisionRecord:
        """A manager names who is now responsible: reminders of pending deadlines go to them from now on."""
        self.set_responsible(command.practitioner_id)
        self.take_reassignment(command.practitioner_id)
        record = self.record_decision(REASSIGN, command, f"reassigned to {command.practitioner_id}")
        await self.record()
        return record

    @reassign.validator
    def validate_reassign(self, command: Reassign) -> None:
        self.check_decision(REASSIGN, command)
        if command.practitioner_id == self.core.responsible_id:
            raise rejected(f"{REASSIGN}: {command.practitioner_id} is already responsible for this {self.PROCESS}")
        problem = self.reassignment_problem(command)
        if problem:
            raise rejected(f"{REASSIGN}: {problem}")

    def reassignment_problem(self, command: Reassign) -> str | None:
        """Return why this process cannot be reassigned to `command.practitioner_id` now, or None when it can.

        The hook a process overrides where who may take its work over has a rule of its own.
        """
        return None

    def take_reassignment(self, practitioner_id: str) -> None:
        """Hand the process's own assignee over to `practitioner_id`; the hook of a process that keeps one."""

    # -- professional disagreement (§8) ------------------------------------------------------------

    @workflow.update(name="record_dispute")
    async def record_dispute(self, request: RecordDispute) -> DisputeRecorded:
        """Mark a decision or open question as disputed; the process and its clocks carry on (§8)."""
        return await self.disputes.record_dispute(request)

    @record_dispute.validator
    def validate_record_dispute(self, request: RecordDispute) -> None:
        if not self.DISPUTABLE:
            raise rejected(f"record_dispute: a {self.PROCESS} is not disputed; escalate it instead")
        problem = self.disputes.problem(request, {task.key for task in self.open_tasks()})
        if problem:
            raise rejected(f"record_dispute: {problem}")

    @workflow.update(name="apply_resolution")
    async def apply_resolution(self, resolution: ApplyResolution) -> ResolutionApplied:
        """Take the resolution of a dispute: any agreed change first, then the dispute is closed (§8)."""
        return await self.disputes.apply_resolution(resolution, self)

    @apply_resolution.validator
    def validate_apply_resolution(self, resolution: ApplyResolution) -> None:
        if find_open(self.core, resolution.disagreement_workflow_id) is None:
            raise rejected(f"apply_resolution: no open dispute from {resolution.disagreement_workflow_id}")
        if resolution.new_outcome is not None:
            problem = self.resolution_problem(resolution)
            if problem:
                raise rejected(f"apply_resolution: {problem}")

    def resolution_problem(self, resolution: ApplyResolution) -> str | None:
        """Return why the agreed change cannot be applied to this process now, or None when it can.

        The hook a process overrides to accept changes to its decisions (the assessment takes a Child in
        Need plan instead of a Family Support Plan). A change this process does not make — convening an
        initial conference, say — is made by starting the process that makes it.
        """
        return (
            f"a {self.PROCESS} does not change its decisions after a disagreement; "
            f"start the process that {resolution.new_outcome} calls for instead"
        )

    async def take_resolution(self, resolution: ApplyResolution) -> None:
        """Apply an agreed change that `resolution_problem` accepted: by default, the process's outcome."""
        self.core.outcome = resolution.new_outcome

    # -- the status query and calendar updates ----------------------------------------------------

    @workflow.query(name="status")
    def status(self) -> ProcessStatus:
        """Return the process as a manager sees it: stage, open tasks, deadlines, decisions."""
        return ProcessStatus(
            process=self.PROCESS,
            workflow_id=workflow.info().workflow_id,
            case_id=self.context.case_id,
            case_reference=self.context.case_reference,
            stage=self.core.stage,
            profile_ref=self.context.profile.ref,
            calendar_version=self.core.calendar.version,
            open_tasks=tuple(self.open_tasks()),
            deadlines=tuple(d.view() for d in self.core.deadlines.values()),
            decisions=tuple(self.core.decisions),
            hand_offs=tuple(self.core.hand_offs),
            outcome=self.core.outcome,
            facts=facts_for(self.PROCESS, self.core.facts),
            disputes=tuple(self.core.disputes),
        )

    @workflow.update(name="apply_calendar")
    async def apply_calendar(self, update: CalendarUpdate) -> list[str]:
        """Take a newer bank-holiday calendar (a one-off day announced); return the deadlines that moved."""
        moved = self.take_calendar(update)
        await self.record()
        return moved

    @apply_calendar.validator
    def check_calendar(self, update: CalendarUpdate) -> None:
        """Refuse a calendar that is the one already in use."""
        if update.calendar.version == self.core.calendar.version:
            raise rejected(f"calendar {update.calendar.version} is already in use")

    def take_calendar(self, update: CalendarUpdate) -> list[str]:
        """Use a newer calendar for deadlines still ahead (§1); return the keys of those that moved."""
        return self.deadlines.take_calendar(update.calendar)
