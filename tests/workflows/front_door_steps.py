"""Steps that drive a front door in tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from temporalio.client import WorkflowHandle

from safeguarding.codes import ConsentState, ContactOutcome, ReferralSource, Role
from safeguarding.commands.front_door import (
    DecideContact,
    FrontDoorInput,
    FrontDoorResult,
    RecordConsent,
    front_door_id,
)
from safeguarding.config import Settings
from safeguarding.schema import contacts
from safeguarding.service.root import Services
from tests.factories import CaseIds
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


async def referred_for_assessment(harness: Harness, case: CaseIds) -> WorkflowHandle[Any, FrontDoorResult]:
    """A school's contact about `case` on the last working day, decided for an assessment: return its front door."""
    received = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    contact = await harness.new_contact(case, received)
    async with harness.sessionmaker.begin() as session:
        await session.execute(
            update(contacts).where(contacts.c.id == contact).values(referral_source=ReferralSource.SCHOOLS.value)
        )
    front_door = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(contact),
        result_type=FrontDoorResult,
    )
    manager, worker = harness.actor(Role.TEAM_MANAGER), harness.actor(Role.SOCIAL_WORKER)
    await front_door.execute_update(
        "record_consent",
        RecordConsent(actor=worker, consent=ConsentState.GIVEN, effective_at=received + timedelta(hours=1)),
    )
    await front_door.execute_update(
        "decide_contact",
        DecideContact(
            actor=manager,
            outcome=ContactOutcome.ASSESSMENT,
            rationale="Concerns about the child's needs",
            effective_at=received + timedelta(hours=2),
        ),
    )
    await front_door.result()
    return front_door


def services_over(harness: Harness) -> Services:
    """The service layer over the test's case store and worker, on the server's clock."""
    return Services(
        settings=Settings(task_queue=harness.task_queue),
        profile=harness.profile,
        sessions=harness.sessionmaker,
        client=harness.client,
        clock=harness.env.get_current_time,
    )
