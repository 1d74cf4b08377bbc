"""The console in a real browser: the app served on loopback, headless Chromium driven by Playwright, axe-core.

The app is served as `tests/api/conftest.py` serves the API: over the test's case store, with the example
team seeded and a worker polling a fresh task queue of the dev server. The browser is Debian's `chromium`
(Playwright's own download does not work here); without it the browser tests skip, saying why — except in
CI (`CI` set, as `.ci/run` sets it), where a missing browser fails them. axe-core comes from `node_modules`
(`make install`) and is added to every page before the page's own scripts (an init script, which the page's
Content-Security-Policy does not govern).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.api.app import create_app
from safeguarding.api.serving import serving
from safeguarding.config import Settings
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.service.sign_in import set_password
from safeguarding.service.status import process_status
from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds, seed_examples
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import PROFILE, Harness, running_harness
from tests.workflows.time_control import eventually, last_working_day_at

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
LOOPBACK = "127.0.0.1"
PASSWORD = "example-password-for-tests"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""axe tags each rule with the WCAG version that brought it in: AA of 2.2 is all five."""
BLOCKING = {"serious", "critical"}
SCREENSHOTS = Path(os.environ["CONSOLE_SCREENSHOTS"]) if os.environ.get("CONSOLE_SCREENSHOTS") else None
"""Where the browser tests save screenshots of the pages they reach, when set (for the README)."""


@dataclass
class Console:
    """The served console: its address, the services under it, the examples and their password."""

    base_url: str
    services: Services
    ids: ExampleIds
    worker: Harness
    password: str = PASSWORD


def _unavailable(reason: str) -> NoReturn:
    """Fail in CI, where the browser must be there; skip loudly elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason} (apt-get install -y --no-install-recommends chromium; make install)")


def _browser_parts() -> str:
    """Return Chromium's path once it and axe-core are found; skip (fail in CI) when either is missing."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        _unavailable("Debian's chromium is not installed")
    if not AXE.exists():
        _unavailable(f"axe-core is not under {NODE_MODULES}")
    return executable


def form_token(page: httpx.Response) -> str:
    """Return the CSRF token a console page's forms carry (`csrftoken`), as a browser would send it back."""
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert token is not None, page.text
    return token.group(1)


async def sign_in_over_http(http: httpx.AsyncClient, user_id: str, password: str = PASSWORD) -> httpx.Response:
    """Sign `http` in through the console's form, as a browser does (CSRF cookie and field); return the answer."""
    form = await http.get("/console/sign-in")
    fields = {"user_id": user_id, "password": password, "csrftoken": form_token(form)}
    return await http.post("/console/sign-in", data=fields)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Headless Debian Chromium, once per session."""
    executable = _browser_parts()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def console_worker(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> AsyncIterator[Harness]:
    """A worker with the real activities on a fresh task queue of the dev server."""
    async with running_harness(dev_server_env, db, smtp) as running:
        yield running


@pytest.fixture
async def console(
    console_worker: Harness,
    dev_server_env: WorkflowEnvironment,
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Console]:
    """The app served over the test's case store; the example team seeded, its managers and workers with passwords."""
    async with db.begin() as session:
        await seed_examples(session)
    settings = Settings(
        environment="test",
        task_queue=console_worker.task_queue,
        data_dir=tmp_path / "data",
        console_assets=NODE_MODULES,
    )
    services = Services(settings=settings, profile=PROFILE, sessions=db, client=dev_server_env.client)
    for practitioner_id in (EXAMPLE_IDS.team_manager_id, EXAMPLE_IDS.social_worker_id):
        await set_password(services, practitioner_id, PASSWORD)
    async with serving(create_app(services), LOOPBACK, 0) as base_url:
        yield Console(base_url=base_url, services=services, ids=EXAMPLE_IDS, worker=console_worker)


@pytest.fixture
async def context(browser: Browser, console: Console) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookies) on the console, with axe-core on every page."""
    opened = await browser.new_context(base_url=console.base_url)
    await opened.add_init_script(path=str(AXE))
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    """A page in the fresh profile."""
    return await context.new_page()


@pytest.fixture
async def http(console: Console) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client on the served console (no browser), following no redirects."""
    async with httpx.AsyncClient(base_url=console.base_url, timeout=30) as client:
        yield client


async def assert_accessible(page: Page) -> None:
    """Run axe-core over the page as it stands: no serious or critical violation of WCAG 2.2 AA."""
    results: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    blocking = [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]
    assert blocking == [], f"{page.url}: {blocking}"


async def sign_in(page: Page, user_id: str, password: str) -> None:
    """Fill in and send the sign-in form the page shows."""
    await page.get_by_label("User ID").fill(user_id)
    await page.get_by_label("Password", exact=True).fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def tab_to(page: Page, name: str, *, presses: int = 40) -> None:
    """Press Tab until the focused element's accessible name is `name`; fail if it never is."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el && el.labels && el.labels.length ? el.labels[0].innerText : '';
                return (label || el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
            }"""
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} never took the focus in {presses} presses of Tab")


def earlier(console: Console) -> datetime:
    """Return ten o'clock on the working day before today: a moment in office hours already past."""
    return last_working_day_at(datetime.now(UTC), console.worker.calendar)


async def front_door_awaiting_decision(console: Console, case_reference: str) -> str:
    """Record a contact through the service layer; return its front door once its decision is open."""
    manager = await principal_for(console.services, console.ids.team_manager_id)
    recorded = await record_contact(
        console.services,
        manager,
        ContactRequest(
            case_reference=case_reference,
            received_at=earlier(console),
            source="school",
            summary="The designated safeguarding lead is worried about bruising.",
        ),
    )

    async def open_task() -> bool:
        """the front door waits for its contact decision"""
        status = await process_status(console.services, manager, recorded.workflow_id)
        return any(task.key == "decide_contact" for task in status.open_tasks)

    await eventually(open_task, attempts=300, interval=0.1)
    return recorded.workflow_id
