"""Console sessions over HTTP: an expired, idle, signed-out or tampered session cookie signs nobody in; and a
whole run through the console and the API leaves no password, token, cookie or personal data in the logs.

The bearer tokens' refusals (tampered, expired, revoked) are `tests/api/test_identity.py`'s; the session's
rules themselves are `tests/service/test_sign_in.py`'s. Here they meet the served app.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from safeguarding.api.identity import SESSION_COOKIE
from safeguarding.schema import console_sessions
from safeguarding.service.sign_in import IDLE_MINUTES
from safeguarding.service.tokens import create_token
from tests.console.conftest import Console, sign_in_over_http
from tests.service.registrations import mother
from tests.workflows.time_control import last_working_day_at

TRAY = "/console/tray"
NOT_OURS = {"httpx", "httpcore", "mail"}
"""The loggers of the test's HTTP client (which logs the cookies it is sent) and of the SMTP server on loopback
that stands in for the mail relay (`mail.log`, which logs the addresses it is sent): not the service's."""


@contextlib.asynccontextmanager
async def _signed_in(console: Console, user_id: str, password: str) -> AsyncIterator[httpx.AsyncClient]:
    """Yield a client that signed in through the form, as a browser does (CSRF cookie and field)."""
    async with httpx.AsyncClient(base_url=console.base_url, timeout=30) as client:
        signed = await sign_in_over_http(client, user_id, password)
        assert signed.status_code in (303, 401), signed.status_code
        yield client


async def _age_sessions(console: Console, practitioner_id: str, **values: datetime) -> None:
    async with console.services.sessions.begin() as session:
        await session.execute(
            update(console_sessions).where(console_sessions.c.practitioner_id == practitioner_id).values(**values)
        )


def _sent_to_sign_in(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/console/sign-in")


@pytest.mark.parametrize("ended", ["expired", "idle", "signed out", "tampered"])
async def test_a_session_cookie_that_has_ended_or_been_tampered_with_signs_nobody_in(
    console: Console, ended: str
) -> None:
    user = console.ids.team_manager_id
    async with _signed_in(console, user, console.password) as browser:
        before = await browser.get(TRAY)
        now = datetime.now(UTC)
        if ended == "expired":
            await _age_sessions(console, user, expires_at=now - timedelta(seconds=1))
        elif ended == "idle":
            await _age_sessions(console, user, last_seen_at=now - timedelta(minutes=IDLE_MINUTES, seconds=1))
        elif ended == "signed out":
            kept = browser.cookies[SESSION_COOKIE]
            await browser.post("/console/sign-out", headers={"x-csrftoken": browser.cookies["safeguarding_csrf"]})
            browser.cookies.set(SESSION_COOKIE, kept)
        else:
            value = browser.cookies[SESSION_COOKIE]
            browser.cookies.set(SESSION_COOKIE, value[:-2] + ("xx" if not value.endswith("xx") else "yy"))
        page = await browser.get(TRAY)
        me = await browser.get("/me")

    assert before.status_code == 200
    assert _sent_to_sign_in(page), (page.status_code, page.headers.get("location"))
    assert me.status_code == 401


async def test_a_run_through_the_console_and_the_api_logs_no_credential_and_no_personal_data(
    console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ids = console.ids
    token = (await create_token(console.services, ids.social_worker_id)).token
    manager_token = (await create_token(console.services, ids.team_manager_id)).token
    child = {
        "given_name": "Zebadiah",
        "family_name": "Quillfeather-Oddly",
        "date_of_birth": "2016-02-29",
        "sex": "M",
        "ethnicity": "WBRI",
        "address": "17 Nonesuch Crescent, Fictiontown",
    }
    received = last_working_day_at(datetime.now(UTC), console.worker.calendar)

    async with _signed_in(console, ids.team_manager_id, "a wrong guess at it") as wrong:
        refused_sign_in = await wrong.get(TRAY)
    async with _signed_in(console, ids.team_manager_id, console.password) as browser:
        session_value = browser.cookies[SESSION_COOKIE]
        api = httpx.AsyncClient(base_url=console.base_url, timeout=60)
        async with api:
            contact = await api.post(
                "/contacts/new-child",
                json={
                    "registration": {"child": child, "family": [mother()]},
                    "received_at": received.isoformat(),
                    "source": "school",
                    "summary": "Fictional concern for testing.",
                    "referrer_email": "head@example.invalid",
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            workflow_id = contact.json()["workflow_id"]
            decided = await api.post(
                f"/processes/{workflow_id}/decisions/decide_contact",
                json={"outcome": "nfa_advice", "rationale": "No further action (fictional)"},
                headers={"Authorization": f"Bearer {manager_token}"},
            )
            refused_token = await api.get("/me", headers={"Authorization": f"Bearer {token[:-3]}xyz"})
        pages = [
            await browser.get(path) for path in (TRAY, f"/console/cases/{contact.json()['registration']['case_id']}")
        ]
        await browser.post("/console/sign-out", headers={"x-csrftoken": browser.cookies["safeguarding_csrf"]})

    assert (contact.status_code, decided.status_code, refused_token.status_code) == (201, 200, 401), contact.text
    assert _sent_to_sign_in(refused_sign_in)
    assert [page.status_code for page in pages] == [200, 200]
    logged = _everything_logged(caplog)
    assert "credential refused" in logged and "sign-in failed" in logged  # the refusals are logged, by id
    secrets = {
        "password": console.password,
        "wrong password": "a wrong guess at it",
        "token": token.split("_", 2)[2],
        "manager's token": manager_token.split("_", 2)[2],
        "session cookie": session_value,
        "given name": child["given_name"],
        "family name": child["family_name"],
        "date of birth": child["date_of_birth"],
        "address": "Nonesuch",
        "mother's name": mother()["person"]["given_name"],
        "mother's phone": mother()["person"]["phone"],
        "referrer's e-mail": "head@example.invalid",
    }
    assert [what for what, secret in secrets.items() if secret in logged] == []


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Return every record the app, the worker and the SDK logged, arguments and exceptions included.

    Left out: the loggers that are `NOT_OURS`.
    """
    lines: list[Any] = []
    for record in caplog.records:
        if record.name.split(".")[0] in NOT_OURS:
            continue
        lines += [record.getMessage(), repr(record.args), record.exc_text or ""]
    return "\n".join(str(line) for line in lines)
