"""`python -m starter calendar`: the bank-holiday calendar shown, and offered to running cases on demand."""

from __future__ import annotations

from datetime import date, datetime

from safeguarding import search_attributes as sa
from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.commands.front_door import FrontDoorInput
from safeguarding.models import ProcessStatus
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.starter.test_start import received_in_office_hours
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
        f"front-door-{contact}",
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
