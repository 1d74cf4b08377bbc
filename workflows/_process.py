"""What every process shares: its record, its deadlines' alarms, the `status` query, calendar updates.

A process workflow subclasses `ProcessWorkflow` and keeps all its mutable state in `self.core` (plus its
own fields), so the whole of it can be carried through continue-as-new. Decisions arrive as Updates;
their validators call `check_decision`, which rejects a wrong role, a wrong stage, a duplicate, a date in
the future or a missing mandatory rationale with a clear `DecisionRejected` error — the workflow task
never fails. Every change reaches the case store through one idempotent activity (`record_process`),
written under a lock so an older snapshot never lands after a newer one.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, WorkflowAlreadyStartedError

from safeguarding import search_attributes as sa
from safeguarding.activity_names import ActivityName
from safeguarding.authority import already_decided, roles_for
from safeguarding.codes import AlarmKind, DeadlineState, HandOffState, PlanKind, Process, StrategyReason
from safeguarding.commands import Decision
from safeguarding.commands.disagreement import ApplyResolution, DisputeRecorded, RecordDispute, ResolutionApplied
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput, strategy_discussion_id
from safeguarding.deadlines import compute_due
from safeguarding.facts import facts_for
from safeguarding.models import (
    Alarm,
    CalendarUpdate,
    ChronologyEntry,
    DecisionRecord,
    HandOff,
    Notice,
    NoticeResult,
    ProcessContext,
    ProcessSnapshot,
    ProcessStart,
    ProcessStarted,
    ProcessStatus,
    Recipient,
    Recorded,
    TaskView,
)
from safeguarding.plans import PlanStart, PlanStarted
from safeguarding.process_state import ProcessCore, TrackedDeadline
from safeguarding.stages import SharedStage
from safeguarding.text import REFUSED_DATA, scrubbed
from safeguarding.working_days import describe_day, describe_time_left, local_date
from workflows._deadline_watch import due_now, hold_overdue_alerts, live_alarms, still_wanted
from workflows._disputes import dispute_from, dispute_problem, disputed_decision, find_open, open_disputes, settle

ACTIVITY_TIMEOUT = timedelta(seconds=30)
STORE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5))
NOTICE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10))
NOTICE_GIVE_UP = timedelta(hours=24)
"""A notice still undelivered after a day is noted as failed in the chronology; the outbox keeps it."""
HAND_OFF_BY_ACTIVITY = "hand-off-by-activity"
"""Patch: hand-offs start independent workflows through an activity; runs recorded before it started children."""
OVERDUE_AFTER_FIRST_WORKING_HOUR = "overdue-after-first-working-hour"
"""Patch (Nov 2026): a deadline set when it had passed alerts after the first working hour, not at once."""


def _refused_data(err: ActivityError) -> bool:
    """Return whether an activity failed on data it was given (retrying cannot help), not on an outage."""
    return isinstance(err.cause, ApplicationError) and err.cause.type == REFUSED_DATA


def rejected(message: str) -> ApplicationError:
    """Return the error a validator raises for a decision it refuses: clear, non-retryable, never a task failure."""
    return ApplicationError(message, type="DecisionRejected", non_retryable=True)


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
        self._record_lock = asyncio.Lock()
        self._alarms_changed = False
        self.sends_in_flight = 0

    # -- decisions -------------------------------------------------------------------------------

    def check_decision(
        self,
        name: str,
        command: Decision,
        *,
        stages: tuple[str, ...],
        rationale_required: bool = False,
        not_before: datetime | None = None,
        once: bool = True,
    ) -> None:
        """Refuse `command` unless its actor may make decision `name` now, in one of `stages`."""
        allowed = roles_for(name)
        if command.actor.role not in allowed:
            raise rejected(
                f"{name}: a {command.actor.role} may not make this decision; it needs {' or '.join(allowed)}"
            )
        if self.core.stage not in stages:
            raise rejected(f"{name}: not possible at stage {self.core.stage!r} (possible at {', '.join(stages)})")
        earlier = [d for d in self.core.decisions if d.decision == name]
        if once and earlier:
            raise rejected(f"{name}: {already_decided(earlier[0].actor_role, earlier[0].effective_at)}")
        if rationale_required and not (command.rationale and command.rationale.strip()):
            raise rejected(f"{name}: a rationale is required")
        if command.effective_at is not None:
            if command.effective_at > workflow.now():
                raise rejected(f"{name}: dated {command.effective_at.isoformat()}, which is in the future")
            floor = not_before or self.core.started_at
            if command.effective_at < floor:
                raise rejected(f"{name}: dated before {floor.isoformat()}, when this became possible")

    def record_decision(self, name: str, command: Decision, outcome: str) -> DecisionRecord:
        """Record a decision that passed its validator, with its chronology entry."""
        now = workflow.now()
        record = DecisionRecord(
            key=f"{name}:{sum(d.decision == name for d in self.core.decisions) + 1}",
            decision=name,
            actor_id=command.actor.practitioner_id,
            actor_role=command.actor.role,
            effective_at=command.effective_at or now,
            recorded_at=now,
            outcome=outcome,
            rationale=command.rationale,
        )
        self.core.decisions.append(record)
        self.core.unrecorded_decisions.append(record)
        self.note(
            f"decision.{name}", f"{name.replace('_', ' ')}: {outcome}", actor_id=record.actor_id, at=record.effective_at
        )
        return record

    # -- chronology and the case store ----------------------------------------------------------

    def note(self, event: str, summary: str, *, actor_id: str | None = None, at: datetime | None = None) -> None:
        """Queue a chronology entry; it reaches the case store with the next `record`."""
        self.core.chronology_seq += 1
        self.core.unrecorded_chronology.append(
            ChronologyEntry(
                key=f"{self.core.chronology_seq:05d}",
                event=event,
                occurred_at=at or workflow.now(),
                summary=summary,
                actor_id=actor_id,
            )
        )

    def set_stage(self, stage: str) -> None:
        """Move to `stage`, noting it and updating the search attributes."""
        if stage == self.core.stage:
            return
        self.note("stage", f"stage {self.core.stage} -> {stage}")
        self.core.stage = stage
        self._upsert_search_attributes()

    def open_tasks(self) -> list[TaskView]:
        """Return the human tasks open at this stage; each process says which."""
        return []

    async def record(self) -> None:
        """Write the current state to the case store (idempotent; one writer at a time).

        Data the store refuses can never wedge the case (`activities.refusals` fails such a write at once):
        the pending entries are cleaned of what the store cannot hold, the refusal is noted in the
        chronology, the team manager is told once, and the write is tried again. If the store still refuses,
        the entries stay pending for the next write and the process carries on regardless.
        """
        async with self._record_lock:
            try:
                await self._write_record()
            except ActivityError as err:
                if not _refused_data(err):
                    raise
                await self._after_refusal(getattr(err.cause, "message", err.message))

    async def _write_record(self) -> None:
        chronology = list(self.core.unrecorded_chronology)
        decisions = list(self.core.unrecorded_decisions)
        snapshot = ProcessSnapshot(
            workflow_id=workflow.info().workflow_id,
            process=self.PROCESS,
            case_id=self.context.case_id,
            team_id=self.context.team_id,
            stage=self.core.stage,
            profile_ref=self.context.profile.ref,
            started_at=self.core.started_at,
            closed_at=self.core.closed_at,
            outcome=self.core.outcome,
            responsible_id=self.core.responsible_id,
            tasks=tuple(self.open_tasks()),
            deadlines=tuple(d.view() for d in self.core.deadlines.values()),
            decisions=tuple(decisions),
            chronology=tuple(chronology),
            hand_offs=tuple(self.core.hand_offs),
        )
        await workflow.execute_activity(
            ActivityName.RECORD_PROCESS,
            snapshot,
            result_type=Recorded,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        del self.core.unrecorded_chronology[: len(chronology)]
        del self.core.unrecorded_decisions[: len(decisions)]
        self.core.store_refused = False

    async def _after_refusal(self, reason: str) -> None:
        self.core.unrecorded_chronology[:] = [scrubbed(entry) for entry in self.core.unrecorded_chronology]
        self.core.unrecorded_decisions[:] = [scrubbed(record) for record in self.core.unrecorded_decisions]
        if not self.core.store_refused:
            self.core.store_refused = True
            self.note("record.refused", f"the case store refused part of this record: {reason}")
            await self.send(
                f"record-refused:{self.core.chronology_seq}",
                "record_refused",
                Recipient(kind="team_manager", id=self.context.team_id),
                reason=reason,
                process=str(self.PROCESS),
            )
        try:
            await self._write_record()
        except ActivityError as err:
            if not _refused_data(err):
                raise

    async def send(self, key: str, template: str, recipient: Recipient, **fields: str) -> bool:
        """Send a notice once (keyed by workflow and `key`); a permanent failure is noted, not fatal."""
        workflow_id = workflow.info().workflow_id
        notice = Notice(
            key=f"{workflow_id}:{key}",
            template=template,
            recipient=recipient,
            case_id=self.context.case_id,
            workflow_id=workflow_id,
            fields={"case_reference": self.context.case_reference, "workflow_id": workflow_id, **fields},
        )
        # Counted so a process never continues as new while a notice it has marked sent is still going.
        self.sends_in_flight += 1
        try:
            await workflow.execute_activity(
                ActivityName.SEND_NOTICE,
                notice,
                result_type=NoticeResult,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                schedule_to_close_timeout=NOTICE_GIVE_UP,
                retry_policy=NOTICE_RETRY,
            )
        except ActivityError as err:
            self.note(
                "notice.failed",
                f"{template} to {recipient.kind} {recipient.id} could not be sent: "
                f"{getattr(err.cause, 'message', err.message)}",
            )
            return False
        finally:
            self.sends_in_flight -= 1
        return True

    async def start_strategy_discussion(
        self, reason: StrategyReason, concerns_at: datetime, *, context: ProcessContext | None = None
    ) -> HandOff:
        """Start a strategy discussion about this case's child (or, with `context`, another child's) (§4).

        One already started for the same concerns is joined, not duplicated.
        """
        about = (context or self.context).model_copy(update={"calendar": self.core.calendar})
        discussion_id = strategy_discussion_id(about.case_reference, concerns_at)
        discussion = StrategyDiscussionInput(
            context=about, concerns_at=concerns_at, reason=reason, source_workflow_id=workflow.info().workflow_id
        )
        if await self.start_process("StrategyDiscussion", discussion, discussion_id):
            self.note("handoff.started", f"strategy discussion started: {discussion_id}")
        else:
            self.note("handoff.joined", f"the strategy discussion is already under way: {discussion_id}")
        hand_off = HandOff(
            to_process=Process.STRATEGY_DISCUSSION,
            reason=str(reason),
            state=HandOffState.STARTED,
            workflow_id=discussion_id,
        )
        self.core.hand_offs.append(hand_off)
        return hand_off

    async def start_process(self, workflow_type: str, arg: BaseModel, workflow_id: str) -> bool:
        """Hand off: start another process under its fixed id; return False if it was already running (joined).

        The process started is independent of this one, not its child: a plan outlives the conference that
        made it by years, and the time-skipping test server stops its clock for good once an abandoned child
        outlives its parent (temporalio/sdk-typescript#1101). Runs recorded before this change started
        abandoned children, and replay that way.
        """
        if not workflow.patched(HAND_OFF_BY_ACTIVITY):
            try:
                await workflow.start_child_workflow(
                    workflow_type, arg, id=workflow_id, parent_close_policy=workflow.ParentClosePolicy.ABANDON
                )
            except WorkflowAlreadyStartedError:
                return False
            return True
        request = ProcessStart(
            workflow=workflow_type,
            workflow_id=workflow_id,
            input=arg.model_dump(mode="json"),
            started_by=workflow.info().workflow_id,
        )
        started = await workflow.execute_activity(
            ActivityName.START_PROCESS,
            request,
            result_type=ProcessStarted,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        return started.started

    async def start_cin_plan(self, on: datetime) -> None:
        """Record a Child in Need plan for the child from `on` (§3); refused, and noted, while a CP plan is open."""
        request = PlanStart(
            case_id=self.context.case_id,
            workflow_id=workflow.info().workflow_id,
            kind=PlanKind.CIN,
            started_on=local_date(on),
        )
        try:
            await workflow.execute_activity(
                ActivityName.START_PLAN,
                request,
                result_type=PlanStarted,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            self.note("plan.refused", f"CIN plan not started: {getattr(err.cause, 'message', err.message)}")
            return
        self.note("plan.started", "Child in Need plan started", at=on)

    # -- deadlines --------------------------------------------------------------------------------

    def add_deadline(
        self,
        key: str,
        rule_id: str,
        trigger_at: datetime,
        *,
        label: str | None = None,
        responsible_id: str | None = None,
    ) -> TrackedDeadline:
        """Start watching a deadline computed from the rules table, the profile and the calendar."""
        due = compute_due(self.context.profile, rule_id, trigger_at, self.core.calendar, trigger_label=label)
        tracked = TrackedDeadline(
            key=key, due=due, trigger_label=label or due.title, responsible_id=responsible_id, set_at=workflow.now()
        )
        self.core.deadlines[key] = tracked
        self.note("deadline.set", f"{due.title}: due {describe_day(due.due_date)} ({due.basis})")
        self._alarms_changed = True
        return tracked

    def meet_deadline(self, key: str, at: datetime, reasons: str | None = None) -> None:
        """Mark a deadline met at `at`: `met` if in time, else `missed` with the day it was met.

        An extended deadline stays `extended`, with the day it was met.
        """
        deadline = self.core.deadlines[key]
        deadline.met_on = at
        deadline.reasons = reasons or deadline.reasons
        if deadline.state is DeadlineState.EXTENDED:
            pass
        elif at < deadline.due.passes_at:
            deadline.state = DeadlineState.MET
        else:
            deadline.state = DeadlineState.MISSED
        self._alarms_changed = True
        self._upsert_search_attributes()

    def extend_deadline(self, key: str, reasons: str) -> None:
        """Mark a deadline extended by agreement, with the reasons: it no longer reminds or escalates."""
        deadline = self.core.deadlines[key]
        deadline.state = DeadlineState.EXTENDED
        deadline.reasons = reasons
        self.note("deadline.extended", f"{deadline.due.title}: extended by agreement ({reasons})")
        self._alarms_changed = True
        self._upsert_search_attributes()

    def is_past(self, key: str, at: datetime | None = None) -> bool:
        """Return whether deadline `key` has passed at `at` (default now)."""
        return (at or workflow.now()) >= self.core.deadlines[key].due.passes_at

    def set_responsible(self, practitioner_id: str) -> None:
        """Name who is reminded of this process's pending deadlines."""
        self.core.responsible_id = practitioner_id
        for deadline in self.core.deadlines.values():
            if deadline.state is DeadlineState.PENDING:
                deadline.responsible_id = practitioner_id
        self._alarms_changed = True

    async def watch_deadlines(self) -> None:
        """Raise each deadline's alarms at their time until the process closes. Run as a task."""
        while self.core.closed_at is None:
            alarms = live_alarms(
                list(self.core.deadlines.values()), set(self.core.alarms_sent), self.context.profile, self.core.calendar
            )
            held = hold_overdue_alerts(alarms, self.core.deadlines, self.context.profile.office, self.core.calendar)
            if held != alarms and workflow.patched(OVERDUE_AFTER_FIRST_WORKING_HOUR):
                alarms = held
            ready = due_now(alarms, workflow.now())
            if ready:
                await self._raise(ready, alarms)
                continue
            self._alarms_changed = False
            timeout = (alarms[0].at - workflow.now()) if alarms else None
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self._alarms_changed or self.core.closed_at is not None,
                    timeout=timeout,
                    timeout_summary="next deadline alarm",
                )

    async def _raise(self, ready: list[Alarm], alarms: list[Alarm]) -> None:
        for alarm in ready:
            deadline = self.core.deadlines[alarm.deadline_key]
            # A decision may have met (or extended) the deadline while an earlier alarm was being sent.
            if not still_wanted(alarm, deadline):
                continue
            skipped = [
                a.key
                for a in alarms
                if a.kind is AlarmKind.REMINDER and a.at <= alarm.at and a.deadline_key == alarm.deadline_key
            ]
            self.core.alarms_sent.extend(skipped or [alarm.key])
            fields = {
                "rule_id": deadline.due.rule_id,
                "title": deadline.due.title,
                "due": describe_day(deadline.due.due_date),
                "basis": deadline.due.basis,
                "process": str(self.PROCESS),
            }
            if alarm.kind is AlarmKind.REMINDER:
                who = (
                    Recipient(kind="practitioner", id=deadline.responsible_id)
                    if deadline.responsible_id
                    else Recipient(kind="team_manager", id=self.context.team_id)
                )
                self.note("deadline.reminder", f"reminder: {deadline.due.title} due {fields['due']}")
                # Patched: the reminder's subject says how long is left, counted on the process's calendar.
                if workflow.patched("reminder-says-time-left"):
                    today = local_date(workflow.now())
                    fields["time_left"] = describe_time_left(today, deadline.due.due_date, self.core.calendar)
                await self.send(alarm.key, "deadline_reminder", who, **fields)
            elif alarm.kind is AlarmKind.OVERDUE:
                deadline.state = DeadlineState.MISSED
                self.note("deadline.missed", f"missed: {deadline.due.title} was due {fields['due']}")
                self._upsert_search_attributes()
                await self.send(
                    alarm.key, "deadline_overdue", Recipient(kind="team_manager", id=self.context.team_id), **fields
                )
            else:
                self.note("deadline.escalated", f"escalated to the service manager: {deadline.due.title}")
                await self.send(
                    alarm.key,
                    "deadline_escalation",
                    Recipient(kind="service_manager", id=self.context.team_id),
                    **fields,
                )
        await self.record()

    # -- professional disagreement (issue 6; §8) ------------------------------------------------------

    @workflow.update(name="record_dispute")
    async def record_dispute(self, request: RecordDispute) -> DisputeRecorded:
        """Mark a decision or open question as disputed; the process and its clocks carry on (§8)."""
        self.core.disputes.append(dispute_from(request))
        self.note(
            "dispute.raised",
            f"{request.about_key} disputed by a {request.raised_by.role} ({request.disagreement_workflow_id})"
            + ("; the child is said to be at immediate risk" if request.immediate_risk else ""),
            actor_id=request.raised_by.practitioner_id,
            at=request.raised_at,
        )
        await self.record()
        decision = disputed_decision(self.core, request.about_key)
        return DisputeRecorded(
            process=self.PROCESS,
            about_key=request.about_key,
            decision=decision.decision if decision else None,
            outcome=decision.outcome if decision else None,
            decided_by_id=decision.actor_id if decision else None,
            responsible_id=self.core.responsible_id,
        )

    @record_dispute.validator
    def validate_record_dispute(self, request: RecordDispute) -> None:
        if not self.DISPUTABLE:
            raise rejected(f"record_dispute: a {self.PROCESS} is not disputed; escalate it instead")
        problem = dispute_problem(self.core, request, {task.key for task in self.open_tasks()})
        if problem:
            raise rejected(f"record_dispute: {problem}")

    @workflow.update(name="apply_resolution")
    async def apply_resolution(self, resolution: ApplyResolution) -> ResolutionApplied:
        """Take the resolution of a dispute: any agreed change first, then the dispute is closed (§8)."""
        at = resolution.effective_at or workflow.now()
        if resolution.new_outcome is not None:
            was = self.core.outcome or "undecided"
            self.record_decision(
                "apply_resolution",
                resolution,
                f"{resolution.new_outcome} (was {was}), agreed at the {resolution.stage} stage",
            )
            await self.take_resolution(resolution)
        settle(self.core, resolution, at)
        self.note(
            "dispute.resolved",
            f"dispute {resolution.disagreement_workflow_id} resolved at the {resolution.stage} stage"
            + (f": changed to {resolution.new_outcome}" if resolution.new_outcome else ": the decision stands"),
            actor_id=resolution.actor.practitioner_id,
            at=at,
        )
        await self.record()
        return ResolutionApplied(workflow_id=workflow.info().workflow_id, changed_to=resolution.new_outcome)

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

    async def _hold_while_disputed(self) -> None:
        """Wait in stage `disputed` until every dispute is resolved; deadlines keep counting meanwhile."""
        self.set_stage(SharedStage.DISPUTED)
        self.note("dispute.hold", "waiting to close: a professional disagreement about this process is open")
        await self.record()
        await workflow.wait_condition(lambda: not open_disputes(self.core), timeout_summary="disputes resolved")

    # -- queries, calendar, search attributes --------------------------------------------------------

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
        """Use a newer calendar for deadlines still ahead; those already passed keep their dates (§1).

        Returns the keys of the deadlines whose due date moved.
        """
        now = workflow.now()
        old = self.core.calendar
        self.core.calendar = update.calendar
        moved = []
        for deadline in self.core.deadlines.values():
            if deadline.state is not DeadlineState.PENDING or deadline.due.passes_at <= now:
                continue
            due = compute_due(
                self.context.profile,
                deadline.due.rule_id,
                deadline.due.trigger_at,
                update.calendar,
                trigger_label=deadline.trigger_label,
            )
            if due.due_date != deadline.due.due_date or due.passes_at != deadline.due.passes_at:
                moved.append(deadline.key)
                self.note(
                    "deadline.moved",
                    f"{due.title}: now due {describe_day(due.due_date)} after a calendar change ({due.basis})",
                )
            deadline.due = due
        self.note("calendar", f"calendar {old.version} -> {update.calendar.version}")
        self._alarms_changed = True
        self._upsert_search_attributes()
        return moved

    def _upsert_search_attributes(self) -> None:
        pending = [d.due.passes_at for d in self.core.deadlines.values() if d.state is DeadlineState.PENDING]
        workflow.upsert_search_attributes(
            [
                sa.CASE_PROCESS.value_set(str(self.PROCESS)),
                sa.CASE_STAGE.value_set(self.core.stage),
                sa.CASE_TEAM.value_set(self.context.team_id),
                sa.CASE_REFERENCE.value_set(self.context.case_reference),
                sa.NEXT_DUE.value_set(min(pending)) if pending else sa.NEXT_DUE.value_unset(),
            ]
        )

    async def close(self, outcome: str) -> None:
        """Close the process with `outcome`: open tasks go, the watch stops, the record is written."""
        self.core.outcome = outcome
        if open_disputes(self.core):
            # Only a process with an open dispute waits here; any other closes exactly as before.
            await self._hold_while_disputed()
        self.core.closed_at = workflow.now()
        self.set_stage(SharedStage.CLOSED)
        await self.record()
