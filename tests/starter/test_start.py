"""`python -m starter start`: a contact recorded and its process started, or nothing written at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.front_door import front_door_id
from safeguarding.schema import contacts
from safeguarding.store.contacts import list_contacts
from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.workflows.time_control import last_working_day_at


def received_in_office_hours(worker: Harness) -> str:
    """Return 10:00 on the last working day: in office hours, and already past."""
    return last_working_day_at(datetime.now(UTC), worker.calendar).isoformat()


async def start_front_door(cli: Cli, reference: str, received_at: str):
    return await cli(
        "start",
        "front-door",
        "--case",
        reference,
        "--received-at",
        received_at,
        "--source",
        "school",
        "--referrer-name",
        "Fictional Teacher",
        "--referrer-email",
        "teacher@example.invalid",
        "--summary",
        "Fictional concern for testing.",
        "--actor",
        EXAMPLE_IDS.team_manager_id,
    )


async def _contact_count(db: async_sessionmaker[AsyncSession]) -> int:
    async with db() as session:
        return (await session.execute(select(func.count()).select_from(contacts))).scalar_one()


async def test_a_contact_is_recorded_and_its_front_door_started_with_the_referral_deadline(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    received_at = received_in_office_hours(worker)
    ran = await start_front_door(cli, examples.school_age.reference, received_at)

    assert ran.code == 0, ran.stderr
    started = ran.json()
    async with db() as session:
        [contact] = await list_contacts(examples.school_age.case_id, session=session)
    assert started["contact_id"] == contact["id"]
    assert started["workflow_id"] == front_door_id(contact["id"])
    assert started["case_reference"] == examples.school_age.reference
    assert contact["received_at"] == datetime.fromisoformat(received_at)
    assert started["deadline"]["rule_id"] == "referral_decision"
    assert started["deadline"]["basis"].startswith("1 working day after the referral")
    description = await worker.client.get_workflow_handle(started["workflow_id"]).describe()
    assert description.workflow_type == "FrontDoor"
    assert description.task_queue == worker.task_queue


async def test_two_contacts_on_one_case_each_run_their_own_front_door(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    received_at = received_in_office_hours(worker)
    first = await start_front_door(cli, examples.under_five.reference, received_at)
    second = await start_front_door(cli, examples.under_five.reference, received_at)

    assert (first.code, second.code) == (0, 0), first.stderr + second.stderr
    assert first.json()["workflow_id"] != second.json()["workflow_id"]


async def test_an_unknown_case_is_refused_and_no_contact_is_written(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    ran = await start_front_door(cli, "EX-NOSUCH", received_in_office_hours(worker))

    assert ran.code == 2
    assert ran.error == "start: no case with reference 'EX-NOSUCH'"
    assert ran.stdout == ""
    assert await _contact_count(db) == 0


async def test_a_received_time_without_a_time_zone_is_refused_and_says_so(
    cli: Cli, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    ran = await start_front_door(cli, examples.school_age.reference, "2026-11-20T10:15:00")

    assert ran.code == 2
    assert "has no time zone" in ran.error
    assert "Traceback" not in ran.stderr
    assert await _contact_count(db) == 0


async def test_a_received_time_in_the_future_is_refused(
    cli: Cli, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ran = await start_front_door(cli, examples.school_age.reference, tomorrow)

    assert ran.code == 2
    assert "is in the future" in ran.error
    assert await _contact_count(db) == 0


async def test_an_assessment_starts_once_per_case(cli: Cli, worker: Harness, examples: ExampleIds) -> None:
    referral_at = received_in_office_hours(worker)
    reference = examples.under_five.reference
    start = ("start", "assessment", "--case", reference, "--referral-at", referral_at, "--referral-source", "3B")
    first = await cli(*start, "--actor", examples.team_manager_id)
    again = await cli(*start, "--actor", examples.team_manager_id)

    assert first.code == 0, first.stderr
    assert first.json()["workflow_id"] == assessment_id(reference)
    assert first.json()["deadline"]["rule_id"] == "assessment"
    assert first.json()["deadline"]["basis"].startswith("45 working days after the referral")
    assert again.code == 2
    assert again.error == f"start: assessment-{reference} is already running"


async def test_a_strategy_discussion_starts_on_an_open_case_when_new_information_arrives(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    concerns_at = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0).isoformat()
    reference = examples.school_age.reference
    manager = ("--actor", examples.team_manager_id)
    start = ("start", "strategy-discussion", "--case", reference, "--concerns-at", concerns_at, *manager)
    unsourced = await cli(*start)
    started = await cli(*start, "--referral-source", "6")
    status = await cli("status", started.json()["workflow_id"], *manager)

    assert unsourced.code == 2
    assert unsourced.error.startswith("start: referral_source is required: the child is in no open episode")

    assert started.code == 0, started.stderr
    assert started.json()["workflow_id"].startswith(f"strategy-discussion-{reference}-")
    assert started.json()["deadline"]["basis"].startswith("24 hours after the concerns at ")
    assert (status.json()["stage"], status.json()["facts"]["reason"]) == ("discussion", "new_information")
