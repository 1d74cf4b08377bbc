"""Where the console's CSRF check applies, over HTTP: the console's forms and the API called with the session cookie.

A bearer token is never a browser's ambient credential: the API under one is not subject to the check, even
from a client that holds the console's cookies. A console form without its token is refused with a GOV.UK
page; the API called with the session cookie and no `x-csrftoken` is refused as `application/problem+json`,
like every other refusal of the API. Nothing is written by a refused request.
"""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from safeguarding.api.identity import SESSION_COOKIE
from safeguarding.api.problems import MEDIA_TYPE
from safeguarding.console.security import CSRF_COOKIE, CSRF_DETAIL
from safeguarding.schema import cases
from safeguarding.service.tokens import create_token
from tests.console.conftest import Console, sign_in_over_http

CHILD = {
    "child": {
        "given_name": "Rowan",
        "family_name": "Fictional-Csrf",
        "date_of_birth": "2018-03-04",
        "sex": "U",
        "ethnicity": "NOBT",
        "address": "2 Nowhere Lane, Exampletown (fictional)",
    },
    "confirm_new_person": True,
}


async def _signed_in(console: Console, client: httpx.AsyncClient, practitioner_id: str) -> str:
    """Sign `client` in through the console's form; return the CSRF token its cookie holds."""
    signed_in = await sign_in_over_http(client, practitioner_id, console.password)
    assert signed_in.status_code == 303 and SESSION_COOKIE in client.cookies
    return str(client.cookies[CSRF_COOKIE])


async def _cases(console: Console) -> int:
    async with console.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(cases)) or 0)


async def _register(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    """Register a new child through the API (a write of the case store alone)."""
    return await client.post("/cases", json=CHILD, headers={"Idempotency-Key": uuid.uuid4().hex, **headers})


async def test_a_console_form_without_its_token_is_refused_with_a_gov_uk_page_and_changes_nothing(
    console: Console, http: httpx.AsyncClient
) -> None:
    await _signed_in(console, http, console.ids.social_worker_id)

    refused = await http.post("/console/sign-out", data={})

    assert (refused.status_code, refused.headers["content-type"]) == (403, "text/html; charset=utf-8")
    assert '<h1 class="govuk-heading-l">This form has expired</h1>' in refused.text
    still_signed_in = await http.get("/console/tray")
    assert still_signed_in.status_code == 200 and "Work tray" in still_signed_in.text


async def test_the_api_under_a_bearer_token_is_not_subject_to_the_consoles_csrf_check(
    console: Console, http: httpx.AsyncClient
) -> None:
    await _signed_in(console, http, console.ids.social_worker_id)  # the client holds the console's cookies too
    bearer = (await create_token(console.services, console.ids.social_worker_id)).token
    before = await _cases(console)

    registered = await _register(http, Authorization=f"Bearer {bearer}")

    assert registered.status_code == 201, registered.text
    assert await _cases(console) == before + 1


async def test_the_api_with_the_session_cookie_needs_the_token_and_is_refused_as_a_problem_without_it(
    console: Console, http: httpx.AsyncClient
) -> None:
    token = await _signed_in(console, http, console.ids.social_worker_id)
    before = await _cases(console)

    refused = await _register(http)

    assert (refused.status_code, refused.headers["content-type"]) == (403, MEDIA_TYPE)
    problem = refused.json()
    assert (problem["status"], problem["detail"], problem["instance"]) == (403, CSRF_DETAIL, "/cases")
    assert await _cases(console) == before

    with_token = await _register(http, **{"x-csrftoken": token})

    assert with_token.status_code == 201, with_token.text
    assert await _cases(console) == before + 1


async def test_a_stray_cookie_on_an_api_call_without_a_credential_is_refused_as_a_problem_not_a_page(
    console: Console,
) -> None:
    async with httpx.AsyncClient(base_url=console.base_url, cookies={"unrelated": "1"}) as client:
        refused = await _register(client)

    assert (refused.status_code, refused.headers["content-type"]) == (403, MEDIA_TYPE)
    assert "<html" not in refused.text
