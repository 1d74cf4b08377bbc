"""Deadlines that remind before and escalate after: the alarms of a process, as pure functions.

statutory-rules.md §1: reminders go to the responsible practitioner in office hours (the profile's
reminder time on a working day); when a deadline passes, its team manager is alerted; if it is still
not met after the profile's further interval, the service manager is alerted. Alarms are derived
from the deadlines and the set of alarms already sent, so nothing here needs its own state and a process
that continues-as-new carries only the deadlines (as absolute dates) and the sent keys.

The team manager's overdue alert is sent in office hours too (§1 sends practitioners' alerts in office
hours; the procedure profile says when): a deadline passing in office hours alerts when it passes; one
passing overnight, in the evening or on a day that is not a working day alerts at the profile's reminder
time on the next working day (`in_office_hours`), when someone is there to act on it.

A deadline that had passed already when the process began watching it, or passed within the hour (a
process started late, a contact entered the day after it came in, an event recorded after its follow-up
fell due), could still be met by a decision recorded back-dated within its time limit. Its overdue alert
therefore waits until the team has had the first working hour with it, so that the alert is never a
false alarm. A deadline that passes later while the process runs alerts when it passes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from safeguarding.codes import AlarmKind, ClockKind, DeadlineState
from safeguarding.deadlines import alert_moment, office_moment
from safeguarding.models import Alarm
from safeguarding.procedure_profile import OfficeHours, ProcedureProfile
from safeguarding.process_state import TrackedDeadline
from safeguarding.rules import Direction
from safeguarding.working_days import (
    WorkingCalendar,
    add_working_days,
    at_local_time,
    is_out_of_hours,
    latest_office_moment,
    local_date,
    next_office_opening,
    subtract_working_days,
)

FIRST_WORKING_HOUR = timedelta(hours=1)


def alarms_for(deadline: TrackedDeadline, profile: ProcedureProfile, calendar: WorkingCalendar) -> list[Alarm]:
    """Return every alarm `deadline` can raise, met or not; the caller filters by state and time."""
    due = deadline.due
    rule = profile.rule(due.rule_id)
    alarms = []
    for offset in profile.reminder_offsets(rule):
        if due.clock is ClockKind.HOURS:
            assert due.due_at is not None
            at = latest_office_moment(due.due_at - timedelta(hours=offset), calendar, profile.office.reminder_time)
        else:
            at = office_moment(subtract_working_days(due.due_date, offset, calendar), profile)
        # A period after a trigger reminds only after it; one ending before an anchor (reports before a
        # conference) is set well ahead of the anchor, so only its end bounds it.
        after_trigger = rule.direction is Direction.BEFORE or due.trigger_at < at
        if after_trigger and at < due.passes_at:
            alarms.append(Alarm(deadline_key=deadline.key, kind=AlarmKind.REMINDER, at=at, offset=offset))
    alarms.append(Alarm(deadline_key=deadline.key, kind=AlarmKind.OVERDUE, at=due.passes_at))
    later = add_working_days(due.due_date, profile.escalation.service_manager_after_working_days, calendar)
    alarms.append(Alarm(deadline_key=deadline.key, kind=AlarmKind.ESCALATION, at=office_moment(later, profile)))
    return alarms


def live_alarms(
    deadlines: list[TrackedDeadline], sent: set[str], profile: ProcedureProfile, calendar: WorkingCalendar
) -> list[Alarm]:
    """Return the alarms still to raise, earliest first.

    Reminders only for a pending deadline; the overdue alert only while it is pending; the escalation
    only for a deadline missed and not met since. A deadline that has been extended raises nothing.
    """
    result = [
        alarm
        for deadline in deadlines
        for alarm in alarms_for(deadline, profile, calendar)
        if alarm.key not in sent and still_wanted(alarm, deadline)
    ]
    return sorted(result, key=lambda a: (a.at, a.deadline_key, a.kind))


def still_wanted(alarm: Alarm, deadline: TrackedDeadline) -> bool:
    """Return whether `alarm` should still be raised for `deadline` as it stands now."""
    if alarm.kind is AlarmKind.ESCALATION:
        return deadline.state is DeadlineState.MISSED and deadline.met_on is None
    return deadline.state is DeadlineState.PENDING


def due_now(alarms: list[Alarm], now: datetime) -> list[Alarm]:
    """Return the alarms to raise at `now`: of several overdue reminders for one deadline, only the latest.

    A deadline set late (or a case resumed after an outage) must not send a burst of stale reminders.
    """
    ready = [a for a in alarms if a.at <= now]
    latest_reminder: dict[str, Alarm] = {}
    for alarm in ready:
        if alarm.kind is AlarmKind.REMINDER:
            latest_reminder[alarm.deadline_key] = alarm
    return [a for a in ready if a.kind is not AlarmKind.REMINDER or latest_reminder[a.deadline_key] is a]


def hold_overdue_alerts(
    alarms: list[Alarm], deadlines: dict[str, TrackedDeadline], office: OfficeHours, calendar: WorkingCalendar
) -> list[Alarm]:
    """Return `alarms` with the overdue alert of a deadline set late held until the first working hour is over.

    Set late: it had passed when it was set, or passed within the hour. Until the team has had an hour of
    office time with it, a decision recorded back-dated within its time limit can still meet it, and the
    alert would be a false alarm.
    """
    held = []
    for alarm in alarms:
        set_at = deadlines[alarm.deadline_key].set_at
        if alarm.kind is AlarmKind.OVERDUE and set_at is not None and alarm.at <= set_at + FIRST_WORKING_HOUR:
            alarm = alarm.model_copy(update={"at": max(alarm.at, end_of_first_working_hour(set_at, office, calendar))})
        held.append(alarm)
    return sorted(held, key=lambda a: (a.at, a.deadline_key, a.kind))


def end_of_first_working_hour(after: datetime, office: OfficeHours, calendar: WorkingCalendar) -> datetime:
    """Return when an hour of office time has passed since `after` (out of hours, from the next opening)."""
    start = after
    if is_out_of_hours(after, calendar, office.opens, office.closes):
        start = next_office_opening(after, calendar, office.opens)
    closing = at_local_time(local_date(start), office.closes)
    if start + FIRST_WORKING_HOUR <= closing:
        return start + FIRST_WORKING_HOUR
    return next_office_opening(closing, calendar, office.opens) + FIRST_WORKING_HOUR - (closing - start)


def in_office_hours(alarms: list[Alarm], office: OfficeHours, calendar: WorkingCalendar) -> list[Alarm]:
    """Return `alarms` with each overdue alert falling out of hours moved to the next reminder time (§1).

    In office hours it stays when it is; before the reminder time on a working day it waits for it;
    otherwise (evening, night, weekend, bank holiday) it goes at the reminder time of the next working day.
    """
    moved = [
        alarm.model_copy(update={"at": alert_moment(alarm.at, office, calendar)})
        if alarm.kind is AlarmKind.OVERDUE
        else alarm
        for alarm in alarms
    ]
    return sorted(moved, key=lambda a: (a.at, a.deadline_key, a.kind))
