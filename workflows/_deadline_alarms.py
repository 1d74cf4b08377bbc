"""A process's deadlines and their alarms: set, met, extended, moved by a calendar, and raised on time.

statutory-rules.md §1: reminders go to whoever is responsible in office hours; a missed deadline alerts
the team manager, then the service manager. Which alarms are due is worked out by the pure functions of
`_deadline_watch`; this component keeps the deadlines in the process's state and sends the alarms.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from temporalio import workflow

from safeguarding.codes import AlarmKind, DeadlineState, Process
from safeguarding.deadlines import compute_due
from safeguarding.models import Alarm, ProcessContext, Recipient
from safeguarding.process_state import ProcessCore, TrackedDeadline
from safeguarding.working_days import WorkingCalendar, describe_day, describe_time_left, local_date
from workflows._deadline_watch import due_now, hold_overdue_alerts, in_office_hours, live_alarms, still_wanted

OVERDUE_AFTER_FIRST_WORKING_HOUR = "overdue-after-first-working-hour"
"""Patch (Nov 2026): a deadline set when it had passed alerts after the first working hour, not at once."""
OVERDUE_IN_OFFICE_HOURS = "overdue-in-office-hours"
"""Patch (Nov 2026): an overdue alert passing out of hours goes at the next working day's reminder time."""
REMINDER_SAYS_TIME_LEFT = "reminder-says-time-left"
"""Patch: the reminder's subject says how long is left, counted on the process's calendar."""


class DeadlineAlarms:
    """The deadlines of one process (kept in its `ProcessCore`) and the task that raises their alarms."""

    def __init__(
        self,
        process: Process,
        context: ProcessContext,
        core: ProcessCore,
        *,
        note: Callable[[str, str], None],
        send: Callable[..., Awaitable[bool]],
        record: Callable[[], Awaitable[None]],
        show: Callable[[], None],
    ) -> None:
        self.process = process
        self.context = context
        self.core = core
        self._note = note
        self._send = send
        self._record = record
        self._show = show
        self.changed = False
        """Set when the deadlines change, so the watch works out its next alarm again."""

    def add(
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
        self._note("deadline.set", f"{due.title}: due {describe_day(due.due_date)} ({due.basis})")
        self.changed = True
        return tracked

    def meet(self, key: str, at: datetime, reasons: str | None = None) -> None:
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
        self.changed = True
        self._show()

    def extend(self, key: str, reasons: str) -> None:
        """Mark a deadline extended by agreement, with the reasons: it no longer reminds or escalates."""
        deadline = self.core.deadlines[key]
        deadline.state = DeadlineState.EXTENDED
        deadline.reasons = reasons
        self._note("deadline.extended", f"{deadline.due.title}: extended by agreement ({reasons})")
        self.changed = True
        self._show()

    def is_past(self, key: str, at: datetime | None = None) -> bool:
        """Return whether deadline `key` has passed at `at` (default now)."""
        return (at or workflow.now()) >= self.core.deadlines[key].due.passes_at

    def set_responsible(self, practitioner_id: str) -> None:
        """Name who is reminded of this process's pending deadlines."""
        self.core.responsible_id = practitioner_id
        for deadline in self.core.deadlines.values():
            if deadline.state is DeadlineState.PENDING:
                deadline.responsible_id = practitioner_id
        self.changed = True

    def take_calendar(self, calendar: WorkingCalendar) -> list[str]:
        """Use a newer calendar for deadlines still ahead; those already passed keep their dates (§1).

        Returns the keys of the deadlines whose due date moved.
        """
        now = workflow.now()
        old = self.core.calendar
        self.core.calendar = calendar
        moved = []
        for deadline in self.core.deadlines.values():
            if deadline.state is not DeadlineState.PENDING or deadline.due.passes_at <= now:
                continue
            due = compute_due(
                self.context.profile,
                deadline.due.rule_id,
                deadline.due.trigger_at,
                calendar,
                trigger_label=deadline.trigger_label,
            )
            if due.due_date != deadline.due.due_date or due.passes_at != deadline.due.passes_at:
                moved.append(deadline.key)
                self._note(
                    "deadline.moved",
                    f"{due.title}: now due {describe_day(due.due_date)} after a calendar change ({due.basis})",
                )
            deadline.due = due
        self._note("calendar", f"calendar {old.version} -> {calendar.version}")
        self.changed = True
        self._show()
        return moved

    async def watch(self) -> None:
        """Raise each deadline's alarms at their time until the process closes. Run as a task."""
        while self.core.closed_at is None:
            alarms = self._alarms()
            ready = due_now(alarms, workflow.now())
            if ready:
                await self._raise(ready, alarms)
                continue
            self.changed = False
            timeout = (alarms[0].at - workflow.now()) if alarms else None
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.changed or self.core.closed_at is not None,
                    timeout=timeout,
                    timeout_summary="next deadline alarm",
                )

    def _alarms(self) -> list[Alarm]:
        alarms = live_alarms(
            list(self.core.deadlines.values()), set(self.core.alarms_sent), self.context.profile, self.core.calendar
        )
        held = hold_overdue_alerts(alarms, self.core.deadlines, self.context.profile.office, self.core.calendar)
        if held != alarms and workflow.patched(OVERDUE_AFTER_FIRST_WORKING_HOUR):
            alarms = held
        office = in_office_hours(alarms, self.context.profile.office, self.core.calendar)
        if office != alarms and workflow.patched(OVERDUE_IN_OFFICE_HOURS):
            alarms = office
        return alarms

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
            await self._send_alarm(alarm, deadline)
        await self._record()

    async def _send_alarm(self, alarm: Alarm, deadline: TrackedDeadline) -> None:
        fields = {
            "rule_id": deadline.due.rule_id,
            "title": deadline.due.title,
            "due": describe_day(deadline.due.due_date),
            "basis": deadline.due.basis,
            "process": str(self.process),
        }
        if alarm.kind is AlarmKind.REMINDER:
            who = (
                Recipient(kind="practitioner", id=deadline.responsible_id)
                if deadline.responsible_id
                else Recipient(kind="team_manager", id=self.context.team_id)
            )
            self._note("deadline.reminder", f"reminder: {deadline.due.title} due {fields['due']}")
            if workflow.patched(REMINDER_SAYS_TIME_LEFT):
                today = local_date(workflow.now())
                fields["time_left"] = describe_time_left(today, deadline.due.due_date, self.core.calendar)
            await self._send(alarm.key, "deadline_reminder", who, **fields)
        elif alarm.kind is AlarmKind.OVERDUE:
            deadline.state = DeadlineState.MISSED
            self._note("deadline.missed", f"missed: {deadline.due.title} was due {fields['due']}")
            self._show()
            await self._send(
                alarm.key, "deadline_overdue", Recipient(kind="team_manager", id=self.context.team_id), **fields
            )
        else:
            self._note("deadline.escalated", f"escalated to the service manager: {deadline.due.title}")
            await self._send(
                alarm.key, "deadline_escalation", Recipient(kind="service_manager", id=self.context.team_id), **fields
            )
