"""Recording a contact: its front door started by someone who takes contacts in the case's team, or nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.commands.front_door import front_door_id
from safeguarding.schema import cases, contacts
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.store.contacts import list_contacts
from tests.factories import SeededTeam
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import last_working_day_at


def contact(worker: Harness, reference: str, **changes: object) -> ContactRequest:
    """Return a contact on `reference` received at 10:00 on the last working day, with `changes`."""
    fields: dict[str, object] = {
        "case_reference": reference,
        "received_at": last_working_day_at(datetime.now(UTC), worker.calendar),
        "source": "school",
        "summary": "Fictional concern for testing.",
        "referrer_email": "teacher@example.invalid",
    }
    return ContactRequest.model_validate(fields | changes)


async def _contacts(db: async_sessionmaker[AsyncSession]) -> int:
    async with db() as session:
        return (await session.execute(select(func.count()).select_from(contacts))).scalar_one()


async def test_a_contact_taken_by_the_teams_manager_is_recorded_and_its_front_door_started(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    case = await worker.new_case()
    request = contact(worker, case.reference)

    recorded = await record_contact(services, await acting(services, worker.team.team_manager_id), request)

    async with db() as session:
        [row] = await list_contacts(case.case_id, session=session)
    assert (recorded.contact_id, recorded.workflow_id) == (row["id"], front_door_id(row["id"]))
    assert (recorded.case_reference, row["received_at"]) == (case.reference, request.received_at)
    assert recorded.deadline is not None
    assert recorded.deadline.rule_id == "referral_decision"
    assert recorded.deadline.basis.startswith("1 working day after the referral")
    description = await worker.client.get_workflow_handle(recorded.workflow_id).describe()
    assert (description.workflow_type, description.task_queue) == ("FrontDoor", worker.task_queue)


async def test_a_health_visitor_may_not_take_a_contact_and_nothing_is_written(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    case = await worker.new_case()
    health_visitor = await acting(services, worker.team.health_visitor_id)

    with pytest.raises(Refused) as refused:
        await record_contact(services, health_visitor, contact(worker, case.reference))

    assert refused.value.reason.startswith(
        f"{worker.team.health_visitor_id} is a health_visitor: a contact is taken by"
    )
    assert await _contacts(db) == 0


async def test_a_social_worker_of_another_team_may_not_take_a_contact_on_this_teams_case(
    services: Services, worker: Harness, other_team: SeededTeam, db: async_sessionmaker[AsyncSession]
) -> None:
    case = await worker.new_case()
    outsider = await acting(services, other_team.social_worker_id)

    with pytest.raises(Refused) as refused:
        await record_contact(services, outsider, contact(worker, case.reference))

    assert refused.value.reason == (
        f"this is team {worker.team.team_id}'s work; {other_team.social_worker_id} is in team {other_team.team_id}"
    )
    assert await _contacts(db) == 0


async def test_an_unknown_or_closed_case_is_refused_and_nothing_is_written(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    manager = await acting(services, worker.team.team_manager_id)
    closed = await worker.new_case()
    async with db.begin() as session:
        await session.execute(update(cases).where(cases.c.id == closed.case_id).values(closed_at=datetime.now(UTC)))

    with pytest.raises(NotFound) as unknown:
        await record_contact(services, manager, contact(worker, "EX-NOSUCH"))
    with pytest.raises(Conflict) as shut:
        await record_contact(services, manager, contact(worker, closed.reference))

    assert unknown.value.reason == "no case with reference 'EX-NOSUCH'"
    assert shut.value.reason == f"case {closed.reference} is closed"
    assert await _contacts(db) == 0


async def test_a_contact_received_in_the_future_or_before_the_calendar_is_refused(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    case = await worker.new_case()
    manager = await acting(services, worker.team.team_manager_id)
    tomorrow = datetime.now(UTC) + timedelta(days=1)

    with pytest.raises(Invalid) as future:
        await record_contact(services, manager, contact(worker, case.reference, received_at=tomorrow))
    with pytest.raises(Invalid) as ancient:
        await record_contact(
            services, manager, contact(worker, case.reference, received_at=datetime(1999, 1, 4, tzinfo=UTC))
        )

    assert (future.value.field, future.value.reason) == (
        "received_at",
        f"received_at {tomorrow.isoformat()} is in the future",
    )
    assert ancient.value.field == "received_at"
    assert "where the bank-holiday calendar starts" in ancient.value.reason
    assert await _contacts(db) == 0


def test_a_contact_without_a_time_zone_or_with_a_control_character_is_malformed() -> None:
    fields = {"case_reference": "EX-0007", "source": "school", "summary": "Fictional concern."}

    with pytest.raises(ValueError, match="must carry its time zone"):
        ContactRequest.model_validate(fields | {"received_at": "2026-11-20T10:15:00"})
    with pytest.raises(ValueError, match="control character U\\+0000"):
        ContactRequest.model_validate(fields | {"received_at": "2026-11-20T10:15:00Z", "summary": "a\x00b"})
