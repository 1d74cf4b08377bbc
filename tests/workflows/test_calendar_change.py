"""A bank holiday announced mid-case moves every copy of a date people read (statutory-rules.md §1, §5, §9).

The status facts (the initial conference's target date, shown by the enquiry and by the conference; a
plan's two years), the work tray's due dates and the letters sent afterwards all show the new date.
Time-skipping server only: the letters go out days, or weeks, later.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from safeguarding.codes import EnquiryOutcome, StrategyOutcome
from safeguarding.deadlines import office_moment
from safeguarding.models import CalendarUpdate, ProcessStatus
from safeguarding.schema import human_tasks
from safeguarding.working_days import (
    ClosedDay,
    WorkingCalendar,
    add_calendar_months,
    at_local_time,
    describe_day,
    local_date,
    next_working_day,
    previous_working_day,
    subtract_working_days,
)
from tests.fixtures.temporal import Harness
from tests.workflows.child_protection_steps import conclude, conference, enquiry, hold_and_decide, start_discussion
from tests.workflows.cp_plan_steps import start_plan
from tests.workflows.test_cp_plan import started
from tests.workflows.time_control import eventually, skip_to


def _announce(calendar: WorkingCalendar, day: date) -> WorkingCalendar:
    """Return `calendar` with a one-off bank holiday announced on `day`."""
    return WorkingCalendar.of([*calendar.closed_days, ClosedDay(day=day, name="One-off bank holiday")])


async def _status(handle) -> ProcessStatus:
    return await handle.query("status", result_type=ProcessStatus)


async def _letters(harness: Harness, subject: str, text: str):
    """Return the e-mails whose subject has `subject`, once one of them says `text`."""

    async def arrived():
        """the letter has arrived"""
        letters = [m for m in harness.smtp.messages if subject in m["Subject"]]
        return letters if any(text in m.get_content() for m in letters) else None

    return await eventually(arrived)


async def test_a_bank_holiday_announced_moves_the_initial_conferences_date_everywhere_it_is_shown(
    skipping: Harness,
) -> None:
    case = await skipping.new_case()
    now = await skipping.env.get_current_time()
    discussion = await start_discussion(skipping, case, now - timedelta(hours=1))
    await hold_and_decide(skipping, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    s47 = await enquiry(skipping, case)
    target = (await _status(s47)).facts.icpc_target_date

    first = _announce(skipping.calendar, next_working_day(local_date(now), skipping.calendar))
    await s47.execute_update("apply_calendar", CalendarUpdate(calendar=first))
    in_enquiry = (await _status(s47)).facts.icpc_target_date
    assert in_enquiry == next_working_day(target, first)

    await conclude(skipping, s47, EnquiryOutcome.SUBSTANTIATED)
    icpc = await conference(skipping, case)
    assert (await _status(icpc)).facts.icpc_target_date == in_enquiry

    second = _announce(first, subtract_working_days(in_enquiry, 1, first))
    assert await icpc.execute_update("apply_calendar", CalendarUpdate(calendar=second), result_type=list[str]) == [
        "icpc"
    ]
    moved = await _status(icpc)
    new_date = next_working_day(in_enquiry, second)
    async with skipping.sessionmaker() as session:
        tray = (
            await session.execute(
                select(human_tasks.c.due_date).where(
                    human_tasks.c.workflow_id == icpc.id, human_tasks.c.task_key == "schedule_conference"
                )
            )
        ).scalar_one()

    assert moved.deadlines[0].due_date == new_date
    assert moved.facts.icpc_target_date == new_date
    assert tray == new_date
    await skip_to(skipping.env, office_moment(subtract_working_days(new_date, 5, second), skipping.profile))
    await _letters(skipping, "Hold the initial child protection conference", f"is due by {describe_day(new_date)}")


async def test_a_bank_holiday_announced_on_a_plans_two_year_date_moves_the_flag_and_its_letter(
    skipping: Harness,
) -> None:
    # The plan's initial conference was nearly two years ago: its two-year date is a week or so ahead.
    today = local_date(await skipping.env.get_current_time())
    held_on = add_calendar_months(today + timedelta(days=10), -24)
    handle = await start_plan(skipping, await skipping.new_case(), at_local_time(held_on, time(10, 0)))
    await started(handle)

    async def flag_set():
        """the plan shows when it reaches two years"""
        return (await _status(handle)).facts.two_years_on

    two_years = await eventually(flag_set)

    newer = _announce(skipping.calendar, two_years)
    await handle.execute_update("apply_calendar", CalendarUpdate(calendar=newer))
    moved = previous_working_day(two_years, newer)
    assert (await _status(handle)).facts.two_years_on == moved

    await skip_to(skipping.env, office_moment(moved, skipping.profile) + timedelta(minutes=30))
    await _letters(skipping, "Child protection plan at two years", f"has lasted two years on {describe_day(moved)}")
    assert (await _status(handle)).facts.two_years_flagged is True
