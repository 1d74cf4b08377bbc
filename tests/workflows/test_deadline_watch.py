"""The overdue alert of a deadline set late waits for the first working hour (statutory-rules.md §1, §2).

A contact entered the day after its referral decision fell due can still be decided back-dated within
the time limit: its overdue alert must not go before the team has had the chance. The hour itself is
counted on hard dates; the front door runs on the time-skipping server, which moves the clock by days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import AlarmKind, ContactOutcome, DeadlineState, Role
from safeguarding.commands.front_door import DecideContact, FrontDoorInput, FrontDoorResult, front_door_id
from safeguarding.deadlines import compute_due
from safeguarding.models import ProcessStatus
from safeguarding.procedure_profile import OfficeHours
from safeguarding.process_state import TrackedDeadline
from safeguarding.store.chronology import list_chronology
from safeguarding.working_days import at_local_time, next_working_day
from tests.fixtures.temporal import PROFILE, Harness
from tests.workflows.time_control import eventually, next_weekday_at, skip_to
from workflows._deadline_watch import end_of_first_working_hour, hold_overdue_alerts, live_alarms

MONDAY = 0
CALENDAR = england_and_wales_calendar(today=date(2026, 11, 25))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return at_local_time(day, time(hour, minute))


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (_at(date(2026, 12, 2), 10, 20), _at(date(2026, 12, 2), 11, 20)),  # Wednesday, in office hours
        (_at(date(2026, 12, 2), 8, 0), _at(date(2026, 12, 2), 10, 0)),  # before the office opens
        (_at(date(2026, 12, 2), 16, 30), _at(date(2026, 12, 3), 9, 30)),  # the hour runs on the next morning
        (_at(date(2026, 12, 5), 2, 0), _at(date(2026, 12, 7), 10, 0)),  # Saturday night: Monday's first hour
        (_at(date(2026, 12, 24), 16, 45), _at(date(2026, 12, 29), 9, 45)),  # over Christmas and Boxing Day
    ],
)
def test_the_first_working_hour_is_an_hour_of_office_time(after: datetime, expected: datetime) -> None:
    assert end_of_first_working_hour(after, OfficeHours(), CALENDAR) == expected


@pytest.mark.parametrize(
    ("set_at", "alerted_at"),
    [
        (_at(date(2026, 11, 30), 10, 5), _at(date(2026, 12, 2), 0, 0)),  # set in time: alerts when it passes
        (_at(date(2026, 12, 2), 10, 0), _at(date(2026, 12, 2), 11, 0)),  # set after it passed: a working hour on
    ],
)
def test_only_a_deadline_set_after_it_passed_holds_its_overdue_alert(set_at: datetime, alerted_at: datetime) -> None:
    # A contact on Monday 30 Nov 2026 at 10:00 is decided by the end of Tuesday: the decision passes at midnight.
    due = compute_due(PROFILE, "referral_decision", _at(date(2026, 11, 30), 10, 0), CALENDAR)
    deadline = TrackedDeadline(key="referral_decision", due=due, trigger_label="the referral", set_at=set_at)
    alarms = live_alarms([deadline], set(), PROFILE, CALENDAR)

    [overdue] = [
        a
        for a in hold_overdue_alerts(alarms, {deadline.key: deadline}, PROFILE.office, CALENDAR)
        if a.kind is AlarmKind.OVERDUE
    ]
    assert overdue.at == alerted_at


async def _late_contact(harness: Harness):
    """Return a Monday morning contact, entered at 10:00 on the working day after its decision fell due."""
    received = next_weekday_at(await harness.env.get_current_time(), MONDAY, time(10, 0))
    due = compute_due(harness.profile, "referral_decision", received, harness.calendar)
    entered = at_local_time(next_working_day(due.due_date, harness.calendar), time(10, 0))
    await skip_to(harness.env, entered)
    case = await harness.new_case()
    contact = await harness.new_contact(case, received)
    handle = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )
    return case, due, entered, handle


async def test_a_decision_recorded_late_but_dated_within_the_time_limit_raises_no_overdue_alert(
    skipping: Harness,
) -> None:
    _, due, _, handle = await _late_contact(skipping)
    await handle.execute_update(
        "decide_contact",
        DecideContact(
            actor=skipping.actor(Role.TEAM_MANAGER),
            outcome=ContactOutcome.NFA_ADVICE,
            rationale="Decided on the day; entered on the system the next morning",
            effective_at=at_local_time(due.due_date, time(15, 0)),
        ),
    )
    await handle.result()
    [deadline] = (await handle.query("status", result_type=ProcessStatus)).deadlines

    assert deadline.state is DeadlineState.MET
    assert [m["Subject"] for m in skipping.smtp.messages if "overdue" in m["Subject"].lower()] == []


async def test_a_contact_entered_late_and_not_decided_alerts_the_team_manager_after_the_first_working_hour(
    skipping: Harness,
) -> None:
    case, _, entered, handle = await _late_contact(skipping)
    await skip_to(skipping.env, entered + timedelta(hours=2))

    async def alerted():
        """the team manager has been alerted"""
        return [m for m in skipping.smtp.messages if m["Subject"].startswith("Overdue")]

    [alert] = await eventually(alerted)
    async with skipping.sessionmaker() as session:
        entries = await list_chronology(case.case_id, session=session)
    [missed] = [e for e in entries if e["event"] == "deadline.missed"]

    assert alert["To"] == f"{skipping.team.team_manager_id}@example.invalid"
    assert entered + timedelta(hours=1) <= missed["occurred_at"] < entered + timedelta(hours=2)
    assert (await handle.query("status", result_type=ProcessStatus)).deadlines[0].state is DeadlineState.MISSED
