"""The family group conference against the clock: reminders to every participant, and a missed clock (§1, §7).

Time-skipping server only: these tests move the clock by days.
"""

from __future__ import annotations

from datetime import time, timedelta

from safeguarding.codes import DeadlineState, Role
from safeguarding.commands.fgc import AllocateFgcCoordinator
from safeguarding.working_days import at_local_time, local_date, next_working_day, previous_working_day
from tests.fixtures.temporal import Harness
from tests.workflows.fgc_steps import (
    allocate_and_prepare,
    invite_and_arrange,
    refer_and_agree,
    seed_family,
    single_meeting,
    start_fgc,
    status,
)
from tests.workflows.time_control import eventually, skip_to


async def test_every_participant_is_reminded_on_the_working_day_before_the_meeting(skipping: Harness) -> None:
    family = await seed_family(skipping)
    handle = await start_fgc(skipping, family)
    await refer_and_agree(skipping, handle, family)
    await allocate_and_prepare(skipping, handle, family)
    await invite_and_arrange(skipping, handle, family, single_meeting(family), ahead=timedelta(days=10))
    meeting = next(d for d in (await status(handle)).decisions if d.decision == "arrange_fgc_conference")
    arranged = await skipping.env.get_current_time()
    meeting_day = local_date(arranged + timedelta(days=10))
    reminder_at = at_local_time(previous_working_day(meeting_day, skipping.calendar), time(9, 0))

    await skip_to(skipping.env, reminder_at + timedelta(minutes=5))

    async def reminded():
        """four reminders have been sent"""
        subjects = [m["Subject"] for m in skipping.smtp.messages]
        return len([s for s in subjects if s.startswith("Reminder: family group conference")]) >= 4

    await eventually(reminded)
    reminders = [m for m in skipping.smtp.messages if m["Subject"].startswith("Reminder: family group conference")]
    invitations = [m for m in skipping.smtp.messages if m["Subject"].startswith("Invitation")]
    assert sorted(m["To"] for m in reminders) == sorted(m["To"] for m in invitations)
    assert "Northtown Family Hub" in reminders[0].get_content()
    assert meeting.outcome.startswith("meeting 1 ")


async def test_a_coordinator_who_has_not_contacted_the_family_in_48_hours_alerts_the_team_manager(
    skipping: Harness,
) -> None:
    family = await seed_family(skipping)
    handle = await start_fgc(skipping, family)
    await refer_and_agree(skipping, handle, family)
    await handle.execute_update(
        "allocate_fgc_coordinator",
        AllocateFgcCoordinator(actor=skipping.actor(Role.TEAM_MANAGER), coordinator_id=family.coordinator_id),
    )
    [contact] = [d for d in (await status(handle)).deadlines if d.rule_id == "fgc_coordinator_contact"]
    assert contact.due_at is not None and contact.responsible_id == family.coordinator_id

    # The alert goes in office hours: by the next working day's reminder time at the latest.
    next_morning = next_working_day(local_date(contact.passes_at), skipping.calendar)
    await skip_to(
        skipping.env, at_local_time(next_morning, skipping.profile.office.reminder_time) + timedelta(minutes=5)
    )

    async def missed():
        """the first contact shows as missed"""
        deadlines = (await status(handle)).deadlines
        return next(d for d in deadlines if d.rule_id == "fgc_coordinator_contact").state is DeadlineState.MISSED

    await eventually(missed)
    overdue = [m for m in skipping.smtp.messages if m["Subject"].startswith("Overdue")]
    assert [m["To"] for m in overdue] == [f"{skipping.team.team_manager_id}@example.invalid"]
    assert "Coordinator makes first contact with the family" in overdue[0]["Subject"]
