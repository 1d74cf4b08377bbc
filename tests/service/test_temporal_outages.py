"""Temporal not answering reaches a use case's caller as `Unavailable` ("try again"), never as a raw RPC error.

Real parts throughout: the test's case store, and a client connected to a Temporal server that has since
stopped (every call meets a refused connection), or settings naming a port nothing listens on. Only the answers
a live server gives at its own whim (a call it cancelled under load, an overload, a refusal) cannot be provoked
at will: there a client interceptor stands in for the transport and answers the SDK's `describe` with the
status; the use case, its case store and the server behind the client are real. What is no outage keeps its
meaning (NOT_FOUND is still `NotFound`, a refusal stays the SDK's error), and a caller cancelled while Temporal
is asked stays cancelled (`safeguarding.cancellation`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.schema import contacts
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.disagreements import DisagreementRequest, raise_disagreement
from safeguarding.service.errors import NotFound, Unavailable
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.service.status import process_status
from safeguarding.service.temporal_outages import READ_ATTEMPTS
from safeguarding.store.examples import ExampleIds
from tests.fixtures.describe_answers import describe_answered_by, status_answer, status_answers
from tests.fixtures.temporal import TEST_KEYS, key_setting, refused_address
from tests.service.conftest import Teams

UNKNOWN = "front-door-contact-not-on-record"
"""A process the case store has no record of: who may read it can only be settled by asking Temporal."""
RECEIVED_AT = datetime(2026, 11, 24, 10, tzinfo=UTC)
"""A Tuesday morning already past: a contact's moment that no check refuses."""
STOPS_WITHIN = 30.0
"""A hang guard for the cancelled call."""


async def _contacts(services: Services) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(contacts)) or 0)


def _disagreement() -> DisagreementRequest:
    return DisagreementRequest(
        about_workflow_id=UNKNOWN,
        about_key="decide_contact",
        raised_at=datetime.now(UTC) - timedelta(minutes=5),
        disagrees_with="The contact should go to assessment.",
        proposes="A child and family assessment.",
    )


async def test_a_status_asked_of_a_stopped_server_is_unavailable_not_an_rpc_error(
    services: Services, teams: Teams, stopped_server_client: Client
) -> None:
    down = dataclasses.replace(services, client=stopped_server_client)

    with pytest.raises(Unavailable) as unavailable:
        await process_status(down, teams.principal(Role.TEAM_MANAGER), UNKNOWN)

    assert unavailable.value.status == 503
    assert unavailable.value.reason == (
        f"Temporal did not answer while asking {UNKNOWN} for its status (unavailable); try again"
    )


async def test_a_contact_recorded_while_temporal_is_down_is_unavailable_and_leaves_nothing_behind(
    services: Services, examples: ExampleIds, stopped_server_client: Client
) -> None:
    down = dataclasses.replace(services, client=stopped_server_client)
    manager = await principal_for(down, examples.team_manager_id)
    request = ContactRequest(
        case_reference=examples.school_age.reference, received_at=RECEIVED_AT, source="school", summary="Fictional."
    )
    before = await _contacts(services)

    with pytest.raises(Unavailable) as unavailable:
        await record_contact(down, manager, request)

    assert unavailable.value.reason.startswith("Temporal did not answer while starting front-door-")
    assert unavailable.value.reason.endswith(" (unavailable); try again")
    assert await _contacts(services) == before


async def test_with_no_connection_to_temporal_a_use_case_is_unavailable(
    services: Services, teams: Teams, tmp_path: Path
) -> None:
    address = refused_address()
    settings = Settings(
        environment="test", temporal_address=address, payload_keys=key_setting(TEST_KEYS), data_dir=tmp_path
    )
    unreachable = dataclasses.replace(services, settings=settings)

    with pytest.raises(Unavailable) as unavailable:
        await process_status(unreachable, teams.principal(Role.TEAM_MANAGER), UNKNOWN)

    assert (
        unavailable.value.reason == f"Temporal did not answer while connecting to {address} (no connection); try again"
    )
    assert unreachable.client is None  # the next call connects afresh


