"""The real API over HTTP: the app served by uvicorn on loopback, over the test's case store and Temporal.

Each test gets a worker on a fresh task queue of the session's dev server (`running_harness`), the example
team seeded, and an `Api`: an httpx client on the served app, with a bearer token made for any example
practitioner on request (`await api.headers(Role.TEAM_MANAGER)`).

`shared_api` is the same, shared by all the tests of a module (a matrix of many small requests would spend
minutes starting a worker and a server per request); its tables are emptied when the module ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.api.app import create_app
from safeguarding.api.serving import serving
from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.schema import metadata
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
    async with served_api(api_worker, dev_server_env, db, tmp_path) as api:
        yield api


@pytest.fixture(scope="module")
async def shared_api(
    dev_server_env: WorkflowEnvironment,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    smtp_server: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Api]:
    """The API as `api` serves it, shared by the module's tests; every table is emptied when the module ends."""
    try:
        async with (
            running_harness(dev_server_env, sessionmaker, smtp_server) as worker,
            served_api(worker, dev_server_env, sessionmaker, tmp_path_factory.mktemp("api")) as api,
        ):
            yield api
    finally:
        names = ", ".join(table.name for table in metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@contextlib.asynccontextmanager
async def served_api(
    worker: Harness,
    env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    folder: Path,
    **settings_given: Any,
) -> AsyncIterator[Api]:
    """Seed the example team and serve the API over `sessions` and `worker`'s task queue while the context lasts.

    `settings_given` are further settings of the app (single sign-on's, for one).
    """
    async with sessions.begin() as session:
        await seed_examples(session, partnership_id=PROFILE.disagreement.partnership)
    settings = Settings(environment="test", task_queue=worker.task_queue, data_dir=folder / "data", **settings_given)
    services = Services(settings=settings, profile=PROFILE, sessions=sessions, client=env.client)
    async with (
        serving(create_app(services), LOOPBACK, 0) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=60) as http,
    ):
        yield Api(http=http, services=services, ids=EXAMPLE_IDS, worker=worker)
