"""Recording an allegation: taken by the LADO, recorded as a case of their team and its process started, or nothing."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import LadoNotifier, NotificationMethod
from safeguarding.commands.lado import lado_workflow_id
from safeguarding.schema import cases, lado_allegations, people
from safeguarding.service.errors import Conflict, Invalid, Refused
from safeguarding.service.lado import AllegationRequest, start_lado
from safeguarding.service.root import Services
from safeguarding.store.cases import get_case
from safeguarding.store.lado import PersonInPositionOfTrust, list_children
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.lado_steps import seed_lado_team
from tests.workflows.time_control import last_working_day_at

SUBJECT_FAMILY_NAME = "Fictional-Subject"


def _reference() -> str:
    """Return a fresh reference of the example authority's form (`^LADO-[0-9]{4,8}$`)."""
    return f"LADO-{secrets.randbelow(10**8):08d}"


def notification(worker: Harness, reference: str, **changes: object) -> AllegationRequest:
    """Return a complete notification: the concern reached the employer at 10:00 on the last working day."""
    attention = last_working_day_at(datetime.now(UTC), worker.calendar)
    fields: dict[str, object] = {
        "reference": reference,
        "subject": PersonInPositionOfTrust(
            given_name="Alex", family_name=SUBJECT_FAMILY_NAME, role="teaching assistant"
        ),
        "employer": "Fictional Academy Trust",
        "setting": "Fictional Primary School",
        "what_happened": "A pupil said the member of staff grabbed their arm hard in the corridor.",
        "came_to_attention_at": attention,
        "action_taken": "The designated safeguarding lead wrote down what the pupil said.",
        "notifier_kind": LadoNotifier.EMPLOYER,
        "notifier_name": "Fictional Headteacher",
        "method": NotificationMethod.PHONE,
        "notified_at": attention + timedelta(hours=2),
    }
    return AllegationRequest.model_validate(fields | changes)


async def _written(db: async_sessionmaker[AsyncSession]) -> list[int]:
    async with db() as session:
        return [
            (await session.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (lado_allegations, cases, people)
        ]


async def test_the_lado_records_an_allegation_of_their_team_and_its_process_starts_with_the_response_deadline(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    child = await worker.new_case()
    reference = _reference()

    recorded = await start_lado(
        services, await acting(services, team.lado_id), notification(worker, reference, children=(child.reference,))
    )

    assert (recorded.workflow_id, recorded.case_reference) == (lado_workflow_id(reference), reference)
    assert recorded.deadline is not None and recorded.deadline.rule_id == "lado_response"
    assert SUBJECT_FAMILY_NAME not in recorded.model_dump_json()
    async with db() as session:
        allegation = await get_case(recorded.allegation_case_id, session=session)
        [linked] = await list_children(recorded.allegation_case_id, session=session)
    assert allegation is not None and allegation["team_id"] == team.team_id
    assert linked["child_case_id"] == child.case_id
    description = await worker.client.get_workflow_handle(recorded.workflow_id).describe()
    assert (description.workflow_type, description.task_queue) == ("Lado", worker.task_queue)


async def test_a_social_worker_may_not_take_a_notification(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    written = await _written(db)

    with pytest.raises(Refused) as refused:
        await start_lado(
            services, await acting(services, worker.team.social_worker_id), notification(worker, _reference())
        )

    assert refused.value.reason == (
        f"{worker.team.social_worker_id} is a social_worker: a notification is taken by a lado or lado_manager"
    )
    assert await _written(db) == written


async def test_a_reference_in_use_or_of_the_wrong_form_or_an_unknown_child_is_refused_and_nothing_is_written(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    lado = await acting(services, team.lado_id)
    reference = _reference()
    await start_lado(services, lado, notification(worker, reference))
    written = await _written(db)

    with pytest.raises(Conflict) as in_use:
        await start_lado(services, lado, notification(worker, reference))
    with pytest.raises(Invalid) as named:
        await start_lado(services, lado, notification(worker, f"LADO-{SUBJECT_FAMILY_NAME}"))
    with pytest.raises(Invalid) as child:
        await start_lado(services, lado, notification(worker, _reference(), children=("EX-NOSUCH",)))

    assert (in_use.value.reason, in_use.value.field) == (f"reference {reference} is already in use", "reference")
    assert named.value.field == "reference" and SUBJECT_FAMILY_NAME not in named.value.reason
    assert (child.value.reason, child.value.field) == ("no case with reference 'EX-NOSUCH'", "children")
    assert await _written(db) == written


async def test_an_allegation_whose_process_does_not_start_is_taken_out_again(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    reference = _reference()
    # Something already runs under the allegation's workflow id (on a queue no worker polls), so Temporal
    # refuses the start only after the allegation has been recorded.
    squatter = await worker.client.start_workflow("Lado", id=lado_workflow_id(reference), task_queue="nobody-polls")
    written = await _written(db)
    try:
        with pytest.raises(Conflict) as running:
            await start_lado(services, await acting(services, team.lado_id), notification(worker, reference))
    finally:
        await squatter.terminate(reason="end of test")

    assert running.value.reason == f"lado-{reference} is already running"
    assert await _written(db) == written


async def test_a_notification_in_the_future_is_refused_naming_the_field(
    services: Services, worker: Harness, db: async_sessionmaker[AsyncSession]
) -> None:
    team = await seed_lado_team(worker)
    written = await _written(db)
    tomorrow = datetime.now(UTC) + timedelta(days=1)

    with pytest.raises(Invalid) as future:
        await start_lado(
            services, await acting(services, team.manager_id), notification(worker, _reference(), notified_at=tomorrow)
        )

    assert (future.value.field, future.value.reason) == (
        "notified_at",
        f"notified_at {tomorrow.isoformat()} is in the future",
    )
    assert await _written(db) == written