@pytest.mark.parametrize(
    "status",
    [
        RPCStatusCode.CANCELLED,
        RPCStatusCode.UNAVAILABLE,
        RPCStatusCode.DEADLINE_EXCEEDED,
        RPCStatusCode.RESOURCE_EXHAUSTED,
    ],
    ids=lambda status: status.name,
)
async def test_a_describe_temporal_did_not_answer_each_time_it_was_asked_is_unavailable(
    services: Services, teams: Teams, time_skipping_env: WorkflowEnvironment, status: RPCStatusCode
) -> None:
    answer, given = status_answers(*[status] * READ_ATTEMPTS)
    busy = dataclasses.replace(services, client=describe_answered_by(time_skipping_env, answer))

    with pytest.raises(Unavailable) as unavailable:
        await raise_disagreement(busy, teams.principal(Role.SOCIAL_WORKER), _disagreement())

    words = status.name.lower().replace("_", " ")
    assert unavailable.value.reason == f"Temporal did not answer while describing {UNKNOWN} ({words}); try again"
    assert len(given) == READ_ATTEMPTS


async def test_a_describe_the_busy_server_cancelled_is_asked_again_and_its_answer_used(
    services: Services, teams: Teams, time_skipping_env: WorkflowEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    answer, given = status_answers(RPCStatusCode.CANCELLED, RPCStatusCode.RESOURCE_EXHAUSTED)
    busy = dataclasses.replace(services, client=describe_answered_by(time_skipping_env, answer))

    with caplog.at_level(logging.INFO, logger="safeguarding.service"), pytest.raises(NotFound) as unknown:
        await raise_disagreement(busy, teams.principal(Role.SOCIAL_WORKER), _disagreement())

    assert unknown.value.reason == f"no workflow {UNKNOWN!r}", "the third ask reached the real server"
    assert given == [RPCStatusCode.CANCELLED, RPCStatusCode.RESOURCE_EXHAUSTED]
    assert [r.getMessage() for r in caplog.records if r.name == "safeguarding.service"] == [
        f"Temporal did not answer while describing {UNKNOWN} (cancelled); asking again, 2 of {READ_ATTEMPTS}",
        f"Temporal did not answer while describing {UNKNOWN} (resource exhausted); asking again, 3 of {READ_ATTEMPTS}",
    ]


async def test_an_unknown_process_is_still_not_found(
    services: Services, teams: Teams, time_skipping_env: WorkflowEnvironment
) -> None:
    not_found = status_answer(RPCStatusCode.NOT_FOUND)
    answered = dataclasses.replace(services, client=describe_answered_by(time_skipping_env, not_found))

    with pytest.raises(NotFound) as unknown:
        await raise_disagreement(answered, teams.principal(Role.SOCIAL_WORKER), _disagreement())

    assert unknown.value.reason == f"no workflow {UNKNOWN!r}"


@pytest.mark.parametrize(
    "status", [RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.INVALID_ARGUMENT], ids=lambda status: status.name
)
async def test_a_refusal_that_is_no_outage_is_not_called_one(
    services: Services, teams: Teams, time_skipping_env: WorkflowEnvironment, status: RPCStatusCode
) -> None:
    refused = dataclasses.replace(services, client=describe_answered_by(time_skipping_env, status_answer(status)))

    with pytest.raises(RPCError) as error:
        await raise_disagreement(refused, teams.principal(Role.SOCIAL_WORKER), _disagreement())

    assert error.value.status is status


async def test_a_caller_cancelled_while_temporal_describes_stays_cancelled(
    services: Services, teams: Teams, time_skipping_env: WorkflowEnvironment
) -> None:
    asked = asyncio.Event()

    async def cancelled_when_dropped() -> None:
        """No answer comes; a caller that gives up is told CANCELLED, as gRPC says it."""
        asked.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise RPCError("call cancelled", RPCStatusCode.CANCELLED, b"") from None

    waiting = dataclasses.replace(services, client=describe_answered_by(time_skipping_env, cancelled_when_dropped))
    raising = asyncio.create_task(raise_disagreement(waiting, teams.principal(Role.SOCIAL_WORKER), _disagreement()))
    await asyncio.wait_for(asked.wait(), STOPS_WITHIN)
    raising.cancel()
    await asyncio.wait({raising}, timeout=STOPS_WITHIN)

    assert raising.done(), "the cancelled call is still waiting"
    assert raising.cancelled(), f"the cancelled call ended otherwise: {raising.exception()!r}"
