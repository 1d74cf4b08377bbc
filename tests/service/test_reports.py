"""The reports as use cases: the partnership's escalation log (§8), the LADO's report (§6), the due-date calculator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import ClockKind, DeadlineState, DisagreementOutcome, DisagreementStage, Process, Role
from safeguarding.commands.disagreement import DisagreementLogEntry
from safeguarding.service.access import Principal
from safeguarding.service.due import due_date
from safeguarding.service.errors import Invalid, NotFound, Refused
from safeguarding.service.escalation_log import read_escalation_log
from safeguarding.service.lado_report import read_lado_report
from safeguarding.service.root import Services
from safeguarding.store.closures import announce_closure
from safeguarding.store.disagreements import upsert_disagreement
from safeguarding.store.examples import ExampleIds
from safeguarding.working_days import COUNTING_CONVENTION, LONDON, at_local_time
from tests.factories import create_case, create_team
from tests.service.records import deadline, record

Sessionmaker = async_sessionmaker[AsyncSession]
ActAs = Callable[[str], Awaitable[Principal]]
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _line(workflow_id: str, case_id: str, team_id: str, raised_at: datetime, **changes: Any) -> DisagreementLogEntry:
    values: dict[str, Any] = {
        "workflow_id": workflow_id,
        "case_id": case_id,
        "team_id": team_id,
        "partnership_id": "example-partnership",
        "about_workflow_id": "assessment-EX-0007",
        "about_key": "submit_assessment:1",
        "about_process": Process.ASSESSMENT,
        "raised_by_id": "prac-example-hv",
        "raised_by_role": Role.HEALTH_VISITOR,
        "immediate_risk": False,
        "raised_at": raised_at,
        "started_at_stage": DisagreementStage.PRACTITIONERS,
        "stage_reached": DisagreementStage.PRACTITIONERS,
        "outcome": DisagreementOutcome.OPEN,
    }
    return DisagreementLogEntry.model_validate(values | changes)


async def _log_lines(db: Sessionmaker, examples: ExampleIds) -> str:
    """Write lines on the example team's case and on another team's; return that team's id."""
    async with db.begin() as session:
        other_team = await create_team(session)
        other_case = await create_case(session, team_id=other_team)
        raised = datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
        for entry in (
            _line(
                "disagreement-ours",
                examples.school_age.case_id,
                examples.team_id,
                raised,
                stage_reached=DisagreementStage.TEAM_MANAGERS,
                outcome=DisagreementOutcome.RESOLVED,
                changed_to="cin_plan",
                closed_at=datetime(2026, 11, 9, 16, 30, tzinfo=LONDON),
            ),
            _line("disagreement-theirs", other_case.case_id, other_team, datetime(2026, 11, 3, 9, 0, tzinfo=LONDON)),
            _line(
                "disagreement-december",
                examples.school_age.case_id,
                examples.team_id,
                datetime(2026, 12, 1, tzinfo=UTC),
            ),
        ):
            await upsert_disagreement(entry, datetime.now(UTC), session=session)
    return other_team


