"""The use cases that start processes and decide on them, over real parts: the test's case store and a worker.

`services` is what an entry point's composition root builds, made here over the test's own session factory
(`db`) and the dev server's client, with a fresh task queue that the test's worker polls. A use case is
called as a practitioner the case store holds (`principal_for`), as every entry point does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.config import Settings
from safeguarding.service.access import Principal
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from tests.factories import SeededTeam, seed_team
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import PROFILE, Harness, running_harness

WORKER_WAIT_SECONDS = 20.0


@pytest.fixture
async def worker(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> AsyncIterator[Harness]:
    """A worker with the real activities on a fresh task queue of the dev server."""
    async with running_harness(dev_server_env, db, smtp) as running:
        yield running


def services_over(harness: Harness) -> Services:
    """Return the services a composition root would build, over the harness's case store, client and queue."""
    settings = Settings(environment="test", task_queue=harness.task_queue, worker_wait_seconds=WORKER_WAIT_SECONDS)
    return Services(settings=settings, profile=PROFILE, sessions=harness.sessionmaker, client=harness.client)


@pytest.fixture
def services(worker: Harness) -> Services:
    """The application layer's services over the test's case store and the worker's task queue."""
    return services_over(worker)


@pytest.fixture
async def other_team(db: async_sessionmaker[AsyncSession]) -> SeededTeam:
    """A second team, whose team-bound practitioners may not act on the first team's cases."""
    return await seed_team(db)


async def acting(services: Services, practitioner_id: str) -> Principal:
    """Return the practitioner as a principal, as every entry point resolves its credential."""
    return await principal_for(services, practitioner_id)
