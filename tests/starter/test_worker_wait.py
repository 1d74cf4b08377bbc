"""`decide` and `status` with no worker: they say so in bounded time, and a decision still lands once one returns.

Each test runs the commands against a task queue of its own, and starts and stops the worker on that queue
itself: first none at all (the server lists no poller), then one that stopped after taking work (the server
still lists it for a few minutes, so only the bounded wait can tell).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.worker import Worker

from activities.mail import SmtpChannel
from safeguarding.schema import decisions
from safeguarding.service.worker_wait import no_worker, worker_polling
from safeguarding.store.examples import ExampleIds
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.starter.test_start import received_in_office_hours, start_front_door
from tests.workflows.time_control import eventually
from worker import build_activities
from workflows.registry import ALL_WORKFLOWS

EARLY_HELP = json.dumps({"outcome": "early_help", "rationale": "Needs met by the family hub"})


@pytest.fixture
def queue() -> str:
    return f"test-wait-{uuid.uuid4()}"


@pytest.fixture
def offline_cli(cli: Cli, queue: str) -> Cli:
    """The command line on the test's own queue, waiting a few seconds for a worker."""
    return dataclasses.replace(
        cli, env={**cli.env, "SAFEGUARDING_TASK_QUEUE": queue, "SAFEGUARDING_WORKER_WAIT_SECONDS": "3"}
    )


@contextlib.asynccontextmanager
async def worker_on(harness: Harness, queue: str) -> AsyncIterator[None]:
    """Run a worker with the real activities on `queue`, seen polling by the server, until the context is left."""
    channel = SmtpChannel(harness.smtp.host, harness.smtp.port, "safeguarding@example.invalid")
    activities = build_activities(
        sessionmaker=harness.sessionmaker,
        channel=channel,
        profile=harness.profile,
        client=harness.client,
        task_queue=queue,
    )
    async with Worker(harness.client, task_queue=queue, workflows=ALL_WORKFLOWS, activities=activities):
        await eventually(lambda: worker_polling(harness.client, queue))  # its first poll comes a moment later
        yield


async def _recorded(db: async_sessionmaker[AsyncSession], workflow_id: str) -> list[str]:
    async with db() as session:
        query = select(decisions.c.decision).where(decisions.c.workflow_id == workflow_id)
        return list((await session.execute(query)).scalars())


async def test_with_no_worker_polling_status_and_decide_say_so_and_send_nothing(
    offline_cli: Cli, worker: Harness, examples: ExampleIds, queue: str, db: async_sessionmaker[AsyncSession]
) -> None:
    started = await start_front_door(offline_cli, examples.school_age.reference, received_in_office_hours(worker))
    assert started.code == 0, started.stderr
    workflow_id = started.json()["workflow_id"]
    decide = ("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", EARLY_HELP)

    status = await offline_cli("status", workflow_id, "--actor", examples.team_manager_id)
    refused = await offline_cli(*decide)

    assert (status.code, refused.code) == (1, 1)
    assert status.error == f"status: {no_worker(queue)}"
    assert refused.error == f"decide: {no_worker(queue)} Nothing was sent."
    assert "Traceback" not in status.stderr + refused.stderr
    async with worker_on(worker, queue):
        made = await offline_cli(*decide)
        assert made.code == 0, made.stderr
        assert [
            d["decision"]
            for d in (await offline_cli("status", workflow_id, "--actor", examples.team_manager_id)).json()["decisions"]
        ] == ["decide_contact"]
    assert await _recorded(db, workflow_id) == ["decide_contact"]


async def test_a_decision_sent_after_the_worker_stopped_is_made_once_when_it_returns(
    offline_cli: Cli, worker: Harness, examples: ExampleIds, queue: str, db: async_sessionmaker[AsyncSession]
) -> None:
    async with worker_on(worker, queue):
        started = await start_front_door(offline_cli, examples.school_age.reference, received_in_office_hours(worker))
        assert started.code == 0, started.stderr
        workflow_id = started.json()["workflow_id"]
        assert (await offline_cli("status", workflow_id, "--actor", examples.team_manager_id)).code == 0
    decide = ("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", EARLY_HELP)

    unanswered = await offline_cli(*decide, "--update-id", "contact-decided")
    status = await offline_cli("status", workflow_id, "--actor", examples.team_manager_id)

    assert (unanswered.code, status.code) == (1, 1)
    late = f"no worker answered on the task queue {queue} within 3s; is `make run` running?"
    assert unanswered.error.startswith(f"decide: {late} The decision was sent")
    assert status.error == f"status: {late}"
    assert "Traceback" not in unanswered.stderr + status.stderr
    async with worker_on(worker, queue):
        resent = await offline_cli(*decide, "--update-id", "contact-decided")
        assert resent.code == 0, resent.stderr
        shown = (await offline_cli("status", workflow_id, "--actor", examples.team_manager_id)).json()["decisions"]
    assert shown == [resent.json()]
    assert await _recorded(db, workflow_id) == ["decide_contact"]
