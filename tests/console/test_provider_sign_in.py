"""Signing in to the console with the council account: to a real identity provider on loopback and back.

The console, served by uvicorn over the test's case store, is a client of the miniature issuer
(`tests.fixtures.oidc_issuer`), which signs in whoever the test says, redirects back with a code, and exchanges
it once, for the console's secret and the PKCE verifier, for a signed ID token. The browser is an httpx client
that follows each redirect by hand, so every hop can be read; and once, Debian's Chromium, clicking the
button on the sign-in page (axe-core checks that page, WCAG 2.2 AA). A mapped team manager signs in and lands where
they were going; every sign-in that is not this browser's own, or not proved, is refused with the sign-in page
(401), logged with codes and ids only: never a code, a token or the subject (an e-mail address here).
Signing out of such a session goes by the provider's end-session endpoint, so its session ends too.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Browser, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.api.app import create_app
from safeguarding.api.identity import SESSION_COOKIE
from safeguarding.api.serving import serving
from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.labels import words
from safeguarding.oidc_sign_in import REFUSED
from safeguarding.service.root import Services
from safeguarding.service.sign_in import set_password
from safeguarding.store.examples import EXAMPLE_IDS, seed_examples
from safeguarding.store.practitioners import update_practitioner
from tests.console.conftest import (
    AXE,
    LOOPBACK,
    NODE_MODULES,
    PASSWORD,
    assert_accessible,
    form_token,
    sign_in_over_http,
)
from tests.fixtures.oidc_issuer import AUDIENCE, CONSOLE_CLIENT, CONSOLE_SECRET, Issuer, running_issuer
from tests.fixtures.temporal import PROFILE

CLAIM = "email"
MANAGER = "sam.manager@testshire.example"
UNMAPPED = "someone.else@testshire.example"
GOING_TO = "/console/dashboard"


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with running_issuer() as running:
        yield running


@pytest.fixture(autouse=True)
def manager_signs_in(issuer: Issuer) -> None:
    """Each test begins with the team manager signing in at the provider, and honest ID tokens."""
    issuer.signs_in = (CLAIM, MANAGER)
    issuer.id_token_changes = {}
    issuer.ends_sessions = True
    issuer.sessions_ended = []


@contextlib.asynccontextmanager
async def provider_console(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, **settings: object
) -> AsyncIterator[httpx.AsyncClient]:
    """Serve the console as the council's provider's client; yield a browser of it (cookies kept)."""
    async with db.begin() as session:
        await seed_examples(session)
        await update_practitioner(EXAMPLE_IDS.team_manager_id, {"sso_subject": MANAGER}, session=session)
    configured = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        console_assets=NODE_MODULES,
        oidc_issuer=issuer.url,
        oidc_audience=AUDIENCE,
        oidc_subject_claim=CLAIM,
        **{"oidc_console_client_id": CONSOLE_CLIENT, "oidc_console_client_secret": CONSOLE_SECRET, **settings},
    )
    services = Services(settings=configured, profile=PROFILE, sessions=db)
    await set_password(services, EXAMPLE_IDS.social_worker_id, PASSWORD)
    async with (
        serving(create_app(services), LOOPBACK, 0) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as browser,
    ):
        yield browser


async def _to_provider(browser: httpx.AsyncClient) -> httpx.URL:
    """Begin the sign-in; return the provider's address the console sent the browser to."""
    sent = await browser.get(f"/console/sign-in/provider?next={GOING_TO}")
    assert sent.status_code == 303, sent.text
    return httpx.URL(sent.headers["location"])


async def _back_from_provider(provider_address: httpx.URL) -> str:
    """Sign in at the provider; return the path and query it sends the browser back to."""
    async with httpx.AsyncClient(timeout=30) as at_provider:
        answered = await at_provider.get(provider_address)
    assert answered.status_code == 302, answered.text
    back = urlsplit(answered.headers["location"])
    return f"{back.path}?{back.query}"


async def _password_sign_in(browser: httpx.AsyncClient, practitioner_id: str) -> None:
    signed_in = await sign_in_over_http(browser, practitioner_id)
    assert signed_in.status_code == 303, signed_in.text


async def _sign_out(browser: httpx.AsyncClient) -> httpx.Response:
    """Press "Sign out" on the tray: its form's CSRF token, posted."""
    page = await browser.get("/console/tray")
    return await browser.post("/console/sign-out", data={"csrftoken": form_token(page)})


def _refused(page: httpx.Response) -> None:
    assert page.status_code == 401, page.text
    assert REFUSED in page.text
    assert SESSION_COOKIE not in page.cookies


async def _signed_in(browser: httpx.AsyncClient) -> bool:
    tray = await browser.get("/console/tray")
    return tray.status_code == 200


