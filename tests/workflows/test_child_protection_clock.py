"""The initial conference's clocks: its 15 working days over Christmas and New Year, and the reminder to
share the reports with the parents (statutory-rules.md §1, §5).

Time-skipping server only: the clock moves by days, or to the next 22 December.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from safeguarding.codes import EnquiryOutcome, Role, StrategyOutcome
from safeguarding.commands.conference import ScheduleConference
from safeguarding.models import ProcessStatus
from safeguarding.working_days import add_working_days, at_local_time, local_date, subtract_working_days
from tests.factories import create_case
from tests.fixtures.temporal import Harness
from tests.workflows.child_protection_steps import conclude, conference, enquiry, hold_and_decide, start_discussion
from tests.workflows.time_control import eventually, skip_to

# Counted by hand from the published bank holidays (statutory-rules.md §1).
CHRISTMAS_WINDOWS = {
    2026: (date(2027, 1, 15), "on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are bank holidays"),
    2027: (date(2028, 1, 17), "on Wed 22 Dec 2027; 27, 28 Dec and 3 Jan are bank holidays"),
    2028: (date(2029, 1, 17), "on Fri 22 Dec 2028; 25, 26 Dec and 1 Jan are bank holidays"),
}


async def test_an_initial_conference_window_across_christmas_skips_the_bank_holidays(skipping: Harness) -> None:
    now = await skipping.env.get_current_time()
    year = now.year if (now.month, now.day) < (12, 22) else now.year + 1
    if year not in CHRISTMAS_WINDOWS:
        pytest.skip(f"SKIPPED LOUDLY: no hand-counted Christmas window for {year}: add one to CHRISTMAS_WINDOWS")
    expected_due, expected_basis = CHRISTMAS_WINDOWS[year]
    case = await skipping.new_case()
    discussion_at = at_local_time(date(year, 12, 22), time(10, 0))
    await skip_to(skipping.env, discussion_at)

    discussion = await start_discussion(skipping, case, discussion_at)
    await hold_and_decide(skipping, discussion, StrategyOutcome.S47_JOINT_WITH_POLICE)
    await conclude(skipping, await enquiry(skipping, case), EnquiryOutcome.SUBSTANTIATED)
    icpc = await (await conference(skipping, case)).query("status", result_type=ProcessStatus)
    [deadline] = icpc.deadlines

    assert deadline.due_date == expected_due
    assert deadline.basis == (
        "15 working days after the strategy discussion that started the section 47 enquiry " + expected_basis
    )
    assert icpc.facts.icpc_target_date == expected_due


async def test_the_reminder_to_share_the_reports_reaches_the_allocated_social_worker(skipping: Harness) -> None:
    social_worker = skipping.team.social_worker_id
    async with skipping.sessionmaker.begin() as session:
        case = await create_case(session, team_id=skipping.team.team_id, allocated_practitioner_id=social_worker)
    now = await skipping.env.get_current_time()
    discussion = await start_discussion(skipping, case, now - timedelta(hours=1))
    await hold_and_decide(skipping, discussion, StrategyOutcome.S47_JOINT_WITH_POLICE)
    await conclude(skipping, await enquiry(skipping, case), EnquiryOutcome.SUBSTANTIATED)
    icpc = await conference(skipping, case)
    held_on = add_working_days(local_date(now), 12, skipping.calendar)
    schedule = ScheduleConference(
        actor=skipping.actor(Role.TEAM_MANAGER), conference_at=at_local_time(held_on, time(10))
    )
    await icpc.execute_update("schedule_conference", schedule)
    status = await icpc.query("status", result_type=ProcessStatus)
    [reports] = [d for d in status.deadlines if d.key == "icpc_reports_to_parents"]
    first_reminder = subtract_working_days(
        reports.due_date, max(skipping.profile.reminders.working_days_before), skipping.calendar
    )

    await skip_to(skipping.env, at_local_time(first_reminder, time(12)))
    reminded = await eventually(lambda: skipping.recipients("Share reports with parents"))

    assert reports.responsible_id == social_worker
    assert reminded == [social_worker]
