"""A console page that needs Temporal while it is down: a GOV.UK page, 503, saying to try again and logged in one
line, as the API's 503 is; never a 500.

Over HTTP, no browser: the console served over the test's case store with the example team seeded, and a
Temporal client whose server has stopped (every call meets a refused connection). Signing in and the work
tray need the case store alone; a process's page asks the process itself, and so meets the outage.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from safeguarding.api.app import create_app
from safeguarding.api.identity import SESSION_COOKIE
from safeguarding.api.problems import RETRY_AFTER_SECONDS
from safeguarding.api.serving import serving
from safeguarding.config import Settings
from safeguarding.console.errors import HEADINGS
from safeguarding.service.root import Services
from safeguarding.service.sign_in import set_password
from safeguarding.store.examples import EXAMPLE_IDS, seed_examples
from tests.console.conftest import LOOPBACK, NODE_MODULES, PASSWORD, sign_in_over_http
from tests.fixtures.temporal import PROFILE

UNKNOWN = "front-door-contact-not-on-record"
"""A process the case store has no record of: who may read it can only be settled by asking Temporal."""


async def _sign_in(http: httpx.AsyncClient, practitioner_id: str) -> None:
    signed_in = await sign_in_over_http(http, practitioner_id)
    assert signed_in.status_code == 303 and SESSION_COOKIE in http.cookies, signed_in.text


async def test_a_process_page_while_temporal_is_down_is_a_503_page_saying_try_again_and_logged(
    stopped_server_client: Client,
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with db.begin() as session:
        await seed_examples(session)
    settings = Settings(environment="test", data_dir=tmp_path / "data", console_assets=NODE_MODULES)
    services = Services(settings=settings, profile=PROFILE, sessions=db, client=stopped_server_client)
    await set_password(services, EXAMPLE_IDS.social_worker_id, PASSWORD)
    async with (
        serving(create_app(services), LOOPBACK, 0) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=60) as http,
    ):
        await _sign_in(http, EXAMPLE_IDS.social_worker_id)
        tray = await http.get("/console/tray")
        with caplog.at_level(logging.WARNING, logger="safeguarding.api"):
            page = await http.get(f"/console/processes/{UNKNOWN}")

    assert tray.status_code == 200, "the tray reads the case store alone"
    assert (page.status_code, page.headers["content-type"]) == (503, "text/html; charset=utf-8"), page.text
    assert f'<h1 class="govuk-heading-l">{HEADINGS[503]}</h1>' in page.text
    said = f"Temporal did not answer while asking {UNKNOWN} for its status (unavailable); try again"
    assert f'<p class="govuk-body">{said}</p>' in html.unescape(page.text)
    assert page.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert [r.getMessage() for r in caplog.records if r.name == "safeguarding.api"] == [
        f"GET /console/processes/{UNKNOWN}: unavailable ({said})"
    ]
