"""The case store activities against a real PostgreSQL, run through Temporal's ActivityEnvironment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.case_store import CaseStoreActivities
from safeguarding.codes import AgeBand, DeadlineState, HandOffState, Process, Role, TaskState
from safeguarding.commands.assessment import assessment_id
from safeguarding.models import (
    CaseFactsRequest,
    ChronologyEntry,
    DeadlineView,
    DecisionRecord,
    HandOff,
    ProcessIdRequest,
    ProcessSnapshot,
    TaskView,
)
from safeguarding.schema import chronology, deadlines, decisions, hand_offs, human_tasks, process_records
from safeguarding.store.chronology import list_chronology
from safeguarding.store.deadlines import list_deadlines
from safeguarding.store.tasks import list_open_tasks_for_team
from safeguarding.working_days import LONDON
from tests.factories import CaseIds, create_case

Sessionmaker = async_sessionmaker[AsyncSession]
REFERRAL = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
async def case(db: Sessionmaker) -> CaseIds:
    async with db.begin() as session:
        return await create_case(session)


def task(key: str, *, due_date: date | None = None) -> TaskView:
    return TaskView(key=key, decision=key, title=f"Decide {key}", allowed_roles=(Role.TEAM_MANAGER,), due_date=due_date)


def deadline(key: str = "assessment", **changes: Any) -> DeadlineView:
    values: dict[str, Any] = {
        "key": key,
        "rule_id": "assessment.conclude",
        "title": "Conclude the assessment",
        "due_date": date(2026, 5, 5),
        "passes_at": datetime(2026, 5, 5, 23, 0, tzinfo=UTC),
        "basis": "45 working days from the referral on 2 March 2026",
        "citation": "statutory-rules.md §3",
    }
    return DeadlineView(**(values | changes))


def snapshot(case: CaseIds, **changes: Any) -> ProcessSnapshot:
    values: dict[str, Any] = {
        "workflow_id": assessment_id(case.reference),
        "process": Process.ASSESSMENT,
        "case_id": case.case_id,
        "team_id": case.team_id,
        "stage": "allocated",
        "profile_ref": "example@1",
        "started_at": REFERRAL,
    }
    return ProcessSnapshot(**(values | changes))


def full_snapshot(case: CaseIds) -> ProcessSnapshot:
    return snapshot(
        case,
        tasks=(task("authorise", due_date=date(2026, 5, 5)),),
        deadlines=(deadline(),),
        decisions=(
            DecisionRecord(
                key="allocate",
                decision="allocate",
                actor_id="team-manager-1",
                actor_role=Role.TEAM_MANAGER,
                effective_at=REFERRAL,
                recorded_at=REFERRAL,
                outcome="allocated",
            ),
        ),
        chronology=(
            ChronologyEntry(key="allocated", event="AssessmentAllocated", occurred_at=REFERRAL, summary="Allocated"),
            ChronologyEntry(
                key="started", event="AssessmentStarted", occurred_at=REFERRAL.replace(hour=9), summary="Started"
            ),
        ),
        hand_offs=(HandOff(to_process=Process.JOINT_VISIT, reason="child under 5", state=HandOffState.PENDING),),
    )


async def record(db: Sessionmaker, snapshot: ProcessSnapshot) -> int:
    recorded = await ActivityEnvironment().run(CaseStoreActivities(db).record_process, snapshot)
    assert recorded.workflow_id == snapshot.workflow_id
    return recorded.chronology_written


async def everything_written(db: Sessionmaker) -> dict[str, list[dict[str, Any]]]:
    tables = (process_records, human_tasks, deadlines, decisions, chronology, hand_offs)
    async with db() as session:
        return {
            table.name: [dict(row) for row in (await session.execute(select(table))).mappings()] for table in tables
        }


async def test_recording_the_same_snapshot_twice_changes_nothing_the_second_time(
    db: Sessionmaker, case: CaseIds
) -> None:
    assert await record(db, full_snapshot(case)) == 2
    first = await everything_written(db)

    assert await record(db, full_snapshot(case)) == 0

    assert await everything_written(db) == first
    assert {name: len(rows) for name, rows in first.items()} == {
        "process_records": 1,
        "human_tasks": 1,
        "deadlines": 1,
        "decisions": 1,
        "chronology": 2,
        "hand_offs": 1,
    }


async def test_the_chronology_lists_entries_in_the_order_they_happened(db: Sessionmaker, case: CaseIds) -> None:
    await record(db, full_snapshot(case))

    async with db() as session:
        entries = await list_chronology(case.case_id, session=session)

    assert [entry["entry_key"] for entry in entries] == ["started", "allocated"]


async def test_a_task_that_leaves_the_snapshot_is_closed_and_the_rest_stay_open(
    db: Sessionmaker, case: CaseIds
) -> None:
    await record(db, snapshot(case, tasks=(task("allocate"), task("authorise"))))

    await record(db, snapshot(case, stage="assessing", tasks=(task("authorise"), task("record_visit"))))

    async with db() as session:
        open_tasks = await list_open_tasks_for_team(case.team_id, session=session)
        allocate = (
            (await session.execute(select(human_tasks).where(human_tasks.c.task_key == "allocate"))).mappings().one()
        )
    assert sorted(row["task_key"] for row in open_tasks) == ["authorise", "record_visit"]
    assert allocate["state"] == TaskState.DONE
    assert allocate["closed_at"] is not None


async def test_a_task_that_returns_to_the_snapshot_is_reopened(db: Sessionmaker, case: CaseIds) -> None:
    await record(db, snapshot(case, tasks=(task("authorise"),)))
    await record(db, snapshot(case, tasks=()))

    await record(db, snapshot(case, tasks=(task("authorise"),)))

    async with db() as session:
        open_tasks = await list_open_tasks_for_team(case.team_id, session=session)
    assert [(row["task_key"], row["closed_at"]) for row in open_tasks] == [("authorise", None)]


async def test_tasks_left_out_of_a_snapshot_stay_as_they_were(db: Sessionmaker, case: CaseIds) -> None:
    await record(db, snapshot(case, tasks=(task("allocate"), task("authorise"))))
    await record(db, snapshot(case, tasks=(task("authorise"),)))
    before = await everything_written(db)

    await record(db, snapshot(case, stage="assessing", tasks=None))

    after = await everything_written(db)
    assert after["human_tasks"] == before["human_tasks"]
    assert [row["stage"] for row in after["process_records"]] == ["assessing"]


async def test_deadlines_and_hand_offs_a_snapshot_does_not_list_are_left_alone(db: Sessionmaker, case: CaseIds) -> None:
    joint_visit = HandOff(to_process=Process.JOINT_VISIT, reason="child under 5", state=HandOffState.PENDING)
    await record(db, snapshot(case, deadlines=(deadline("assessment"), deadline("visit")), hand_offs=(joint_visit,)))
    met = deadline("visit", state=DeadlineState.MET, met_on=date(2026, 3, 9))

    await record(db, snapshot(case, deadlines=(met,)))

    written = await everything_written(db)
    assert sorted((row["deadline_key"], row["state"]) for row in written["deadlines"]) == [
        ("assessment", DeadlineState.PENDING),
        ("visit", DeadlineState.MET),
    ]
    assert [row["state"] for row in written["hand_offs"]] == [HandOffState.PENDING]


async def test_many_rows_of_each_kind_are_written_in_one_record(db: Sessionmaker, case: CaseIds) -> None:
    entries = tuple(
        ChronologyEntry(key=f"{n:05d}", event="note", occurred_at=REFERRAL.replace(minute=n), summary=f"note {n}")
        for n in range(30)
    )
    tasks = tuple(task(f"task-{n}") for n in range(12))

    assert await record(db, snapshot(case, tasks=tasks, chronology=entries)) == 30
    assert await record(db, snapshot(case, tasks=tasks[:3], chronology=entries)) == 0

    async with db() as session:
        open_tasks = await list_open_tasks_for_team(case.team_id, session=session)
    assert sorted(row["task_key"] for row in open_tasks) == sorted(t.key for t in tasks[:3])


async def test_a_changed_deadline_is_updated_in_place(db: Sessionmaker, case: CaseIds) -> None:
    workflow_id = snapshot(case).workflow_id
    await record(db, snapshot(case, deadlines=(deadline(),)))

    met = deadline(state=DeadlineState.MET, met_on=date(2026, 4, 20), responsible_id="social-worker-1")
    await record(db, snapshot(case, deadlines=(met,)))

    async with db() as session:
        rows = await list_deadlines(workflow_id, session=session)
    assert len(rows) == 1
    assert (rows[0]["state"], rows[0]["met_on"], rows[0]["responsible_id"]) == (
        DeadlineState.MET,
        date(2026, 4, 20),
        "social-worker-1",
    )


async def test_a_process_record_follows_the_stage_and_outcome(db: Sessionmaker, case: CaseIds) -> None:
    await record(db, snapshot(case))
    closed_at = datetime(2026, 4, 20, 16, 0, tzinfo=UTC)

    await record(db, snapshot(case, stage="closed", outcome="nfa", closed_at=closed_at))

    async with db() as session:
        row = (await session.execute(select(process_records))).mappings().one()
    assert (row["stage"], row["outcome"], row["closed_at"]) == ("closed", "nfa", closed_at)


async def test_a_time_in_summer_time_is_stored_as_the_same_instant(db: Sessionmaker, case: CaseIds) -> None:
    summer = datetime(2026, 7, 1, 9, 30, tzinfo=LONDON)
    entry = ChronologyEntry(key="00001", event="note", occurred_at=summer, summary="A visit at half past nine")

    await record(db, snapshot(case, closed_at=summer, chronology=(entry,)))

    written = await everything_written(db)
    assert written["process_records"][0]["closed_at"] == summer
    assert written["chronology"][0]["occurred_at"] == summer


@pytest.mark.parametrize(
    ("date_of_birth", "expected_birth_date", "on", "band"),
    [
        pytest.param(None, date(2026, 8, 1), date(2026, 3, 2), AgeBand.UNBORN, id="unborn"),
        pytest.param(date(2021, 3, 3), None, date(2026, 3, 2), AgeBand.UNDER_FIVE, id="day-before-5th-birthday"),
        pytest.param(date(2021, 3, 2), None, date(2026, 3, 2), AgeBand.FIVE_AND_OVER, id="on-5th-birthday"),
        pytest.param(date(2020, 2, 29), None, date(2025, 2, 28), AgeBand.UNDER_FIVE, id="leap-day-before-1-march"),
        pytest.param(date(2020, 2, 29), None, date(2025, 3, 1), AgeBand.FIVE_AND_OVER, id="leap-day-on-1-march"),
        pytest.param(date(2026, 1, 10), date(2026, 2, 1), date(2026, 3, 2), AgeBand.UNDER_FIVE, id="born-early"),
    ],
)
async def test_case_facts_give_the_age_band_on_the_day_asked(
    db: Sessionmaker, date_of_birth: date | None, expected_birth_date: date | None, on: date, band: AgeBand
) -> None:
    async with db.begin() as session:
        case = await create_case(session, date_of_birth=date_of_birth, expected_birth_date=expected_birth_date)

    facts = await ActivityEnvironment().run(
        CaseStoreActivities(db).get_case_facts, CaseFactsRequest(case_id=case.case_id, on=on)
    )

    assert facts.age_band is band
    assert (facts.case_reference, facts.team_id, facts.child_id) == (case.reference, case.team_id, case.child_id)


async def test_case_facts_for_a_child_with_no_dates_are_a_non_retryable_error(db: Sessionmaker) -> None:
    async with db.begin() as session:
        case = await create_case(session, date_of_birth=date(2020, 1, 1))
        await session.execute(text("UPDATE people SET date_of_birth = NULL"))

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(
            CaseStoreActivities(db).get_case_facts, CaseFactsRequest(case_id=case.case_id, on=date(2026, 3, 2))
        )

    assert (raised.value.type, raised.value.non_retryable) == ("MissingDateOfBirth", True)


async def test_case_facts_for_an_unknown_case_are_a_non_retryable_error(db: Sessionmaker) -> None:
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(
            CaseStoreActivities(db).get_case_facts, CaseFactsRequest(case_id="case-missing", on=date(2026, 3, 2))
        )

    assert (raised.value.type, raised.value.non_retryable) == ("UnknownCase", True)
    assert raised.value.message == "unknown case case-missing"


async def test_recording_a_process_for_an_unknown_case_is_a_non_retryable_error(
    db: Sessionmaker, case: CaseIds
) -> None:
    unknown = snapshot(case, case_id="case-missing")

    with pytest.raises(ApplicationError) as raised:
        await record(db, unknown)

    assert (raised.value.type, raised.value.non_retryable) == ("UnknownCase", True)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(update(chronology).values(summary="rewritten"), id="update"),
        pytest.param(delete(chronology), id="delete"),
    ],
)
async def test_the_database_refuses_to_change_the_chronology(db: Sessionmaker, case: CaseIds, change: Any) -> None:
    await record(db, full_snapshot(case))

    with pytest.raises(IntegrityError, match="append-only"):
        async with db.begin() as session:
            await session.execute(change)

    async with db() as session:
        entries = await list_chronology(case.case_id, session=session)
    assert [entry["summary"] for entry in entries] == ["Started", "Allocated"]


async def _process_id(db: Sessionmaker, case: CaseIds) -> str:
    request = ProcessIdRequest(case_id=case.case_id, process=Process.ASSESSMENT, first_id=assessment_id(case.reference))
    return await ActivityEnvironment().run(CaseStoreActivities(db).process_id_on_case, request)


async def test_a_case_s_later_assessment_takes_a_new_id_and_an_open_one_is_joined(
    db: Sessionmaker, case: CaseIds
) -> None:
    first = assessment_id(case.reference)
    assert await _process_id(db, case) == first  # no assessment yet: the first id
    await record(db, snapshot(case))
    assert await _process_id(db, case) == first  # open: joined, never a second one beside it
    await record(db, snapshot(case, stage="closed", closed_at=REFERRAL))
    assert await _process_id(db, case) == f"{first}-2"
    await record(db, snapshot(case, workflow_id=f"{first}-2", stage="closed", closed_at=REFERRAL))
    assert await _process_id(db, case) == f"{first}-3"


async def test_a_process_id_is_not_chosen_for_an_unknown_case(db: Sessionmaker) -> None:
    request = ProcessIdRequest(case_id="case-unknown", process=Process.ASSESSMENT, first_id="assessment-X")
    with pytest.raises(ApplicationError, match="unknown case case-unknown"):
        await ActivityEnvironment().run(CaseStoreActivities(db).process_id_on_case, request)