async def test_a_mapped_manager_signs_in_with_the_council_account_and_lands_where_they_were_going(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        page = await browser.get(f"/console/sign-in?next={GOING_TO}")
        address = await _to_provider(browser)
        with caplog.at_level(logging.INFO):
            back = await _back_from_provider(address)
            landed = await browser.get(back)
        dashboard = await browser.get(GOING_TO)

    assert 'id="provider"' in page.text and "Sign in with your council account" in page.text
    assert f"form-action 'self' {issuer.url};" in page.headers["content-security-policy"], "sign-out goes there"
    asked = {key: values[0] for key, values in parse_qs(address.query.decode()).items()}
    assert f"{address.scheme}://{address.host}:{address.port}" == issuer.url and address.path == "/authorize"
    assert asked["client_id"] == CONSOLE_CLIENT and asked["response_type"] == "code" and asked["scope"] == "openid"
    assert asked["code_challenge_method"] == "S256" and re.fullmatch(r"[A-Za-z0-9_-]{43}", asked["code_challenge"])
    assert asked["state"] and asked["nonce"] and asked["state"] != asked["nonce"]
    assert asked["redirect_uri"].endswith("/console/sign-in/callback")
    assert (landed.status_code, landed.headers["location"]) == (303, GOING_TO), landed.text
    assert dashboard.status_code == 200
    assert f"signed in through the identity provider: practitioner {EXAMPLE_IDS.team_manager_id}" in caplog.messages
    code = parse_qs(urlsplit(back).query)["code"][0]
    ours = [record.getMessage() for record in caplog.records if record.name.startswith("safeguarding")]
    assert not any(code in line or MANAGER in line for line in ours)


async def test_the_public_address_is_where_the_provider_sends_the_browser_back(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer
) -> None:
    public = "https://safeguarding.council.example"
    async with provider_console(db, tmp_path, issuer, public_url=public) as browser:
        address = await _to_provider(browser)

    assert parse_qs(address.query.decode())["redirect_uri"] == [f"{public}/console/sign-in/callback"]


async def test_a_sign_in_brought_back_to_another_browser_is_refused(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        back = await _back_from_provider(await _to_provider(browser))
        async with httpx.AsyncClient(base_url=str(browser.base_url), timeout=30) as other_browser:
            with caplog.at_level(logging.WARNING, logger="safeguarding.credentials"):
                page = await other_browser.get(back)
            other_signed_in = await _signed_in(other_browser)

    _refused(page)
    assert not other_signed_in
    assert caplog.messages == [
        "credential refused: console sign-in through the identity provider: no sign-in was begun in this browser"
    ]


async def test_a_state_that_is_not_the_one_sent_is_refused_and_its_code_never_exchanged(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        back = await _back_from_provider(await _to_provider(browser))
        query = parse_qs(urlsplit(back).query)
        forged = f"/console/sign-in/callback?code={query['code'][0]}&state=another-{query['state'][0]}"
        with caplog.at_level(logging.WARNING, logger="safeguarding.credentials"):
            page = await browser.get(forged)
        signed_in = await _signed_in(browser)

    _refused(page)
    assert not signed_in
    assert query["code"][0] in issuer.grants, "a code brought back with a forged state was exchanged"
    assert caplog.messages == [
        "credential refused: console sign-in through the identity provider: "
        "the state sent back is not the one this browser was sent with"
    ]


async def test_a_code_the_provider_will_not_exchange_is_refused(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        back = await _back_from_provider(await _to_provider(browser))
        issuer.grants.clear()  # used already, or expired, at the provider
        with caplog.at_level(logging.WARNING, logger="safeguarding.credentials"):
            page = await browser.get(back)

    _refused(page)
    assert caplog.messages == [
        "credential refused: console sign-in through the identity provider: "
        "the token endpoint refused the code (invalid_grant)"
    ]


@pytest.mark.parametrize(
    ("changes", "cause"),
    [
        ({"nonce": "a-nonce-from-another-sign-in"}, "the ID token's nonce is not the one sent"),
        ({"aud": AUDIENCE}, "credential refused: single sign-on token (key key-1): Invalid claim: 'aud'"),
    ],
    ids=["another nonce", "another audience"],
)
async def test_an_id_token_not_made_for_this_sign_in_is_refused(
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    issuer: Issuer,
    caplog: pytest.LogCaptureFixture,
    changes: dict[str, str],
    cause: str,
) -> None:
    issuer.id_token_changes = changes
    async with provider_console(db, tmp_path, issuer) as browser:
        back = await _back_from_provider(await _to_provider(browser))
        with caplog.at_level(logging.WARNING, logger="safeguarding.credentials"):
            page = await browser.get(back)
        signed_in = await _signed_in(browser)

    _refused(page)
    assert not signed_in
    assert any(cause in line for line in caplog.messages), caplog.messages


async def test_an_account_mapped_to_no_practitioner_or_declined_at_the_provider_is_refused(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        issuer.signs_in = (CLAIM, UNMAPPED)
        with caplog.at_level(logging.WARNING, logger="safeguarding.credentials"):
            unmapped = await browser.get(await _back_from_provider(await _to_provider(browser)))
            issuer.signs_in = None
            declined = await browser.get(await _back_from_provider(await _to_provider(browser)))
        signed_in = await _signed_in(browser)

    _refused(unmapped)
    _refused(declined)
    assert not signed_in
    assert any("is mapped to no practitioner" in line for line in caplog.messages), caplog.messages
    assert (
        "credential refused: console sign-in through the identity provider: the identity provider answered "
        "access_denied" in caplog.messages
    )
    assert not any(UNMAPPED in line for line in caplog.messages)


async def test_without_a_console_client_there_is_no_council_account_button_and_no_route(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer
) -> None:
    async with provider_console(
        db, tmp_path, issuer, oidc_console_client_id=None, oidc_console_client_secret=None
    ) as browser:
        page = await browser.get("/console/sign-in")
        begun = await browser.get("/console/sign-in/provider")

    assert page.status_code == 200 and 'id="provider"' not in page.text
    assert "form-action 'self';" in page.headers["content-security-policy"]
    assert begun.status_code == 404


async def test_in_a_browser_the_council_account_button_signs_the_manager_in_and_sign_out_signs_them_out_there_too(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, browser: Browser
) -> None:
    async with provider_console(db, tmp_path, issuer) as http:
        context = await browser.new_context(base_url=str(http.base_url))
        await context.add_init_script(path=str(AXE))
        try:
            page = await context.new_page()
            await page.goto(f"/console/sign-in?next={GOING_TO}")
            await assert_accessible(page)
            await page.get_by_role("button", name="Sign in with your council account").click()
            await page.wait_for_url(f"**{GOING_TO}")
            await expect(page.locator(".moj-identity-bar")).to_contain_text(words(Role.TEAM_MANAGER))
            cookies = {cookie["name"] for cookie in await context.cookies()}
            await page.get_by_role("button", name="Sign out").click()
            await page.wait_for_url("**/console/sign-in?signed_out=true")
            await expect(page.get_by_text("You have signed out.")).to_be_visible()
        finally:
            await context.close()

    assert SESSION_COOKIE in cookies
    assert len(issuer.sessions_ended) == 1, "signing out went by the provider's end-session endpoint"


async def test_signing_out_ends_the_session_at_the_provider_too_and_comes_back_to_the_sign_in_page(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        await browser.get(await _back_from_provider(await _to_provider(browser)))
        signed_out = await _sign_out(browser)
        async with httpx.AsyncClient(timeout=30) as at_provider:
            back = await at_provider.get(signed_out.headers["location"])
        still_signed_in = await _signed_in(browser)

    assert signed_out.status_code == 303, signed_out.text
    assert signed_out.headers["location"].startswith(f"{issuer.url}/logout?")
    [asked] = issuer.sessions_ended
    assert asked["client_id"] == CONSOLE_CLIENT
    assert asked["post_logout_redirect_uri"] == f"{str(browser.base_url).rstrip('/')}/console/sign-in?signed_out=true"
    assert asked["id_token_hint"] == issuer.issued[-1], "the hint is the ID token the sign-in was given"
    assert back.status_code == 302 and back.headers["location"] == asked["post_logout_redirect_uri"]
    assert not still_signed_in


async def test_a_password_sign_in_or_a_provider_without_an_end_session_endpoint_signs_out_here_alone(
    db: async_sessionmaker[AsyncSession], tmp_path: Path, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    async with provider_console(db, tmp_path, issuer) as browser:
        await _password_sign_in(browser, EXAMPLE_IDS.social_worker_id)
        by_password = await _sign_out(browser)
        await browser.get(await _back_from_provider(await _to_provider(browser)))
        issuer.ends_sessions = False
        with caplog.at_level(logging.WARNING, logger="safeguarding.credentials"):
            no_endpoint = await _sign_out(browser)
        still_signed_in = await _signed_in(browser)

    for signed_out in (by_password, no_endpoint):
        assert (signed_out.status_code, signed_out.headers["location"]) == (303, "/console/sign-in?signed_out=true")
    assert issuer.sessions_ended == []
    assert not still_signed_in
    assert f"single sign-on: the identity provider {issuer.url} names no end_session_endpoint" in caplog.messages
