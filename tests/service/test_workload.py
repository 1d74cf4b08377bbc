"""The managers' workload over the real case store: by team and worker as the tray counts, and who may read it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import DeadlineState, Role
from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.service.tray import count_team_tasks
from safeguarding.service.workload import WorkCounts, read_workload
from safeguarding.store.examples import PRACTITIONERS, ExampleIds
from safeguarding.working_days import at_local_time
from tests.factories import create_case, create_practitioner, create_team
from tests.service.records import deadline, record, task

Sessionmaker = async_sessionmaker[AsyncSession]
ActAs = Callable[[str], Awaitable[Principal]]

# Wed 23 Dec 2026, mid-morning: the week ends on Sunday 27 Dec.
NOW = at_local_time(date(2026, 12, 23), time(10, 0))
DEC = {day: date(2026, 12, day) for day in range(20, 32)}


async def _workload(db: Sessionmaker, examples: ExampleIds) -> tuple[str, str]:
    """Write tasks of the example team (two assigned to its social worker, two unassigned) and one of another team.

    Returns the other team's id and its worker's id.
    """
    case, team, worker = examples.school_age.case_id, examples.team_id, examples.social_worker_id
    rows = [
        ("late", DEC[21], worker, deadline("late", DEC[21])),
        ("missed", DEC[30], worker, deadline("missed", DEC[30], state=DeadlineState.MISSED)),  # overdue, not this week
        ("tonight", DEC[23], None, deadline("tonight", DEC[23])),
        ("christmas_eve", DEC[24], None, None),
        ("new_year", DEC[30], worker, deadline("new_year", DEC[30])),
    ]
    for key, due, assignee, clock in rows:
        await record(
            db,
            workflow_id=f"assessment-{key}",
            case_id=case,
            team_id=team,
            tasks=[task(key, due, assignee=assignee)],
            deadlines=[clock] if clock else [],
        )
    async with db.begin() as session:
        other = await create_team(session, name="Another Fictional Team")
        other_worker = await create_practitioner(session, team_id=other, given_name="Zed", family_name="Other")
        other_case = await create_case(session, team_id=other)
    await record(
        db,
        workflow_id="assessment-other",
        case_id=other_case.case_id,
        team_id=other,
        tasks=[task("other", DEC[24], assignee=other_worker)],
    )
    return other, other_worker


def _counts(line: WorkCounts) -> tuple[int, int, int, int]:
    return (line.overdue, line.due_today, line.due_this_week, line.open)


async def test_a_team_manager_sees_their_teams_work_by_worker_with_the_unassigned_tasks_apart(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _workload(db, examples)
    manager = await act_as(examples.team_manager_id)

    workload = await read_workload(services, manager, now=NOW)

    assert (workload.team_id, workload.week_ends) == (examples.team_id, DEC[27])
    _, given_name, family_name = PRACTITIONERS[Role.SOCIAL_WORKER]
    assert [(w.practitioner_id, w.name, _counts(w)) for w in workload.workers] == [
        (examples.social_worker_id, f"{given_name} {family_name}", (2, 0, 0, 3)),
        (None, None, (0, 1, 2, 2)),
    ]
    [team] = workload.teams
    assert (team.team_id, _counts(team)) == (examples.team_id, (2, 1, 2, 5))
    assert [choice.team_id for choice in workload.choices] == [examples.team_id]


async def test_the_team_line_agrees_with_the_teams_tray_counts(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    await _workload(db, examples)
    manager = await act_as(examples.team_manager_id)

    [team] = (await read_workload(services, manager, now=NOW)).teams
    tray = await count_team_tasks(services, manager, examples.team_id, now=NOW)

    assert _counts(team) == (tray.overdue, tray.due_today, tray.due_this_week, tray.open)


async def test_a_service_manager_sees_every_team_or_the_one_they_choose(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    other, other_worker = await _workload(db, examples)
    head = await act_as(examples.service_manager_id)

    every = await read_workload(services, head, now=NOW)
    one = await read_workload(services, head, team_id=other, now=NOW)

    assert every.team_id is None
    assert {team.team_id: _counts(team) for team in every.teams} == {
        examples.team_id: (2, 1, 2, 5),
        other: (0, 0, 1, 1),
    }
    assert [(w.team_id, w.practitioner_id, w.name) for w in one.workers] == [(other, other_worker, "Zed Other")]
    assert {examples.team_id, other} <= {choice.team_id for choice in every.choices}


async def test_a_team_with_no_open_work_is_shown_with_nothing_counted(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    manager = await act_as(examples.team_manager_id)

    workload = await read_workload(services, manager, now=NOW)

    assert [(team.team_id, _counts(team)) for team in workload.teams] == [(examples.team_id, (0, 0, 0, 0))]
    assert workload.workers == []


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.CONFERENCE_CHAIR, Role.ADMINISTRATOR, Role.LADO])
async def test_anyone_but_the_managers_is_refused_and_the_refusal_logged(
    services: Services, examples: ExampleIds, act_as: ActAs, caplog: pytest.LogCaptureFixture, role: Role
) -> None:
    caplog.set_level(logging.WARNING, logger="safeguarding.refusals")
    reader = await act_as(examples.practitioner_id(role))

    with pytest.raises(Refused) as refused:
        await read_workload(services, reader, now=NOW)

    assert refused.value.reason.startswith(f"a {role} may not read workload")
    assert any(f"refused read_workload by {reader.practitioner_id}" in r.getMessage() for r in caplog.records)


async def test_a_team_manager_naming_another_team_is_refused_and_the_refusal_logged(
    db: Sessionmaker, services: Services, examples: ExampleIds, act_as: ActAs, caplog: pytest.LogCaptureFixture
) -> None:
    other, _ = await _workload(db, examples)
    caplog.set_level(logging.WARNING, logger="safeguarding.refusals")
    manager = await act_as(examples.team_manager_id)

    with pytest.raises(Refused) as refused:
        await read_workload(services, manager, team_id=other, now=NOW)

    assert (
        refused.value.reason == f"this is team {other}'s work; {manager.practitioner_id} is in team {manager.team_id}"
    )
    assert any(f"refused read_workload by {manager.practitioner_id}" in r.getMessage() for r in caplog.records)


async def test_an_unknown_or_malformed_team_is_a_clear_error(
    services: Services, examples: ExampleIds, act_as: ActAs
) -> None:
    head = await act_as(examples.service_manager_id)

    with pytest.raises(NotFound) as unknown:
        await read_workload(services, head, team_id="team-nosuch", now=NOW)
    with pytest.raises(Invalid) as malformed:
        await read_workload(services, head, team_id="team\x00one", now=NOW)

    assert unknown.value.reason == "no team 'team-nosuch'"
    assert malformed.value.field == "team_id"
