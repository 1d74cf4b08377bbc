"""The initial conference's 15 working days over Christmas and New Year (statutory-rules.md §1, §5).

Time-skipping server only: the clock moves to the next 22 December.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from safeguarding.codes import EnquiryOutcome, StrategyOutcome
from safeguarding.models import ProcessStatus
from safeguarding.working_days import at_local_time
from tests.fixtures.temporal import Harness
from tests.workflows.child_protection_steps import conclude, conference, enquiry, hold_and_decide, start_discussion
from tests.workflows.time_control import skip_to

# Counted by hand from the published bank holidays (statutory-rules.md §1).
CHRISTMAS_WINDOWS = {
    2026: (date(2027, 1, 15), "on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are bank holidays"),
    2027: (date(2028, 1, 17), "on Wed 22 Dec 2027; 27, 28 Dec and 3 Jan are bank holidays"),
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
    assert icpc.facts["icpc_target_date"] == expected_due.isoformat()
