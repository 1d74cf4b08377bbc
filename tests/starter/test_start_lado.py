"""`python -m starter start lado`: an allegation recorded and the LADO's process started, or nothing written."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.service import RPCError

from safeguarding.commands.lado import lado_workflow_id
from safeguarding.schema import cases, lado_allegations, people
from safeguarding.store.examples import ExampleIds
from safeguarding.store.lado import list_children
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli, Ran
from tests.workflows.lado_steps import seed_lado_team
from tests.workflows.time_control import last_working_day_at

SUBJECT_FAMILY_NAME = "Fictional-Subject"


def _moments(worker: Harness) -> tuple[str, str]:
    """Return when the concern reached the employer (10:00 on the last working day) and the LADO was told (12:00)."""
    attention = last_working_day_at(datetime.now(UTC), worker.calendar)
    return attention.isoformat(), (attention + timedelta(hours=2)).isoformat()


async def start_lado(cli: Cli, worker: Harness, lado_id: str, reference: str, *changes: str) -> Ran:
    """Run `start lado` with a complete notification; `changes` are appended, so they replace a value given here."""
    attention, notified = _moments(worker)
    return await cli(
        "start",
        "lado",
        "--reference",
        reference,
        "--lado",
        lado_id,
        "--subject-given-name",
        "Alex",
        "--subject-family-name",
        SUBJECT_FAMILY_NAME,
        "--subject-date-of-birth",
        "1990-04-12",
        "--subject-role",
        "teaching assistant",
        "--employer",
        "Fictional Academy Trust",
        "--setting",
        "Fictional Primary School",
        "--what-happened",
        "A pupil said the member of staff grabbed their arm hard in the corridor.",
        "--came-to-attention-at",
        attention,
        "--action-taken",
        "The designated safeguarding lead wrote down what the pupil said.",
        "--notifier",
        "employer",
        "--notifier-name",
        "Fictional Headteacher",
        "--method",
        "phone",
        "--notified-at",
        notified,
        *changes,
    )


async def _written(db: async_sessionmaker[AsyncSession]) -> list[int]:
    """Return how many allegations, cases and people the case store holds."""
    async with db() as session:
        return [
            (await session.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (lado_allegations, cases, people)
        ]


def _reference() -> str:
    """Return a fresh reference of the example authority's form (`^LADO-[0-9]{4,8}$`)."""
    return f"LADO-{secrets.randbelow(10**8):08d}"


async def test_an_allegation_is_recorded_and_the_lado_process_started_with_the_response_deadline(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    reference = _reference()
    ran = await start_lado(cli, worker, team.lado_id, reference, "--child", examples.school_age.reference)
    status = await cli("status", lado_workflow_id(reference), "--actor", team.lado_id)

    assert ran.code == 0, ran.stderr
    started = ran.json()
    assert (started["workflow_id"], started["case_reference"]) == (lado_workflow_id(reference), reference)
    assert started["deadline"]["rule_id"] == "lado_response"
    assert started["deadline"]["basis"].startswith("1 working day after the notification")
    assert SUBJECT_FAMILY_NAME not in ran.stdout + ran.stderr
    assert status.code == 0, status.stderr
    shown = status.json()
    [response] = [d for d in shown["deadlines"] if d["key"] == "response"]
    assert (response["rule_id"], response["due_date"], response["basis"]) == (
        "lado_response",
        started["deadline"]["due_date"],
        started["deadline"]["basis"],
    )
    assert (shown["stage"], shown["case_id"]) == ("initial_consideration", started["allegation_case_id"])
    async with db() as session:
        [child] = await list_children(started["allegation_case_id"], session=session)
    assert child["child_case_id"] == examples.school_age.case_id
    description = await worker.client.get_workflow_handle(started["workflow_id"]).describe()
    assert (description.workflow_type, description.task_queue) == ("Lado", worker.task_queue)


async def test_a_second_start_of_the_same_allegation_is_refused_and_writes_nothing_more(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    reference = _reference()
    first = await start_lado(cli, worker, team.lado_id, reference)
    written = await _written(db)
    again = await start_lado(cli, worker, team.lado_id, reference)

    assert first.code == 0, first.stderr
    assert again.code == 2
    assert again.error == f"start: reference {reference} is already in use"
    assert await _written(db) == written


async def test_an_allegation_whose_process_does_not_start_is_taken_out_again(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    reference = _reference()
    # Something already runs under the allegation's workflow id (on a queue no worker polls), so Temporal
    # refuses the start only after the allegation has been recorded.
    squatter = await worker.client.start_workflow("Lado", id=lado_workflow_id(reference), task_queue="nobody-polls")
    written = await _written(db)
    try:
        ran = await start_lado(cli, worker, team.lado_id, reference)
    finally:
        await squatter.terminate(reason="end of test")

    assert ran.code == 2
    assert ran.error == f"start: lado-{reference} is already running"
    assert await _written(db) == written


async def test_an_unknown_childs_case_is_refused_and_nothing_is_written(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    written = await _written(db)
    ran = await start_lado(cli, worker, team.lado_id, _reference(), "--child", "EX-NOSUCH")

    assert ran.code == 2
    assert ran.error == "start: no case with reference 'EX-NOSUCH'"
    assert ran.stdout == ""
    assert await _written(db) == written


async def test_a_notification_in_the_future_is_refused_and_nothing_is_written(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    written = await _written(db)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ran = await start_lado(cli, worker, team.lado_id, _reference(), "--notified-at", tomorrow)

    assert ran.code == 2
    assert ran.error.startswith("start: --notified-at ") and ran.error.endswith(" is in the future")
    assert await _written(db) == written


async def test_a_practitioner_who_is_not_a_lado_may_not_take_the_notification(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    written = await _written(db)
    social_worker = worker.team.social_worker_id
    ran = await start_lado(cli, worker, social_worker, _reference())

    assert ran.code == 2
    assert ran.error == f"start: {social_worker} is a social_worker: a notification is taken by a lado or lado_manager"
    assert await _written(db) == written


async def test_a_malformed_reference_or_date_of_birth_is_refused_naming_the_field(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    written = await _written(db)
    spaced = await start_lado(cli, worker, team.lado_id, "LADO 1")
    birthday = await start_lado(cli, worker, team.lado_id, _reference(), "--subject-date-of-birth", "12/04/1990")

    assert (spaced.code, birthday.code) == (2, 2)
    assert spaced.error == (
        "start: the allegation reference does not have this authority's form (^LADO-[0-9]{4,8}$); "
        "references are codes, never names"
    )
    assert birthday.error == "start: --subject-date-of-birth '12/04/1990' is not a date such as 2026-11-23"
    assert "Traceback" not in spaced.stderr + birthday.stderr
    assert await _written(db) == written


async def test_a_reference_that_is_a_name_is_refused_and_never_reaches_temporal(
    cli: Cli, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    written = await _written(db)

    ran = await start_lado(cli, worker, team.lado_id, f"LADO-{SUBJECT_FAMILY_NAME}")

    assert ran.code == 2
    assert ran.error.startswith("start: the allegation reference does not have this authority's form")
    assert SUBJECT_FAMILY_NAME not in ran.stderr
    assert await _written(db) == written
    with pytest.raises(RPCError):
        await worker.client.get_workflow_handle(f"lado-LADO-{SUBJECT_FAMILY_NAME}").describe()
