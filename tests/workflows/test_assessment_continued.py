"""An assessment continued as new carries everything: deadlines as absolute dates, decisions, stage."""

from __future__ import annotations

from datetime import timedelta

from safeguarding.codes import AgeBand, AssessmentOutcome, DeadlineState, Role
from safeguarding.commands.assessment import (
    AssessmentCarried,
    AssessmentInput,
    AssessmentState,
    Authorise,
    assessment_id,
)
from safeguarding.deadlines import compute_due
from safeguarding.models import DecisionRecord
from safeguarding.process_state import ProcessCore, TrackedDeadline
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import status, submit
from tests.workflows.time_control import last_working_day_at


async def test_a_continued_assessment_keeps_its_deadline_and_decisions_and_finishes(harness: Harness) -> None:
    case = await harness.new_case()
    now = await harness.env.get_current_time()
    referral = last_working_day_at(now, harness.calendar)
    due = compute_due(harness.profile, "assessment", referral, harness.calendar)
    allocated = DecisionRecord(
        key="allocate:1",
        decision="allocate",
        actor_id=harness.team.team_manager_id,
        actor_role=Role.TEAM_MANAGER,
        effective_at=referral,
        recorded_at=referral,
        outcome=f"allocated to {harness.team.social_worker_id}",
    )
    carried = AssessmentCarried(
        core=ProcessCore(
            stage="in_progress",
            started_at=referral,
            calendar=harness.calendar,
            deadlines={
                "assessment": TrackedDeadline(
                    key="assessment",
                    due=due,
                    trigger_label="the referral",
                    responsible_id=harness.team.social_worker_id,
                )
            },
            decisions=[allocated],
            chronology_seq=7,
            responsible_id=harness.team.social_worker_id,
        ),
        state=AssessmentState(
            age_band=AgeBand.FIVE_AND_OVER,
            social_worker_id=harness.team.social_worker_id,
            child_seen_at=referral + timedelta(hours=2),
        ),
    )
    handle = await harness.start(
        "Assessment",
        AssessmentInput(context=harness.context(case), referral_at=referral, carried=carried),
        assessment_id(case.reference),
        result_type=DecisionRecord,
    )
    resumed = await status(handle)
    assert resumed.stage == "in_progress"
    assert resumed.deadlines[0].due_date == due.due_date
    assert [d.decision for d in resumed.decisions] == ["allocate"]

    await submit(harness, handle, AssessmentOutcome.NFA)
    await handle.execute_update(
        "authorise",
        Authorise(actor=harness.actor(Role.TEAM_MANAGER), outcome=AssessmentOutcome.NFA, rationale="No needs"),
    )
    await handle.result()
    final = await status(handle)
    assert final.deadlines[0].state is DeadlineState.MET
    assert [d.decision for d in final.decisions] == ["allocate", "submit_assessment", "authorise"]
