"""A child protection plan over five simulated years: continue-as-new at each review keeps histories small.

Time-skipping server only: the clock moves by years. Every core group and review is held on its due day.
"""

from __future__ import annotations

from datetime import time

from safeguarding.codes import CpCategory, DeadlineState, PlanEndReason, ReviewOutcome, Role
from safeguarding.commands.cp_plan import (
    DecideReview,
    RecordCoreGroup,
    RecordReviewReportsShared,
    ScheduleReview,
)
from safeguarding.working_days import at_local_time, local_date
from tests.fixtures.temporal import Harness
from tests.workflows.cp_plan_steps import chair, start_plan, status
from tests.workflows.test_cp_plan import run_number, started
from tests.workflows.time_control import eventually, next_weekday_at, skip_to

MONDAY, TEN = 0, time(10, 0)
REVIEWS = 10
"""A review at most every six months: the tenth falls about five years after the initial conference."""
HISTORY_LIMIT = 1_000
"""Far below Temporal's own limits (51,200 events, 50 MB): each run must stay small."""
CATEGORIES = (CpCategory.NEGLECT, CpCategory.EMOTIONAL, CpCategory.MULTIPLE)


async def test_a_five_year_plan_continues_as_new_at_each_review_and_each_run_stays_small(skipping: Harness) -> None:
    case = await skipping.new_case()
    icpc = next_weekday_at(await skipping.env.get_current_time(), MONDAY, TEN)
    await skip_to(skipping.env, icpc)
    handle = await start_plan(skipping, case, icpc)
    await started(handle)
    worker, manager = skipping.actor(Role.SOCIAL_WORKER), skipping.actor(Role.TEAM_MANAGER)
    run_lengths: list[int] = []
    core_groups = 0

    while True:
        plan = await status(handle)
        tasks = {task.decision: task for task in plan.open_tasks}
        if "schedule_review" in tasks:
            review_day = tasks["schedule_review"].due_date
            await handle.execute_update(
                "schedule_review", ScheduleReview(actor=manager, review_at=at_local_time(review_day, TEN))
            )
            continue
        name = min(
            (n for n in ("record_core_group", "record_review_reports_shared", "decide_review") if n in tasks),
            key=lambda n: tasks[n].due_date,
        )
        moment = at_local_time(tasks[name].due_date, TEN)
        if moment > await skipping.env.get_current_time():
            await skip_to(skipping.env, moment)
        if name == "record_core_group":
            await handle.execute_update("record_core_group", RecordCoreGroup(actor=worker))
            core_groups += 1
        elif name == "record_review_reports_shared":
            await handle.execute_update("record_review_reports_shared", RecordReviewReportsShared(actor=worker))
        else:
            review = plan.facts.reviews_held + 1
            run_lengths.append(len((await handle.fetch_history()).events))
            last = review == REVIEWS
            await handle.execute_update(
                "decide_review",
                DecideReview(
                    actor=chair(),
                    outcome=ReviewOutcome.END if last else ReviewOutcome.CONTINUE,
                    category=None if last else CATEGORIES[review % len(CATEGORIES)],
                    rationale="Consensus at the review conference",
                ),
            )
            if last:
                break
            await run_number(handle, review + 1)

    result = await handle.result()
    final = await status(handle)
    assert (result.reason, result.reviews_held, result.stepped_down_to_cin) == (
        PlanEndReason.NO_LONGER_AT_RISK,
        10,
        True,
    )
    assert (result.ended_on - local_date(icpc)).days > 4 * 365
    assert final.facts.runs == REVIEWS
    assert len(run_lengths) == REVIEWS and max(run_lengths) < HISTORY_LIMIT, run_lengths
    assert final.facts.core_groups_held == core_groups and core_groups > 30
    assert final.facts.two_years_flagged is True
    assert all(d.state in (DeadlineState.MET, DeadlineState.CANCELLED) for d in final.deadlines)

    async def flagged():
        """the service manager was told, once, that the plan reached two years"""
        subjects = [
            m["Subject"]
            for m in skipping.smtp.messages
            if m["To"] == f"{skipping.team.service_manager_id}@example.invalid"
        ]
        return subjects.count(f"Child protection plan at two years: case {case.reference}") == 1 or None

    await eventually(flagged)
