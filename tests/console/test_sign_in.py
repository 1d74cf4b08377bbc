"""Signing in and out of the console in a real browser; the forms' CSRF tokens and the pages' CSP over HTTP."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from safeguarding.api.identity import SESSION_COOKIE
from safeguarding.schema import console_sessions
from tests.console.conftest import SCREENSHOTS, Console, assert_accessible, sign_in


async def test_a_wrong_password_is_refused_with_an_error_summary_and_signing_out_ends_the_session(
    console: Console, context: BrowserContext, page: Page, http: httpx.AsyncClient
) -> None:
    await page.goto("/console/tray")
    await expect(page).to_have_url(re.compile(r"/console/sign-in\?next=/console/tray$"))
    await assert_accessible(page)

    await sign_in(page, console.ids.team_manager_id, "not the password")

    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("Enter a correct user ID and password")
    await expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    await expect(page.get_by_label("User ID")).to_have_value(console.ids.team_manager_id)
    await assert_accessible(page)

    await sign_in(page, console.ids.team_manager_id, console.password)

    await expect(page).to_have_url(re.compile(r"/console/tray$"))
    await expect(page.get_by_role("heading", name="Work tray")).to_be_visible()
    await expect(page.locator(".moj-identity-bar")).to_contain_text("Team manager")
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "tray-empty.png"), full_page=True)
    cookie = next(c["value"] for c in await context.cookies() if c["name"] == SESSION_COOKIE)

    await page.get_by_role("button", name="Sign out").click()

    await expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    await assert_accessible(page)
    await page.goto("/console/tray")
    await expect(page).to_have_url(re.compile(r"/console/sign-in"))
    async with httpx.AsyncClient(base_url=console.base_url, cookies={SESSION_COOKIE: cookie}) as replaying:
        replayed = await replaying.get("/console/tray")
    assert (replayed.status_code, replayed.headers["location"]) == (303, "/console/sign-in?next=/console/tray")
    async with console.services.sessions() as session:
        ended = (await session.scalars(select(console_sessions.c.ended_at))).all()
    assert len(ended) == 1 and ended[0] is not None


async def test_a_form_posted_without_its_csrf_token_is_refused_and_signs_nobody_in(
    console: Console, http: httpx.AsyncClient
) -> None:
    form = await http.get("/console/sign-in")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token is not None
    fields = {"user_id": console.ids.team_manager_id, "password": console.password}

    async with httpx.AsyncClient(base_url=console.base_url) as stranger:
        without_cookie = await stranger.post("/console/sign-in", data=fields)
    without_token = await http.post("/console/sign-in", data=fields)
    with_token = await http.post("/console/sign-in", data={**fields, "csrftoken": token.group(1)})

    assert [without_cookie.status_code, without_token.status_code] == [403, 403]
    assert SESSION_COOKIE not in without_token.cookies
    assert (with_token.status_code, with_token.headers["location"]) == (303, "/console/tray")


async def test_every_page_carries_a_strict_content_security_policy_whose_nonce_is_the_inline_scripts(
    http: httpx.AsyncClient,
) -> None:
    first = await http.get("/console/sign-in")
    second = await http.get("/console/sign-in")

    policies = [response.headers["content-security-policy"] for response in (first, second)]
    nonces = [re.search(r"'nonce-([^']+)'", policy) for policy in policies]
    assert all(nonces) and nonces[0].group(1) != nonces[1].group(1)  # type: ignore[union-attr]
    assert f'<script nonce="{nonces[0].group(1)}">' in first.text  # type: ignore[union-attr]
    assert "unsafe-inline" not in policies[0] and "script-src 'self' 'nonce-" in policies[0]
    stylesheet = await http.get("/assets/govuk/govuk-frontend.min.css")
    font = await http.get("/assets/fonts/" + re.search(r"/assets/fonts/([\w.-]+\.woff2)", stylesheet.text).group(1))  # type: ignore[union-attr]
    assert (stylesheet.status_code, font.status_code) == (200, 200)


async def test_with_javascript_off_a_practitioner_signs_in_filters_the_tray_and_signs_out(
    console: Console, browser: Browser
) -> None:
    context = await browser.new_context(base_url=console.base_url, java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto("/console/sign-in")
        await sign_in(page, console.ids.social_worker_id, console.password)
        await expect(page.locator(".moj-identity-bar")).to_contain_text("Social worker")

        await page.get_by_label("Due").select_option("overdue")
        await page.get_by_role("button", name="Apply filters").click()
        await expect(page).to_have_url(re.compile(r"window=overdue"))
        await expect(page.get_by_text("There are no open tasks matching these filters.")).to_be_visible()
        await page.get_by_role("button", name="Sign out").click()

        await expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    finally:
        await context.close()


async def test_an_unknown_console_page_is_a_gov_uk_page_and_an_unknown_api_path_stays_a_problem(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get("/console/nowhere")
    api = await http.get("/nowhere")

    assert (page.status_code, page.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page.text
    assert "content-security-policy" in page.headers
    assert (api.status_code, api.headers["content-type"]) == (404, "application/problem+json")
