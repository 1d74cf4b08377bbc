"""The plan's clocks on hard dates (§1, §5): month ends clamped, and due days moved back off weekends and holidays.

Time-skipping server only: each conference is held on its date, years ahead of today (the server's clock
starts at the present and cannot go back, so a date that has passed can no longer be tested).
"""

from __future__ import annotations

from datetime import date, time

from safeguarding.codes import CpCategory, ReviewOutcome
from safeguarding.commands.cp_plan import DecideReview
from safeguarding.working_days import at_local_time
from tests.fixtures.temporal import Harness
from tests.workflows.cp_plan_steps import chair, due, start_plan, status
from tests.workflows.test_cp_plan import run_number, started
from tests.workflows.time_control import skip_to

TEN = time(10, 0)


async def _plan_at(harness: Harness, day: date):
    await skip_to(harness.env, at_local_time(day, TEN))
    handle = await start_plan(harness, await harness.new_case(), at_local_time(day, TEN))
    await started(handle)
    return handle


async def test_review_and_core_group_dates_are_clamped_to_month_ends_and_moved_back_off_closed_days(
    skipping: Harness,
) -> None:
    # Years far ahead, as the server's clock only moves forward from today, each conference after the last.
    # 29 Dec + 3 months is Easter Monday 29 Mar 2032; Good Friday and the weekend before too: due Thu 25 Mar.
    easter = await status(await _plan_at(skipping, date(2031, 12, 29)))
    assert due(easter, "review_1").due_date == date(2032, 3, 25)

    # 30 Nov + 3 months is "30 Feb": clamped to Sun 28 Feb 2038, a weekend, so due Fri 26 Feb.
    november = await status(await _plan_at(skipping, date(2037, 11, 30)))
    assert due(november, "core_group_1").due_date == date(2037, 12, 14)
    assert due(november, "review_1").due_date == date(2038, 2, 26)
    assert "Sun 28 Feb 2038 is a weekend" in due(november, "review_1").basis

    # An initial conference just before Christmas: 25, 28 Dec and 1 Jan are not working days.
    christmas = await status(await _plan_at(skipping, date(2037, 12, 18)))
    assert due(christmas, "core_group_1").due_date == date(2038, 1, 6)
    assert "25, 28 Dec and 1 Jan are bank holidays" in due(christmas, "core_group_1").basis


async def test_a_review_on_the_31st_sets_the_next_six_months_on_at_the_months_end_moved_back_off_a_weekend(
    skipping: Harness,
) -> None:
    handle = await _plan_at(skipping, date(2027, 12, 31))
    assert due(await status(handle), "review_1").due_date == date(2028, 3, 31)

    await skip_to(skipping.env, at_local_time(date(2028, 3, 31), TEN))
    await handle.execute_update(
        "decide_review",
        DecideReview(
            actor=chair(), outcome=ReviewOutcome.CONTINUE, category=CpCategory.PHYSICAL, rationale="Consensus"
        ),
    )
    await run_number(handle, 2)
    continued = await status(handle)

    # 31 Mar + 6 months is "31 Sep": clamped to Sat 30 Sep 2028, a weekend, so due Fri 29 Sep.
    assert due(continued, "review_2").due_date == date(2028, 9, 29)
    assert continued.facts.category_history.endswith("2028-03-31 PHY")