async def test_the_escalation_log_is_the_partnerships_and_a_team_manager_sees_their_own_teams_lines(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _log_lines(db, examples)

    async def workflows(practitioner_id: str) -> list[str]:
        log = await read_escalation_log(services, await act_as(practitioner_id), "example-partnership", *NOVEMBER)
        return [line.workflow_id for line in log.lines]

    assert await workflows(examples.service_manager_id) == ["disagreement-ours", "disagreement-theirs"]
    assert await workflows(examples.designated_professional_id) == ["disagreement-ours", "disagreement-theirs"]
    assert await workflows(examples.team_manager_id) == ["disagreement-ours"]
    log = await read_escalation_log(
        services, await act_as(examples.service_manager_id), "example-partnership", *NOVEMBER
    )
    ours = log.lines[0]
    assert (ours.case_reference, ours.outcome, ours.changed_to, ours.time_taken_hours) == (
        examples.school_age.reference,
        DisagreementOutcome.RESOLVED,
        "cin_plan",
        174.5,
    )
    assert log.lines[1].time_taken_hours is None


async def test_the_escalation_log_is_refused_to_practitioners_and_a_bad_period_or_partnership_is_an_error(
    services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    for practitioner_id in (examples.social_worker_id, examples.police_officer_id, examples.lado_id):
        with pytest.raises(Refused):
            await read_escalation_log(services, await act_as(practitioner_id), "example-partnership", *NOVEMBER)
    manager = await act_as(examples.service_manager_id)
    with pytest.raises(Invalid):
        await read_escalation_log(services, manager, "example-partnership", date(2026, 11, 30), date(2026, 11, 1))
    with pytest.raises(NotFound):
        await read_escalation_log(services, manager, "another-partnership", *NOVEMBER)
    with pytest.raises(Invalid):
        await read_escalation_log(services, manager, "partnership\x00", *NOVEMBER)


async def test_the_lado_report_counts_the_caseload_and_each_target_met_missed_and_open(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    now = at_local_time(date(2026, 12, 23), time(10, 0))
    targets = ("lado_resolution_1_month", "lado_resolution_3_months", "lado_resolution_12_months")
    days = (date(2026, 12, 10), date(2027, 2, 10), date(2027, 11, 10))
    passed = [deadline(key, day, rule_id=key) for key, day in zip(targets, days, strict=True)]
    met = [deadline(key, day, rule_id=key, state=DeadlineState.MET) for key, day in zip(targets, days, strict=True)]
    later_days = (date(2027, 1, 11), date(2027, 3, 10), date(2027, 12, 10))
    later = [deadline(key, day, rule_id=key) for key, day in zip(targets, later_days, strict=True)]
    lado = Process.LADO
    await record(
        db,
        workflow_id="lado-A",
        case_id=examples.school_age.case_id,
        team_id=examples.team_id,
        process=lado,
        stage="allegation_management",
        deadlines=passed,
        responsible_id=examples.lado_id,
    )
    await record(
        db,
        workflow_id="lado-B",
        case_id=examples.under_five.case_id,
        team_id=examples.team_id,
        process=lado,
        stage="paused_police_investigation",
        deadlines=later,
    )
    await record(
        db,
        workflow_id="lado-C",
        case_id=examples.unborn.case_id,
        team_id=examples.team_id,
        process=lado,
        stage="closed",
        deadlines=met,
        closed_at=datetime(2026, 12, 1, tzinfo=UTC),
    )

    report = await read_lado_report(services, await act_as(examples.lado_manager_id), now=now)

    caseload = report.caseload
    assert (caseload.open, caseload.by_stage, caseload.by_lado) == (
        2,
        {"allegation_management": 1, "paused_police_investigation": 1},
        {examples.lado_id: 1, "unallocated": 1},
    )
    shown = {a.workflow_id: (a.next_due_rule_id, a.next_due_missed) for a in caseload.allegations}
    assert shown == {"lado-A": ("lado_resolution_1_month", True), "lado-B": ("lado_resolution_1_month", False)}
    assert {t.rule_id: (t.met, t.missed, t.open, t.share) for t in report.resolution_targets} == {
        "lado_resolution_1_month": (1, 1, 1, 0.5),
        "lado_resolution_3_months": (1, 0, 2, 1.0),
        "lado_resolution_12_months": (1, 0, 2, 1.0),
        "lado_resolution_unfounded": (0, 0, 0, None),
    }


async def test_the_lado_report_is_for_the_lado_their_manager_and_the_service_manager(
    services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    for reader in (examples.lado_id, examples.lado_manager_id, examples.service_manager_id):
        assert (await read_lado_report(services, await act_as(reader))).caseload.open == 0
    for outsider in (examples.team_manager_id, examples.social_worker_id, examples.conference_chair_id):
        with pytest.raises(Refused):
            await read_lado_report(services, await act_as(outsider))


async def test_the_due_date_counts_on_todays_calendar_with_the_closures_announced_since(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    trigger = at_local_time(date(2026, 12, 22), time(12, 0))
    health_visitor = await act_as(examples.health_visitor_id)  # any active practitioner, reading no case

    before = await due_date(services, health_visitor, "icpc", trigger)
    async with db.begin() as session:
        await announce_closure(date(2027, 1, 4), "Fictional one-off bank holiday", local=False, session=session)
    after = await due_date(services, await act_as(examples.police_officer_id), "icpc", trigger)

    assert (before.clock, before.amount, before.due_date, before.trigger) == (
        ClockKind.WORKING_DAYS,
        15,
        date(2027, 1, 15),
        trigger,
    )
    assert before.basis == (
        "15 working days after the strategy discussion on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are bank holidays"
    )
    assert after.due_date == date(2027, 1, 18)
    assert "4 Jan" in after.basis
    assert after.calendar_version != before.calendar_version
    assert (after.profile, after.counting_convention) == (services.profile.ref, COUNTING_CONVENTION)


@pytest.mark.parametrize(
    ("rule_id", "trigger", "field"),
    [
        ("icpcc", datetime(2026, 12, 22, 12, 0, tzinfo=UTC), "rule_id"),
        ("icpc", datetime(2026, 12, 22, 12, 0), "trigger_at"),
        ("icpc", datetime(2014, 12, 22, 12, 0, tzinfo=UTC), "trigger_at"),
    ],
)
async def test_an_unknown_rule_or_a_trigger_the_calendar_cannot_count_from_is_invalid(
    services: Services, examples: ExampleIds, act_as: ActAs, rule_id: str, trigger: datetime, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        await due_date(services, await act_as(examples.social_worker_id), rule_id, trigger)

    assert refused.value.field == field
