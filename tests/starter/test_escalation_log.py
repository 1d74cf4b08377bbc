"""`python -m starter escalation-log`: a partnership's professional disagreements over a period (§8)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import DisagreementOutcome, DisagreementStage, Process, Role
from safeguarding.commands.disagreement import DisagreementLogEntry
from safeguarding.store.disagreements import upsert_disagreement
from safeguarding.store.examples import ExampleIds
from safeguarding.working_days import LONDON
from tests.starter.conftest import Cli


def _entry(examples: ExampleIds, workflow_id: str, raised_at: datetime, **changes) -> DisagreementLogEntry:
    line = {
        "workflow_id": workflow_id,
        "case_id": examples.school_age.case_id,
        "team_id": examples.team_id,
        "partnership_id": "example-partnership",
        "about_workflow_id": "assessment-EX-0007",
        "about_key": "submit_assessment:1",
        "about_process": Process.ASSESSMENT,
        "about_outcome": "recommends family_support_plan",
        "raised_by_id": examples.health_visitor_id,
        "raised_by_role": Role.HEALTH_VISITOR,
        "immediate_risk": False,
        "raised_at": raised_at,
        "started_at_stage": DisagreementStage.PRACTITIONERS,
        "stage_reached": DisagreementStage.PRACTITIONERS,
        "outcome": DisagreementOutcome.OPEN,
    }
    return DisagreementLogEntry.model_validate({**line, **changes})


async def _log(db: async_sessionmaker[AsyncSession], *entries: DisagreementLogEntry) -> None:
    async with db.begin() as session:
        for entry in entries:
            await upsert_disagreement(entry, datetime.now(LONDON), session=session)


async def test_the_log_lists_the_partnerships_disagreements_of_the_period_with_stage_time_and_outcome(
    cli: Cli, db: async_sessionmaker[AsyncSession], examples: ExampleIds
) -> None:
    raised = datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
    resolved = _entry(
        examples,
        "disagreement-EX-0007-1",
        raised,
        stage_reached=DisagreementStage.TEAM_MANAGERS,
        outcome=DisagreementOutcome.RESOLVED,
        changed_to="cin_plan",
        closed_at=datetime(2026, 11, 9, 16, 30, tzinfo=LONDON),
    )
    await _log(
        db,
        _entry(examples, "disagreement-EX-0007-0", raised),  # rewritten below: one line per disagreement
        resolved,
        _entry(examples, "disagreement-EX-0007-2", datetime(2026, 11, 30, 23, 30, tzinfo=LONDON), immediate_risk=True),
        _entry(examples, "disagreement-EX-0007-3", datetime(2026, 12, 1, 0, 30, tzinfo=LONDON)),
        _entry(examples, "disagreement-other", raised, partnership_id="another-partnership"),
    )
    await _log(db, _entry(examples, "disagreement-EX-0007-0", raised, outcome=DisagreementOutcome.REFUSED))

    ran = await cli(
        "escalation-log",
        "--partnership",
        "example-partnership",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--actor",
        examples.service_manager_id,
    )

    assert ran.code == 0, ran.stderr
    lines = ran.json()
    assert [line["workflow_id"] for line in lines] == [
        "disagreement-EX-0007-0",
        "disagreement-EX-0007-1",
        "disagreement-EX-0007-2",
    ]
    assert lines[0]["outcome"] == "refused"
    assert {key: lines[1][key] for key in ("case_reference", "raised_by_role", "about_key", "stage_reached")} == {
        "case_reference": "EX-0007",
        "raised_by_role": "health_visitor",
        "about_key": "submit_assessment:1",
        "stage_reached": "team_managers",
    }
    assert (lines[1]["outcome"], lines[1]["changed_to"], lines[1]["time_taken_hours"]) == (
        "resolved",
        "cin_plan",
        174.5,
    )
    assert (lines[2]["immediate_risk"], lines[2]["closed_at"], lines[2]["time_taken_hours"]) == (True, None, None)


async def test_a_period_that_ends_before_it_starts_or_a_malformed_day_is_refused(cli: Cli) -> None:
    period = ("--from", "2026-11-30", "--to", "2026-11-01")
    backwards = await cli("escalation-log", "--partnership", "p", *period, "--actor", "prac-example-sm")
    period = ("--from", "30/11/2026", "--to", "2026-12-01")
    malformed = await cli("escalation-log", "--partnership", "p", *period, "--actor", "prac-example-sm")

    assert (backwards.code, backwards.error) == (
        2,
        "escalation-log: --to 2026-11-01 is before --from 2026-11-30",
    )
    assert (malformed.code, malformed.error) == (
        2,
        "escalation-log: --from '30/11/2026' is not a date such as 2026-04-01",
    )
