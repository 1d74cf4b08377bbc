"""The real API over HTTP: the app served by uvicorn on loopback, over the test's case store and Temporal.

Each test gets a worker on a fresh task queue of the session's dev server (`running_harness`), the example
team seeded, and an `Api`: an httpx client on the served app, with a bearer token made for any example
practitioner on request (`await api.as_role(Role.TEAM_MANAGER)`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.api.app import create_app
from safeguarding.api.serving import serving
from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.service.root import Services
from safeguarding.service.tokens import create_token
from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds, seed_examples
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import PROFILE, Harness, running_harness

LOOPBACK = "127.0.0.1"


@dataclass
class Api:
    """An HTTP client on the served API, and the services it runs over."""

    http: httpx.AsyncClient
    services: Services
    ids: ExampleIds
    worker: Harness
    tokens: dict[str, str] = field(default_factory=dict)

    async def token(self, practitioner_id: str) -> str:
        """Return a bearer token for `practitioner_id`, made once per test."""
        if practitioner_id not in self.tokens:
            self.tokens[practitioner_id] = (await create_token(self.services, practitioner_id)).token
        return self.tokens[practitioner_id]

    async def headers(self, role: Role, **extra: str) -> dict[str, str]:
        """Return the headers of a request made by the example practitioner in `role`."""
        return {"Authorization": f"Bearer {await self.token(self.ids.practitioner_id(role))}", **extra}


@pytest.fixture
async def api_worker(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> AsyncIterator[Harness]:
    """A worker with the real activities on a fresh task queue of the dev server."""
    async with running_harness(dev_server_env, db, smtp) as running:
        yield running


@pytest.fixture
async def api(
    api_worker: Harness, dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> AsyncIterator[Api]:
    """The API served over the test's case store, with the example team seeded and a worker polling."""
    async with db.begin() as session:
        await seed_examples(session)
    settings = Settings(environment="test", task_queue=api_worker.task_queue, data_dir=tmp_path / "data")
    services = Services(settings=settings, profile=PROFILE, sessions=db, client=dev_server_env.client)
    async with (
        serving(create_app(services), LOOPBACK, 0) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=60) as http,
    ):
        yield Api(http=http, services=services, ids=EXAMPLE_IDS, worker=api_worker)
