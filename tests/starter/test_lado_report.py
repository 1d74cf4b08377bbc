"""`python -m starter lado-report` as the LADO's manager runs it: caseload and targets from the case store."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from safeguarding.codes import DeadlineState, LadoOutcome
from safeguarding.commands.lado import ConsiderAllegation, RecordPoliceInvestigation
from safeguarding.models import ProcessStatus
from safeguarding.schema import deadlines
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.workflows.lado_steps import consider, harm_test, notification_form, outcome, seed_lado_team, start_lado
from tests.workflows.time_control import eventually


async def test_the_report_counts_open_allegations_by_stage_and_the_share_resolved_within_each_target(
    worker: Harness, cli: Cli
) -> None:
    team = await seed_lado_team(worker)
    now = await worker.env.get_current_time()

    async def allegation(days_ago: int):
        notified = now - timedelta(days=days_ago)
        form = notification_form(team, came_to_attention_at=notified, notified_at=notified)
        return await start_lado(worker, team, form)

    resolved, paused, below_threshold = await allegation(3), await allegation(10), await allegation(1)
    not_unfounded_after_all = await allegation(20)
    looks_unfounded = consider(team).model_copy(update={"clearly_unfounded_or_malicious": True})
    await resolved.execute_update("consider_allegation", consider(team))
    await resolved.execute_update("record_allegation_outcome", outcome(team, LadoOutcome.FALSE))
    await not_unfounded_after_all.execute_update("consider_allegation", looks_unfounded)
    await not_unfounded_after_all.execute_update("record_allegation_outcome", outcome(team, LadoOutcome.SUBSTANTIATED))
    await paused.execute_update("consider_allegation", looks_unfounded)
    await paused.execute_update(
        "record_police_investigation", RecordPoliceInvestigation(actor=team.actor(), under_way=True)
    )
    await below_threshold.execute_update(
        "consider_allegation",
        ConsiderAllegation(actor=team.actor(), harm_test=harm_test(met=False), advice_to_employer="Supervise"),
    )

    await _recorded(worker, paused.id, "lado_resolution_unfounded")

    ran = await cli("lado-report", "--actor", team.lado_id)

    assert ran.code == 0, ran.stderr
    report = ran.json()
    caseload = report["caseload"]
    assert (caseload["open"], caseload["by_stage"], caseload["by_lado"]) == (
        1,
        {"paused_police_investigation": 1},
        {team.lado_id: 1},
    )
    assert [a["workflow_id"] for a in caseload["allegations"]] == [paused.id]
    # Its week to resolve a clearly unfounded allegation has passed: that is its next date due, shown as missed.
    unfounded = next(
        d
        for d in (await paused.query("status", result_type=ProcessStatus)).deadlines
        if d.rule_id == "lado_resolution_unfounded"
    )
    [shown] = caseload["allegations"]
    assert datetime.fromisoformat(shown["next_due"]) == unfounded.passes_at
    assert (shown["next_due_rule_id"], shown["next_due_missed"]) == ("lado_resolution_unfounded", True)
    targets = {t["rule_id"]: (t["met"], t["missed"], t["open"], t["share"]) for t in report["resolution_targets"]}
    assert targets == {
        "lado_resolution_1_month": (2, 0, 1, 1.0),
        "lado_resolution_3_months": (2, 0, 1, 1.0),
        "lado_resolution_12_months": (2, 0, 1, 1.0),
        "lado_resolution_unfounded": (0, 1, 0, 0.0),
    }
    assert "Fictional-Subject" not in ran.stdout


async def _recorded(worker: Harness, workflow_id: str, rule_id: str) -> None:
    """Wait until the case store records the process's `rule_id` deadline."""

    async def recorded() -> bool:
        """the case store holds the deadline (missed, or still pending after its date: both show as missed)"""
        async with worker.sessionmaker() as session:
            query = select(deadlines.c.state).where(
                deadlines.c.workflow_id == workflow_id, deadlines.c.rule_id == rule_id
            )
            return (await session.scalar(query)) in (DeadlineState.MISSED, DeadlineState.PENDING)

    await eventually(recorded)
