"""The team manager's overdue alert goes in office hours (statutory-rules.md §1; the profile's reminder time).

A deadline passing in office hours alerts when it passes; one passing overnight, in the evening or on a
day that is not a working day alerts at the profile's reminder time on the next working day. The rule is
worked out on hard dates; the family group conference's 48-hour first contact (rule
`fgc_coordinator_contact`), whose time of day follows its allocation, shows it on the time-skipping server.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from temporalio.client import WorkflowHandle

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import AlarmKind, DeadlineState, Role
from safeguarding.commands.fgc import AllocateFgcCoordinator
from safeguarding.models import Alarm
from safeguarding.procedure_profile import OfficeHours
from safeguarding.store.chronology import list_chronology
from safeguarding.working_days import LONDON, at_local_time, local_date, next_working_day
from tests.fixtures.temporal import Harness
from tests.workflows.fgc_steps import Family, refer_and_agree, seed_family, start_fgc, status
from tests.workflows.time_control import eventually, next_weekday_at, skip_to
from workflows._deadline_watch import in_office_hours

CALENDAR = england_and_wales_calendar(today=date(2026, 11, 25))
MONDAY, WEDNESDAY = 0, 2
FIRST_CONTACT = "Coordinator makes first contact with the family"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return at_local_time(day, time(hour, minute))


@pytest.mark.parametrize(
    ("passes_at", "alerted_at"),
    [
        (_at(date(2026, 12, 2), 14, 0), _at(date(2026, 12, 2), 14, 0)),  # Wednesday afternoon: when it passes
        (_at(date(2026, 12, 4), 23, 59), _at(date(2026, 12, 7), 9, 0)),  # Friday night: Monday's reminder time
        (_at(date(2026, 12, 3), 0, 0), _at(date(2026, 12, 3), 9, 0)),  # midnight ending a day: that morning
        (_at(date(2026, 12, 2), 17, 30), _at(date(2026, 12, 3), 9, 0)),  # after closing: the next morning
        (_at(date(2026, 12, 24), 18, 0), _at(date(2026, 12, 29), 9, 0)),  # over Christmas and Boxing Day
    ],
)
def test_an_overdue_alert_out_of_hours_waits_for_the_next_reminder_time(
    passes_at: datetime, alerted_at: datetime
) -> None:
    overdue = Alarm(deadline_key="d", kind=AlarmKind.OVERDUE, at=passes_at)
    escalation = Alarm(deadline_key="d", kind=AlarmKind.ESCALATION, at=_at(date(2026, 12, 12), 3, 0))
    moved = in_office_hours([overdue, escalation], OfficeHours(), CALENDAR)
    assert {a.kind: a.at for a in moved} == {AlarmKind.OVERDUE: alerted_at, AlarmKind.ESCALATION: escalation.at}


async def _allocated_at(harness: Harness, moment: datetime) -> tuple[Family, WorkflowHandle, datetime]:
    """Start a conference, agree its referral, and allocate its coordinator at `moment`; return when it passes."""
    family = await seed_family(harness)
    handle = await start_fgc(harness, family)
    await refer_and_agree(harness, handle, family)
    await skip_to(harness.env, moment)
    await handle.execute_update(
        "allocate_fgc_coordinator",
        AllocateFgcCoordinator(actor=harness.actor(Role.TEAM_MANAGER), coordinator_id=family.coordinator_id),
    )
    [contact] = [d for d in (await status(handle)).deadlines if d.rule_id == "fgc_coordinator_contact"]
    assert contact.passes_at is not None
    return family, handle, contact.passes_at


async def _first_contact_missed(harness: Harness, family: Family, since: int) -> datetime:
    """Wait for the team manager's alert about the first contact (after message `since`); return when it went."""

    async def alerted():
        """the team manager has been alerted about the first contact"""
        return [
            m
            for m in harness.smtp.messages[since:]
            if m["Subject"].startswith("Overdue") and FIRST_CONTACT in m["Subject"]
        ]

    [alert] = await eventually(alerted)
    assert alert["To"] == f"{harness.team.team_manager_id}@example.invalid"
    async with harness.sessionmaker() as session:
        entries = await list_chronology(family.case.case_id, session=session)
    [missed] = [e for e in entries if e["event"] == "deadline.missed" and FIRST_CONTACT in e["summary"]]
    return missed["occurred_at"]


async def test_a_deadline_passing_on_friday_night_alerts_on_monday_and_one_passing_at_two_alerts_then(
    skipping: Harness,
) -> None:
    monday = next_weekday_at(await skipping.env.get_current_time(), MONDAY, time(14, 0))
    afternoon, _, afternoon_passes = await _allocated_at(skipping, monday)
    assert local_date(afternoon_passes).weekday() == WEDNESDAY
    assert f"{afternoon_passes.astimezone(LONDON):%H:%M}" == "14:00"
    await skip_to(skipping.env, afternoon_passes + timedelta(minutes=5))
    alerted = await _first_contact_missed(skipping, afternoon, since=0)
    assert afternoon_passes <= alerted < afternoon_passes + timedelta(minutes=1)

    wednesday_night = next_weekday_at(monday, WEDNESDAY, time(23, 59))
    night, night_handle, night_passes = await _allocated_at(skipping, wednesday_night)
    since = len(skipping.smtp.messages)
    friday = local_date(night_passes)
    await skip_to(skipping.env, night_passes + timedelta(hours=1))
    [still] = [d for d in (await status(night_handle)).deadlines if d.rule_id == "fgc_coordinator_contact"]
    assert still.state is DeadlineState.PENDING
    reminder_time = at_local_time(next_working_day(friday, skipping.calendar), skipping.profile.office.reminder_time)
    await skip_to(skipping.env, reminder_time + timedelta(minutes=5))
    alerted = await _first_contact_missed(skipping, night, since)
    assert reminder_time <= alerted < reminder_time + timedelta(minutes=1)
