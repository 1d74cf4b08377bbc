"""A case's chronology and deadlines, and a process's deadlines, read through the case's team."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import DeadlineState, Process
from safeguarding.models import ChronologyEntry
from safeguarding.service.access import Principal
from safeguarding.service.chronology import list_case_chronology
from safeguarding.service.cursors import encode_cursor
from safeguarding.service.deadlines import list_case_deadlines, list_process_deadlines
from safeguarding.service.errors import Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.store.examples import ExampleIds
from tests.factories import create_practitioner, create_team
from tests.service.records import deadline, record

Sessionmaker = async_sessionmaker[AsyncSession]
ActAs = Callable[[str], Awaitable[Principal]]


def _entry(key: str, occurred_at: datetime, actor_id: str | None = None) -> ChronologyEntry:
    return ChronologyEntry(
        key=key, event=f"event.{key}", occurred_at=occurred_at, summary=f"What {key} was", actor_id=actor_id
    )


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


async def _two_processes(db: Sessionmaker, examples: ExampleIds) -> None:
    """An assessment and a strategy discussion on the school-age case, each with entries and deadlines."""
    case, team = examples.school_age.case_id, examples.team_id
    await record(
        db,
        workflow_id="assessment-EX-0007",
        case_id=case,
        team_id=team,
        deadlines=[
            deadline("assessment", date(2026, 12, 29)),
            deadline("visit", date(2026, 11, 20), state=DeadlineState.MET),
        ],
        chronology=[
            _entry("started", _at(2, 9)),
            _entry("allocated", _at(3, 10), examples.team_manager_id),
            _entry("seen", _at(5, 15), examples.social_worker_id),
        ],
    )
    await record(
        db,
        workflow_id="strategy-EX-0007",
        case_id=case,
        team_id=team,
        process=Process.STRATEGY_DISCUSSION,
        stage="discussion",
        deadlines=[deadline("strategy", date(2026, 12, 1), rule_id="strategy_discussion")],
        chronology=[
            _entry("concerns", _at(3, 10)),  # at the same moment as the allocation: both shown, in write order
            _entry("held", _at(4, 11), examples.team_manager_id),
        ],
    )


async def test_the_chronology_is_newest_first_a_page_at_a_time_without_a_duplicate_or_a_gap(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _two_processes(db, examples)
    worker = await act_as(examples.social_worker_id)
    case = examples.school_age.case_id

    pages = [await list_case_chronology(services, worker, case, limit=2)]
    # A new entry is written while the first page is read: it is newer, so the pages after it are unchanged.
    await record(
        db,
        workflow_id="assessment-EX-0007",
        case_id=case,
        team_id=examples.team_id,
        chronology=[_entry("late_news", _at(9, 9))],
    )
    while (cursor := pages[-1].next_cursor) is not None:
        pages.append(await list_case_chronology(services, worker, case, limit=2, cursor=cursor))

    entries = [entry for page in pages for entry in page.entries]
    assert [entry.event for entry in entries] == [
        "event.seen",
        "event.held",
        "event.concerns",
        "event.allocated",
        "event.started",
    ]
    assert [len(page.entries) for page in pages] == [2, 2, 1]
    assert pages[0].case_reference == examples.school_age.reference
    seen = entries[0]
    assert (seen.actor_id, seen.occurred_at, seen.summary, seen.workflow_id, seen.process) == (
        examples.social_worker_id,
        _at(5, 15),
        "What seen was",
        "assessment-EX-0007",
        Process.ASSESSMENT,
    )
    assert entries[1].process is Process.STRATEGY_DISCUSSION
    newest = await list_case_chronology(services, worker, case, limit=1)
    assert [entry.event for entry in newest.entries] == ["event.late_news"]


async def test_a_case_has_its_processes_deadlines_in_the_order_they_pass_and_a_process_its_own(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _two_processes(db, examples)
    manager = await act_as(examples.team_manager_id)

    case = await list_case_deadlines(services, manager, examples.school_age.case_id)
    strategy = await list_process_deadlines(services, manager, "strategy-EX-0007")

    assert [(d.workflow_id, d.key, d.state) for d in case.deadlines] == [
        ("assessment-EX-0007", "visit", DeadlineState.MET),
        ("strategy-EX-0007", "strategy", DeadlineState.PENDING),
        ("assessment-EX-0007", "assessment", DeadlineState.PENDING),
    ]
    assert case.case_reference == examples.school_age.reference
    [only] = strategy.deadlines
    assert (strategy.process, strategy.case_id, only.rule_id, only.process) == (
        Process.STRATEGY_DISCUSSION,
        examples.school_age.case_id,
        "strategy_discussion",
        Process.STRATEGY_DISCUSSION,
    )
    assert only.basis == "counted for strategy: due Tue 1 Dec 2026"


async def test_a_case_is_read_by_its_team_and_the_roles_that_span_teams_and_refused_to_others(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs, caplog: pytest.LogCaptureFixture
) -> None:
    await _two_processes(db, examples)
    async with db.begin() as session:
        other_team = await create_team(session)
        stranger = await create_practitioner(session, team_id=other_team)
    case = examples.school_age.case_id

    for reader in (examples.team_manager_id, examples.edt_worker_id, examples.lado_id):
        principal = await act_as(reader)
        assert len((await list_case_deadlines(services, principal, case)).deadlines) == 3
        assert len((await list_case_chronology(services, principal, case)).entries) == 5

    caplog.set_level(logging.WARNING, logger="safeguarding.refusals")
    for outsider in (stranger, examples.health_visitor_id, examples.police_officer_id):
        principal = await act_as(outsider)
        with pytest.raises(Refused):
            await list_case_deadlines(services, principal, case)
        with pytest.raises(Refused):
            await list_case_chronology(services, principal, case)
        with pytest.raises(Refused):
            await list_process_deadlines(services, principal, "assessment-EX-0007")
        assert any(outsider in r.getMessage() and case in r.getMessage() for r in caplog.records)


async def test_an_unknown_case_or_process_is_not_found_and_a_malformed_id_or_page_is_invalid(
    services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    manager = await act_as(examples.team_manager_id)
    case = examples.school_age.case_id

    with pytest.raises(NotFound):
        await list_case_deadlines(services, manager, "case-nowhere")
    with pytest.raises(NotFound):
        await list_case_chronology(services, manager, "case-nowhere")
    with pytest.raises(NotFound):
        await list_process_deadlines(services, manager, "assessment-nowhere")
    for malformed in ("case\x00", "Fictional Child", "c" * 65):
        with pytest.raises(Invalid) as refused:
            await list_case_chronology(services, manager, malformed)
        assert refused.value.field == "case_id"
    with pytest.raises(Invalid):
        await list_process_deadlines(services, manager, "assessment\n")
    for limit in (0, 201):
        with pytest.raises(Invalid) as refused:
            await list_case_chronology(services, manager, case, limit=limit)
        assert refused.value.field == "limit"
    for cursor in (
        "%%%",
        encode_cursor("tray", "2026-12-01", 3),
        encode_cursor("chronology", "2026-11-05T15:00:00", 3),
    ):
        with pytest.raises(Invalid) as refused:
            await list_case_chronology(services, manager, case, cursor=cursor)
        assert refused.value.field == "cursor"
