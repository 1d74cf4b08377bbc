"""Temporal not answering, over HTTP: 503 "try again" with `Retry-After`; a refusal that is no outage is not one.

The API is served over the test's case store with the example team seeded, and a Temporal client whose server
has stopped (every call meets a refused connection): no worker, no stub. A refusal a live server gives at its
own whim (a permission refused) is stood in for at the transport of `describe` alone
(`tests.fixtures.describe_answers`): trying again would not mend it, so it is a 500, logged, never "try again".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.service import RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from safeguarding.api.app import create_app
from safeguarding.api.problems import MEDIA_TYPE, RETRY_AFTER_SECONDS
from safeguarding.api.serving import serving
from safeguarding.config import Settings
from safeguarding.service.root import Services
from safeguarding.service.tokens import create_token
from safeguarding.store.examples import EXAMPLE_IDS, seed_examples
from tests.api.conftest import LOOPBACK
from tests.fixtures.describe_answers import describe_answered_by, status_answer
from tests.fixtures.temporal import PROFILE

UNKNOWN = "front-door-contact-not-on-record"
"""A process the case store has no record of: who may read it can only be settled by asking Temporal."""


@contextlib.asynccontextmanager
async def _served(
    client: Client, sessions: async_sessionmaker[AsyncSession], folder: Path, practitioner_id: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Serve the API over `client` and the seeded case store; yield an HTTP client acting as `practitioner_id`."""
    async with sessions.begin() as session:
        await seed_examples(session, partnership_id=PROFILE.disagreement.partnership)
    settings = Settings(environment="test", data_dir=folder / "data")
    services = Services(settings=settings, profile=PROFILE, sessions=sessions, client=client)
    token = (await create_token(services, practitioner_id)).token
    async with (
        serving(create_app(services), LOOPBACK, 0) as base_url,
        httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http,
    ):
        yield http


async def test_a_status_read_while_temporal_is_down_is_a_503_problem_to_try_again(
    stopped_server_client: Client,
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with _served(stopped_server_client, db, tmp_path, EXAMPLE_IDS.team_manager_id) as http:
        with caplog.at_level(logging.WARNING, logger="safeguarding.api"):
            answer = await http.get(f"/processes/{UNKNOWN}")

    assert (answer.status_code, answer.headers["content-type"]) == (503, MEDIA_TYPE), answer.text
    assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert answer.json() == {
        "type": "about:blank",
        "title": "Try again",
        "status": 503,
        "detail": f"Temporal did not answer while asking {UNKNOWN} for its status (unavailable); try again",
        "instance": f"/processes/{UNKNOWN}",
    }
    assert [r.getMessage() for r in caplog.records if r.name == "safeguarding.api"] == [
        f"GET /processes/{UNKNOWN}: unavailable ({answer.json()['detail']})"
    ]


async def test_a_permission_temporal_refused_is_a_server_error_not_a_try_again(
    time_skipping_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    refusing = describe_answered_by(time_skipping_env, status_answer(RPCStatusCode.PERMISSION_DENIED))
    disagreement = {
        "about_workflow_id": UNKNOWN,
        "about_key": "decide_contact",
        "raised_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        "disagrees_with": "The contact should go to assessment.",
        "proposes": "A child and family assessment.",
    }
    async with _served(refusing, db, tmp_path, EXAMPLE_IDS.social_worker_id) as http:
        answer = await http.post("/disagreements", json=disagreement)

    assert (answer.status_code, answer.headers["content-type"]) == (500, MEDIA_TYPE), answer.text
    assert "retry-after" not in answer.headers
    assert answer.json()["detail"] == "Something went wrong on our side; it has been logged."
