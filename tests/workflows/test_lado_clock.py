"""The LADO's process against the clock: a police-led case paused for months (statutory-rules.md §1, §6).

Time-skipping server only: these tests move the clock by weeks.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import DeadlineState, EmployerStrand, LadoOutcome
from safeguarding.commands.lado import RecordAllegationMeeting, RecordEmployerAction, RecordPoliceInvestigation
from safeguarding.deadlines import office_moment
from safeguarding.stages import LadoStage
from safeguarding.working_days import add_working_days
from tests.fixtures.temporal import Harness
from tests.workflows.lado_steps import (
    consider,
    deadline,
    notification_form,
    outcome,
    seed_lado_team,
    start_lado,
    status,
)
from tests.workflows.time_control import eventually, next_weekday_at, skip_to

MONDAY, TUESDAY = 0, 1


async def test_a_police_led_case_pauses_the_employers_strands_but_not_the_targets_or_the_review_meetings(
    skipping: Harness,
) -> None:
    team = await seed_lado_team(skipping)
    monday = next_weekday_at(await skipping.env.get_current_time(), MONDAY, time(10, 0))
    await skip_to(skipping.env, monday)
    form = notification_form(team, came_to_attention_at=monday - timedelta(hours=1), notified_at=monday)
    handle = await start_lado(skipping, team, form)
    lado = team.actor()
    await handle.execute_update("consider_allegation", consider(team, police=True))
    await skip_to(skipping.env, next_weekday_at(monday, TUESDAY, time(11, 0)))
    await handle.execute_update("record_allegation_meeting", RecordAllegationMeeting(actor=lado, summary="AMM"))
    await handle.execute_update(
        "record_police_investigation",
        RecordPoliceInvestigation(actor=lado, under_way=True, rationale="Police lead a criminal investigation"),
    )

    paused = await status(handle)
    assert (paused.stage, paused.facts.paused) == (LadoStage.PAUSED, "police investigation")
    with pytest.raises(WorkflowUpdateFailedError) as waits:
        await handle.execute_update(
            "record_employer_action",
            RecordEmployerAction(actor=lado, strand=EmployerStrand.INVESTIGATION, report="Interviews planned"),
        )
    assert "investigation waits while the police investigate" in str(waits.value.cause)
    with pytest.raises(WorkflowUpdateFailedError) as not_yet:
        await handle.execute_update("record_allegation_outcome", outcome(team, LadoOutcome.UNSUBSTANTIATED))
    assert "police investigation is still running" in str(not_yet.value.cause)
    await handle.execute_update(
        "record_employer_action",
        RecordEmployerAction(
            actor=lado,
            strand=EmployerStrand.SUSPENSION,
            report="Not suspended",
            suspended=False,
            alternatives_considered="Moved to a role without contact with pupils",
            rationale="Risk managed by redeployment",
        ),
    )

    review_due = deadline(paused, "meeting_2")
    await skip_to(skipping.env, review_due.passes_at - timedelta(days=1))
    await handle.execute_update("record_allegation_meeting", RecordAllegationMeeting(actor=lado, summary="Review 1"))
    target = deadline(paused, "resolution_1_month")
    calendar, profile = skipping.calendar, skipping.profile
    escalation = office_moment(
        add_working_days(target.due_date, profile.escalation.service_manager_after_working_days, calendar), profile
    )
    await skip_to(skipping.env, escalation + timedelta(hours=1))

    async def alerted():
        """the LADO's manager is alerted that the 1-month target passed, then again (escalation)"""
        about = [m for m in skipping.smtp.messages if "target: 80% of cases" in m["Subject"]]
        late = [m["To"] for m in about if "verdue" in m["Subject"]]
        return late if len(late) == 2 else None

    assert await eventually(alerted) == [f"{team.manager_id}@example.invalid"] * 2
    still = await status(handle)
    assert still.stage == "paused_police_investigation"
    assert deadline(still, "resolution_1_month").state is DeadlineState.MISSED
    assert deadline(still, "meeting_2").state is DeadlineState.MET
    reminded = [m["To"] for m in skipping.smtp.messages if m["Subject"].startswith("Reminder")]
    assert reminded and set(reminded) == {f"{team.lado_id}@example.invalid"}

    await handle.execute_update(
        "record_police_investigation", RecordPoliceInvestigation(actor=lado, under_way=False, rationale="No charge")
    )
    await handle.execute_update("record_allegation_outcome", outcome(team, LadoOutcome.UNSUBSTANTIATED))
    result = await handle.result()
    final = await status(handle)

    assert result.outcome == "unsubstantiated"
    assert deadline(final, "resolution_1_month").state is DeadlineState.MISSED
    assert deadline(final, "resolution_1_month").met_on is not None
    assert deadline(final, "resolution_3_months").state is DeadlineState.MET
    assert final.facts.paused is None
