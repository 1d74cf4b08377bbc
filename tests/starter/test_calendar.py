"""`python -m starter calendar`: the bank-holiday calendar shown, and offered to running cases on demand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from safeguarding import search_attributes as sa
from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.commands.front_door import FrontDoorInput, front_door_id
from safeguarding.models import ProcessStatus
from safeguarding.store.examples import ExampleIds
from safeguarding.working_days import local_date, next_working_day
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.starter.test_start import received_in_office_hours, start_front_door
from tests.workflows.assessment_steps import start_assessment, status
from tests.workflows.time_control import eventually


async def test_show_prints_the_calendar_version_and_the_coming_closed_days(cli: Cli) -> None:
    ran = await cli("calendar", "show", "--days", "400")

    assert ran.code == 0, ran.stderr
    shown = ran.json()
    assert shown["version"].startswith("ENG-")
    days = [date.fromisoformat(closed["day"]) for closed in shown["coming"]]
    assert days == sorted(days)
    assert all(date.fromisoformat(shown["today"]) <= day for day in days)
    assert any(closed["name"] == "Christmas Day" for closed in shown["coming"])


async def test_refresh_gives_a_running_case_on_an_older_calendar_the_current_one(cli: Cli, worker: Harness) -> None:
    # A calendar built years ago knows fewer bank holidays, so its version differs from today's.
    old = england_and_wales_calendar(today=date(2020, 1, 6), local_closures=worker.profile.local_closures)
    case = await worker.new_case()
    received = datetime.fromisoformat(received_in_office_hours(worker))
    contact = await worker.new_contact(case, received)
    handle = await worker.start(
        "FrontDoor",
        FrontDoorInput(
            context=worker.context(case).model_copy(update={"calendar": old}),
            contact_id=contact,
            received_at=received,
        ),
        front_door_id(contact),
    )

    async def listed() -> bool:
        """the process is visible to the refresh's list of running processes"""
        query = f"WorkflowId = '{handle.id}' AND ExecutionStatus = 'Running' AND {sa.CASE_PROCESS.name} IS NOT NULL"
        return (await worker.client.count_workflows(query)).count == 1

    await eventually(listed)
    ran = await cli("calendar", "refresh")

    assert ran.code == 0, ran.stderr
    result = ran.json()
    assert result["taken"] >= 1
    assert result["offered"] >= result["taken"]
    status = await handle.query("status", result_type=ProcessStatus)
    shown = (await cli("calendar", "show")).json()
    assert status.calendar_version == shown["version"] != old.version


def _today() -> date:
    return local_date(datetime.now(UTC))


async def _listed(worker: Harness, workflow_id: str) -> None:
    async def listed() -> bool:
        """the process is visible to the refresh's list of running processes"""
        query = f"WorkflowId = '{workflow_id}' AND ExecutionStatus = 'Running' AND {sa.CASE_PROCESS.name} IS NOT NULL"
        return (await worker.client.count_workflows(query)).count == 1

    await eventually(listed)


async def test_an_announced_bank_holiday_moves_a_running_cases_deadline_at_once(cli: Cli, worker: Harness) -> None:
    case = await worker.new_case()
    handle = await start_assessment(worker, case, datetime.fromisoformat(received_in_office_hours(worker)))
    before = (await status(handle)).deadlines[0]
    await _listed(worker, handle.id)

    ran = await cli("calendar", "announce", before.due_date.isoformat(), "One-off bank holiday")

    assert ran.code == 0, ran.stderr
    announced = ran.json()
    assert announced["announced"] == {
        "day": before.due_date.isoformat(),
        "name": "One-off bank holiday",
        "local": False,
    }
    assert announced["taken"] == 1
    after = await status(handle)
    assert after.calendar_version == announced["version"]
    assert after.deadlines[0].due_date == next_working_day(before.due_date, worker.calendar)
    shown = (await cli("calendar", "show", "--days", "400")).json()
    assert shown["version"] == announced["version"]
    assert {"day": before.due_date.isoformat(), "name": "One-off bank holiday", "local": False} in shown["coming"]


async def test_a_process_started_after_an_announced_local_closure_counts_it(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    closure = next_working_day(_today() + timedelta(days=30), worker.calendar)
    announced = await cli("calendar", "announce", closure.isoformat(), "Office move", "--local")
    assert announced.code == 0, announced.stderr

    started = await start_front_door(cli, examples.school_age.reference, received_in_office_hours(worker))

    assert started.code == 0, started.stderr
    shown = (await cli("status", started.json()["workflow_id"], "--actor", examples.team_manager_id)).json()
    assert shown["calendar_version"] == announced.json()["version"] != worker.calendar.version
    listed = (await cli("calendar", "show")).json()["coming"]
    assert {"day": closure.isoformat(), "name": "Office move", "local": True} in listed


async def test_an_announcement_that_cannot_be_a_closed_day_is_refused(cli: Cli, worker: Harness) -> None:
    christmas = next(c.day for c in worker.calendar.closed_days if c.day > _today() and c.name == "Christmas Day")
    saturday = _today() + timedelta(days=(5 - _today().weekday()) % 7 or 7)

    refusals = [
        await cli("calendar", "announce", (_today() - timedelta(days=7)).isoformat(), "Too late"),
        await cli("calendar", "announce", saturday.isoformat(), "A weekend"),
        await cli("calendar", "announce", christmas.isoformat(), "Christmas again"),
        await cli("calendar", "announce", "next tuesday", "Not a date"),
    ]

    assert [r.code for r in refusals] == [2, 2, 2, 2]
    assert [r.error.split(": ", 1)[1] for r in refusals] == [
        f"{(_today() - timedelta(days=7)).isoformat()} has passed; only a day from today on can be announced",
        f"{saturday.isoformat()} is a Saturday, never a working day",
        f"{christmas.isoformat()} is already closed (Christmas Day)",
        "'next tuesday' is not an ISO date (e.g. 2027-05-10)",
    ]
    assert (await cli("calendar", "show")).json()["version"] == worker.calendar.version
