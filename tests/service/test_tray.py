"""The work tray over the real case store: order, red/amber/green on the calendar, windows, pages, scopes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, time

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import DeadlineState, Process, Role
from safeguarding.service.access import Principal
from safeguarding.service.cursors import encode_cursor
from safeguarding.service.errors import Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.service.tray import (
    amber_until,
    count_my_tasks,
    count_team_tasks,
    list_my_tasks,
    list_team_tasks,
    rag_of,
)
from safeguarding.service.tray_models import DueWindow, Rag, TrayPage, TrayQuery
from safeguarding.store.closures import announce_closure
from safeguarding.store.examples import ExampleIds
from safeguarding.working_days import at_local_time
from tests.factories import create_case, create_practitioner, create_team
from tests.service.records import deadline, record, task

Sessionmaker = async_sessionmaker[AsyncSession]
ActAs = Callable[[str], Awaitable[Principal]]

# Wed 23 Dec 2026, mid-morning. Fri 25 Dec and Mon 28 Dec (for Boxing Day, a Saturday) are bank holidays, so
# the 2nd working day after today is Tue 29 Dec: two working days away, six calendar days.
CHRISTMAS = at_local_time(date(2026, 12, 23), time(10, 0))
DEC = {day: date(2026, 12, day) for day in range(20, 32)}


@pytest.mark.parametrize(
    ("today", "working_days", "last_amber"),
    [
        (date(2026, 12, 23), 2, date(2026, 12, 29)),  # 25 Dec, and 28 Dec for Boxing Day on a Saturday
        (date(2026, 4, 2), 2, date(2026, 4, 8)),  # Good Friday 3 Apr and Easter Monday 6 Apr
        (date(2026, 12, 26), 1, date(2026, 12, 29)),  # from a Saturday: the next working day is day 1
        (date(2026, 5, 1), 1, date(2026, 5, 5)),  # the early May bank holiday, Mon 4 May
        (date(2026, 12, 23), 0, date(2026, 12, 23)),  # 0: due today only
    ],
)
def test_amber_reaches_the_nth_working_day_after_today(today: date, working_days: int, last_amber: date) -> None:
    assert amber_until(today, working_days, england_and_wales_calendar(today=today)) == last_amber


def test_red_is_overdue_amber_is_a_running_deadline_due_by_the_last_amber_day_green_the_rest() -> None:
    last = DEC[29]
    assert rag_of(overdue=True, running=True, due_date=DEC[30], amber_until=last) is Rag.RED
    assert rag_of(overdue=False, running=True, due_date=last, amber_until=last) is Rag.AMBER
    assert rag_of(overdue=False, running=True, due_date=DEC[30], amber_until=last) is Rag.GREEN
    assert rag_of(overdue=False, running=False, due_date=DEC[23], amber_until=last) is Rag.GREEN  # met already
    assert rag_of(overdue=False, running=True, due_date=None, amber_until=last) is Rag.GREEN


async def _christmas_tray(db: Sessionmaker, examples: ExampleIds) -> None:
    """Write one task per process on the school-age case, each with the deadline it is due against."""
    case, team = examples.school_age.case_id, examples.team_id
    rows = [
        ("late", DEC[21], deadline("late", DEC[21])),
        ("this_morning", DEC[23], deadline("this_morning", DEC[23], passes_at=at_local_time(DEC[23], time(9, 0)))),
        ("tonight", DEC[23], deadline("tonight", DEC[23])),
        ("christmas_eve", DEC[24], None),
        ("after_christmas", DEC[29], deadline("after_christmas", DEC[29])),
        ("new_year", DEC[30], deadline("new_year", DEC[30])),
        ("undated", None, None),
    ]
    for key, due, clock in rows:
        await record(
            db,
            workflow_id=f"assessment-{key}",
            case_id=case,
            team_id=team,
            tasks=[task(key, due)],
            deadlines=[clock] if clock else [],
        )


def _keys(page: TrayPage) -> list[str]:
    return [item.task_key for item in page.items]


async def test_the_tray_is_soonest_due_first_undated_last_each_coloured_against_its_deadline_over_christmas(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _christmas_tray(db, examples)
    manager = await act_as(examples.team_manager_id)

    page = await list_my_tasks(services, manager, now=CHRISTMAS)

    assert [(item.task_key, item.due_date, item.rag) for item in page.items] == [
        ("late", DEC[21], Rag.RED),
        ("this_morning", DEC[23], Rag.RED),  # due today, but its hours clock passed at 09:00
        ("tonight", DEC[23], Rag.AMBER),
        ("christmas_eve", DEC[24], Rag.AMBER),
        ("after_christmas", DEC[29], Rag.AMBER),  # the 2nd working day: 25 and 28 Dec are bank holidays
        ("new_year", DEC[30], Rag.GREEN),
        ("undated", None, Rag.GREEN),
    ]
    assert page.amber_within_working_days == services.profile.tray.amber_within_working_days == 2
    assert page.next_cursor is None
    [after] = [item for item in page.items if item.task_key == "after_christmas"]
    assert after.deadline is not None
    assert (after.deadline.key, after.deadline.basis, after.deadline.state) == (
        "after_christmas",
        "counted for after_christmas: due Tue 29 Dec 2026",
        DeadlineState.PENDING,
    )
    assert (after.process, after.stage, after.workflow_id) == (
        Process.ASSESSMENT,
        "in_progress",
        "assessment-after_christmas",
    )
    assert (after.case_id, after.case_reference, after.assignee_id) == (
        examples.school_age.case_id,
        examples.school_age.reference,
        None,
    )
    assert [item.deadline for item in page.items if item.task_key in ("christmas_eve", "undated")] == [None, None]


async def test_a_closure_announced_on_christmas_eve_brings_the_next_deadline_into_amber(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _christmas_tray(db, examples)
    manager = await act_as(examples.team_manager_id)
    before = await list_my_tasks(services, manager, now=CHRISTMAS)
    async with db.begin() as session:
        await announce_closure(DEC[24], "Fictional local closure", local=True, session=session)

    after = await list_my_tasks(services, manager, now=CHRISTMAS)

    colours = {item.task_key: item.rag for item in after.items}
    assert (colours["christmas_eve"], colours["after_christmas"], colours["new_year"]) == (
        Rag.AMBER,
        Rag.AMBER,
        Rag.AMBER,  # 24 Dec closed too: 29 Dec is the 1st working day, 30 Dec the 2nd
    )
    assert after.calendar_version != before.calendar_version


async def test_a_missed_deadline_is_red_before_its_moment_and_a_met_one_is_not_red_after_it(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    case, team = examples.school_age.case_id, examples.team_id
    await record(
        db,
        workflow_id="assessment-missed",
        case_id=case,
        team_id=team,
        tasks=[task("missed", DEC[30])],
        deadlines=[deadline("missed", DEC[30], state=DeadlineState.MISSED)],
    )
    await record(
        db,
        workflow_id="assessment-met",
        case_id=case,
        team_id=team,
        tasks=[task("met", DEC[21])],
        deadlines=[deadline("met", DEC[21], state=DeadlineState.MET)],
    )
    manager = await act_as(examples.team_manager_id)

    page = await list_my_tasks(services, manager, now=CHRISTMAS)
    overdue = await list_my_tasks(services, manager, TrayQuery(window=DueWindow.OVERDUE), now=CHRISTMAS)

    assert {item.task_key: item.rag for item in page.items} == {"met": Rag.GREEN, "missed": Rag.RED}
    assert _keys(overdue) == ["missed"]


async def test_the_due_windows_are_counted_on_the_calendar_and_leave_overdue_tasks_to_their_own(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _christmas_tray(db, examples)
    manager = await act_as(examples.team_manager_id)

    async def keys(**query: object) -> list[str]:
        return _keys(await list_my_tasks(services, manager, TrayQuery.model_validate(query), now=CHRISTMAS))

    assert await keys(window="overdue") == ["late", "this_morning"]
    assert await keys(window="today") == ["tonight"]
    assert await keys(window="this_week") == ["tonight", "christmas_eve"]  # to Sunday 27 Dec
    assert await keys(window="next_working_days", working_days=2) == ["tonight", "christmas_eve", "after_christmas"]
    assert await keys(window="next_working_days", working_days=3) == [
        "tonight",
        "christmas_eve",
        "after_christmas",
        "new_year",
    ]
    assert await keys(due_from=DEC[21], due_to=DEC[23]) == ["late", "this_morning", "tonight"]
    assert await keys(due_from=DEC[24]) == ["christmas_eve", "after_christmas", "new_year"]


async def test_the_counts_for_the_navigation_match_the_windows(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _christmas_tray(db, examples)
    manager = await act_as(examples.team_manager_id)

    counts = await count_team_tasks(services, manager, examples.team_id, now=CHRISTMAS)
    mine = await count_my_tasks(services, manager, now=CHRISTMAS)

    assert (counts.overdue, counts.due_today, counts.due_this_week, counts.open) == (2, 1, 2, 7)
    assert counts.week_ends == DEC[27]
    assert mine.model_dump() == counts.model_dump()
    for window, count in ((DueWindow.OVERDUE, 2), (DueWindow.TODAY, 1), (DueWindow.THIS_WEEK, 2)):
        page = await list_team_tasks(services, manager, examples.team_id, TrayQuery(window=window), now=CHRISTMAS)
        assert len(page.items) == count, window


async def test_filters_by_process_and_stage_read_the_process_record(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    case, team = examples.school_age.case_id, examples.team_id
    await record(db, workflow_id="assessment-a", case_id=case, team_id=team, tasks=[task("authorise", DEC[29])])
    await record(
        db,
        workflow_id="strategy-a",
        case_id=case,
        team_id=team,
        process=Process.STRATEGY_DISCUSSION,
        stage="discussion",
        tasks=[task("decide_strategy", DEC[30])],
    )
    await record(
        db,
        workflow_id="strategy-b",
        case_id=case,
        team_id=team,
        process=Process.STRATEGY_DISCUSSION,
        stage="circulation",
        tasks=[task("record_circulated", DEC[31])],
    )
    manager = await act_as(examples.team_manager_id)

    async def keys(query: TrayQuery) -> list[str]:
        return _keys(await list_team_tasks(services, manager, examples.team_id, query, now=CHRISTMAS))

    assert await keys(TrayQuery(process=Process.STRATEGY_DISCUSSION)) == ["decide_strategy", "record_circulated"]
    assert await keys(TrayQuery(process=Process.STRATEGY_DISCUSSION, stage="circulation")) == ["record_circulated"]
    assert await keys(TrayQuery(stage="in_progress")) == ["authorise"]
    assert await keys(TrayQuery(process=Process.LADO)) == []


async def test_pages_follow_one_another_without_a_duplicate_or_a_gap_even_when_a_task_closes_between_them(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    case, team = examples.school_age.case_id, examples.team_id
    dues = [DEC[29], None, DEC[22], DEC[29], None, DEC[22], DEC[30], DEC[29]]
    for n, due in enumerate(dues):
        await record(db, workflow_id=f"assessment-{n}", case_id=case, team_id=team, tasks=[task(f"task_{n}", due)])
    manager = await act_as(examples.team_manager_id)
    everything = _keys(await list_my_tasks(services, manager, TrayQuery(limit=200), now=CHRISTMAS))

    pages = [await list_my_tasks(services, manager, TrayQuery(limit=3), now=CHRISTMAS)]
    first_seen = pages[0].items[0]
    # It is done while the practitioner reads the first page: the pages after it start where that one ended.
    await record(db, workflow_id=first_seen.workflow_id, case_id=case, team_id=team, tasks=[])
    while (cursor := pages[-1].next_cursor) is not None:
        pages.append(await list_my_tasks(services, manager, TrayQuery(limit=3, cursor=cursor), now=CHRISTMAS))

    paged = [key for page in pages for key in _keys(page)]
    assert paged == everything
    assert len(everything) == len(set(everything)) == len(dues)
    assert [len(page.items) for page in pages] == [3, 3, 2]
    dates = [item.due_date for page in pages for item in page.items]
    assert dates == [*sorted(d for d in dates if d), None, None]


async def test_a_malformed_cursor_or_one_from_another_list_is_refused_as_invalid(
    services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    manager = await act_as(examples.team_manager_id)

    for cursor in (
        "not-a-cursor",
        encode_cursor("chronology", "2026-12-23T10:00:00+00:00", 1),
        encode_cursor("tray", 1),
    ):
        with pytest.raises(Invalid) as refused:
            await list_my_tasks(services, manager, TrayQuery(cursor=cursor), now=CHRISTMAS)
        assert refused.value.field == "cursor"


@pytest.mark.parametrize(
    "query",
    [
        {"working_days": 3},
        {"window": "next_working_days"},
        {"window": "today", "due_from": "2026-12-01"},
        {"due_from": "2026-12-02", "due_to": "2026-12-01"},
        {"stage": "In Progress"},
        {"limit": 0},
        {"unknown": 1},
    ],
)
def test_a_query_that_does_not_hold_together_is_refused_before_anything_is_read(query: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TrayQuery.model_validate(query)


async def test_mine_is_what_is_assigned_to_me_and_what_my_role_may_take_in_my_team(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    async with db.begin() as session:
        other_team = await create_team(session)
        other_case = await create_case(session, team_id=other_team)
        other_worker = await create_practitioner(session, team_id=examples.team_id)
    case, team = examples.school_age.case_id, examples.team_id
    sw, edt = Role.SOCIAL_WORKER, Role.EDT_WORKER
    await record(
        db,
        workflow_id="assessment-mine",
        case_id=case,
        team_id=team,
        tasks=[
            task("assigned_to_me", DEC[29], roles=[sw], assignee=examples.social_worker_id),
            task("for_my_role", DEC[29], roles=[sw]),
            task("for_the_manager", DEC[29]),
            task("assigned_to_a_colleague", DEC[29], roles=[sw], assignee=other_worker),
            task("out_of_hours_here", DEC[30], roles=[edt]),
        ],
    )
    await record(
        db,
        workflow_id="assessment-elsewhere",
        case_id=other_case.case_id,
        team_id=other_team,
        tasks=[
            task("for_my_role_elsewhere", DEC[29], roles=[sw]),
            task("out_of_hours_elsewhere", DEC[31], roles=[edt]),
        ],
    )

    social_worker = await list_my_tasks(services, await act_as(examples.social_worker_id), now=CHRISTMAS)
    manager = await list_my_tasks(services, await act_as(examples.team_manager_id), now=CHRISTMAS)
    duty = await list_my_tasks(services, await act_as(examples.edt_worker_id), now=CHRISTMAS)

    assert sorted(_keys(social_worker)) == ["assigned_to_me", "for_my_role"]
    assert _keys(manager) == ["for_the_manager"]
    # The emergency duty team covers every team out of hours: the unassigned tasks of its role, in any team.
    assert _keys(duty) == ["out_of_hours_here", "out_of_hours_elsewhere"]


async def test_a_teams_tray_is_for_its_manager_and_the_roles_that_span_teams_and_a_refusal_is_logged(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs, caplog: pytest.LogCaptureFixture
) -> None:
    async with db.begin() as session:
        other_team = await create_team(session)
        other_manager = await create_practitioner(session, team_id=other_team, role=Role.TEAM_MANAGER)
    await _christmas_tray(db, examples)
    team = examples.team_id

    own = await list_team_tasks(services, await act_as(examples.team_manager_id), team, now=CHRISTMAS)
    head_of_service = await list_team_tasks(services, await act_as(examples.service_manager_id), team, now=CHRISTMAS)
    chair = await count_team_tasks(services, await act_as(examples.conference_chair_id), team, now=CHRISTMAS)

    assert len(own.items) == len(head_of_service.items) == chair.open == 7
    caplog.set_level(logging.WARNING, logger="safeguarding.refusals")
    for practitioner_id in (other_manager, examples.social_worker_id, examples.health_visitor_id):
        principal = await act_as(practitioner_id)
        with pytest.raises(Refused):
            await list_team_tasks(services, principal, team, now=CHRISTMAS)
        with pytest.raises(Refused):
            await count_team_tasks(services, principal, team, now=CHRISTMAS)
        assert any(practitioner_id in record.getMessage() for record in caplog.records)
    assert all("Example-" not in record.getMessage() for record in caplog.records)  # ids only, never a name
    head = await act_as(examples.service_manager_id)
    with pytest.raises(NotFound):
        await list_team_tasks(services, head, "team-nowhere", now=CHRISTMAS)
    with pytest.raises(Invalid):
        await count_team_tasks(services, head, "team\x00", now=CHRISTMAS)
