"""Steps that drive a front door in tests."""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowHandle

from safeguarding.commands.front_door import FrontDoorInput, FrontDoorResult, front_door_id
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import last_working_day_at


async def start_contact(harness: Harness) -> WorkflowHandle[Any, FrontDoorResult]:
    """Start a front door for a new case's contact, received on the last working day."""
    case = await harness.new_case()
    received = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    contact = await harness.new_contact(case, received)
    return await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )
