"""Bad decisions on a child protection plan are refused with a reason, and the plan keeps running (§5)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from pydantic import ValidationError
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import CpCategory, DeadlineState, PlanEndReason, ReviewOutcome, Role
from safeguarding.commands.cp_plan import (
    DecideReview,
    EndWithoutConference,
    RecordBirth,
    RecordCoreGroup,
    RecordReviewReportsShared,
    ScheduleReview,
)
from safeguarding.models import Actor
from safeguarding.working_days import at_local_time, local_date, next_working_day, subtract_working_days
from tests.fixtures.temporal import Harness
from tests.workflows.cp_plan_steps import chair, due, start_plan, status
from tests.workflows.test_cp_plan import days_ago, run_number, started


async def refusal(handle, update: str, command) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(update, command)
    return str(refused.value.cause)


async def test_bad_review_decisions_are_refused_with_reasons_and_the_plan_keeps_running(harness: Harness) -> None:
    case = await harness.new_case()
    icpc = await days_ago(harness, 20)
    handle = await start_plan(harness, case, icpc)
    await started(handle)
    now = await harness.env.get_current_time()
    held = icpc + timedelta(days=10)

    def decide(actor: Actor | None = None, **changes) -> DecideReview:
        values = {"actor": actor or chair(), "outcome": ReviewOutcome.CONTINUE, "category": CpCategory.NEGLECT}
        return DecideReview(**(values | {"effective_at": held, "rationale": "Consensus"} | changes))

    manager = harness.actor(Role.TEAM_MANAGER)
    own_team_chair = Actor(practitioner_id="chair-2", role=Role.CONFERENCE_CHAIR, team_id=case.team_id)
    assert "may not make this decision" in await refusal(handle, "decide_review", decide(manager))
    assert "independent of the case's line management" in await refusal(handle, "decide_review", decide(own_team_chair))
    assert "a rationale is required" in await refusal(handle, "decide_review", decide(rationale=None))
    assert "in the future" in await refusal(handle, "decide_review", decide(effective_at=now + timedelta(days=2)))
    assert "dated before" in await refusal(handle, "decide_review", decide(effective_at=icpc - timedelta(days=1)))
    malformed = {"actor": chair().model_dump(), "outcome": "adjourn", "rationale": "x"}
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update("decide_review", malformed)
    with pytest.raises(ValidationError, match="states the category"):
        DecideReview(actor=chair(), outcome=ReviewOutcome.CONTINUE, rationale="Consensus")
    with pytest.raises(ValidationError, match="no category"):
        DecideReview(actor=chair(), outcome=ReviewOutcome.END, category=CpCategory.NEGLECT, rationale="x")

    await handle.execute_update("decide_review", decide())
    await run_number(handle, 2)
    assert "already decided" in await refusal(handle, "decide_review", decide())
    assert (await status(handle)).facts.reviews_held == 1


async def test_bad_plan_records_and_endings_are_refused(harness: Harness) -> None:
    case = await harness.new_case()
    icpc = await days_ago(harness, 10)
    handle = await start_plan(harness, case, icpc)
    await started(handle)
    other_worker = Actor(practitioner_id="social-worker-other", role=Role.SOCIAL_WORKER, team_id=case.team_id)
    manager = harness.actor(Role.TEAM_MANAGER)

    assert "lead social worker" in await refusal(handle, "record_core_group", RecordCoreGroup(actor=other_worker))
    assert "not a pre-birth plan" in await refusal(handle, "record_birth", RecordBirth(actor=manager))
    assert "no review is scheduled" in await refusal(
        handle, "record_review_reports_shared", RecordReviewReportsShared(actor=manager)
    )
    await handle.execute_update("record_core_group", RecordCoreGroup(actor=manager, effective_at=icpc))
    assert "already recorded" in await refusal(
        handle, "record_core_group", RecordCoreGroup(actor=manager, effective_at=icpc + timedelta(hours=2))
    )

    today = local_date(await harness.env.get_current_time())
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    assert "not a working day" in await refusal(
        handle, "schedule_review", ScheduleReview(actor=chair(), review_at=at_local_time(saturday, icpc.timetz()))
    )
    assert "still to come" in await refusal(handle, "schedule_review", ScheduleReview(actor=chair(), review_at=icpc))

    def end(**changes) -> EndWithoutConference:
        values = {"actor": manager, "reason": PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY, "rationale": "Moved"}
        return EndWithoutConference(**(values | changes))

    with pytest.raises(ValidationError, match="transfer-in conference"):
        end()
    with pytest.raises(ValidationError, match="only for a move"):
        end(reason=PlanEndReason.DIED, transfer_in_conference_on=today)
    with pytest.raises(ValidationError):
        end(reason=PlanEndReason.NO_LONGER_AT_RISK)
    assert "a rationale is required" in await refusal(
        handle, "end_without_conference", end(transfer_in_conference_on=today, rationale=None)
    )
    assert "not been held yet" in await refusal(
        handle, "end_without_conference", end(transfer_in_conference_on=today + timedelta(days=3))
    )
    assert "on or after the transfer-in conference" in await refusal(
        handle,
        "end_without_conference",
        end(transfer_in_conference_on=today, effective_at=icpc + timedelta(hours=1)),
    )
    worker = harness.actor(Role.SOCIAL_WORKER)
    assert "may not make this decision" in await refusal(
        handle, "end_without_conference", end(actor=worker, transfer_in_conference_on=today)
    )
    assert (await status(handle)).stage == "active"


async def test_reports_to_parents_fall_due_before_the_scheduled_review_and_move_with_it(harness: Harness) -> None:
    case = await harness.new_case()
    handle = await start_plan(harness, case, await days_ago(harness, 3))
    await started(handle)
    today = local_date(await harness.env.get_current_time())
    first = next_working_day(today + timedelta(days=20), harness.calendar)
    moved = next_working_day(first + timedelta(days=7), harness.calendar)

    await handle.execute_update(
        "schedule_review", ScheduleReview(actor=chair(), review_at=at_local_time(first, _ten()))
    )
    await handle.execute_update(
        "schedule_review",
        ScheduleReview(actor=harness.actor(Role.TEAM_MANAGER), review_at=at_local_time(moved, _ten())),
    )
    scheduled = await status(handle)
    assert due(scheduled, "review_1_reports_1").state is DeadlineState.EXTENDED
    reports = due(scheduled, "review_1_reports_2")
    assert reports.due_date == subtract_working_days(moved, 5, harness.calendar)
    assert [t.decision for t in scheduled.open_tasks] == [
        "record_core_group",
        "record_review_reports_shared",
        "decide_review",
    ]

    await handle.execute_update(
        "record_review_reports_shared", RecordReviewReportsShared(actor=harness.actor(Role.SOCIAL_WORKER))
    )
    shared = await status(handle)
    assert due(shared, "review_1_reports_2").state is DeadlineState.MET
    assert "record_review_reports_shared" not in [t.decision for t in shared.open_tasks]


def _ten() -> time:
    return time(10, 0)
