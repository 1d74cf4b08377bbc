"""Who is calling comes from the credential only: bearer tokens made, used, expired, revoked, tampered with."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from safeguarding.api.identity import SESSION_COOKIE, session_cookies
from safeguarding.codes import Role
from safeguarding.schema import api_tokens, practitioners
from safeguarding.service.sign_in import set_password, sign_in, sign_out
from safeguarding.service.tokens import create_token, list_tokens, revoke_token
from tests.api.conftest import Api

PROBLEM = "application/problem+json"
PASSWORD = "correct horse battery staple"


async def test_a_token_acts_as_its_practitioner_with_the_role_and_team_the_case_store_gives(api: Api) -> None:
    response = await api.http.get("/me", headers=await api.headers(Role.TEAM_MANAGER))

    assert response.status_code == 200
    assert response.json() == {
        "practitioner_id": api.ids.team_manager_id,
        "role": "team_manager",
        "team_id": api.ids.team_id,
    }


async def test_a_practitioner_moved_to_another_role_acts_in_the_new_role_with_the_same_token(api: Api) -> None:
    headers = await api.headers(Role.SOCIAL_WORKER)
    async with api.services.sessions.begin() as session:
        await session.execute(
            update(practitioners).where(practitioners.c.id == api.ids.social_worker_id).values(role="support_worker")
        )

    response = await api.http.get("/me", headers=headers)

    assert response.json()["role"] == "support_worker"


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-token", "Bearer sgw_000000000000_unknown"],
    ids=["none", "basic", "empty", "foreign", "unknown"],
)
async def test_a_request_without_a_valid_token_is_answered_401_as_a_problem(
    api: Api, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = await api.http.get("/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["status"] == 401


async def test_a_tampered_expired_or_revoked_token_is_refused_and_the_log_names_only_its_id(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    issued = await create_token(api.services, api.ids.team_manager_id, expires_days=30)
    tampered = issued.token[:-4] + ("AAAA" if not issued.token.endswith("AAAA") else "BBBB")
    caplog.set_level(logging.INFO, logger="safeguarding.credentials")

    refused_tampered = await api.http.get("/me", headers={"Authorization": f"Bearer {tampered}"})
    async with api.services.sessions.begin() as session:
        await session.execute(
            update(api_tokens)
            .where(api_tokens.c.id == issued.id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    refused_expired = await api.http.get("/me", headers={"Authorization": f"Bearer {issued.token}"})
    other = await create_token(api.services, api.ids.team_manager_id)
    accepted = await api.http.get("/me", headers={"Authorization": f"Bearer {other.token}"})
    await revoke_token(api.services, other.id)
    refused_revoked = await api.http.get("/me", headers={"Authorization": f"Bearer {other.token}"})

    assert [r.status_code for r in (refused_tampered, refused_expired, accepted, refused_revoked)] == [
        401,
        401,
        200,
        401,
    ]
    reasons = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    assert reasons == [
        f"credential refused: token {issued.id} has a wrong secret",
        f"credential refused: token {issued.id} has expired",
        f"credential refused: token {other.id} is revoked",
    ]
    secrets = (issued.token.split("_", 2)[2], other.token.split("_", 2)[2])
    assert not [line for line in caplog.text.splitlines() if any(secret in line for secret in secrets)]


async def test_an_inactive_practitioners_token_is_refused(api: Api) -> None:
    headers = await api.headers(Role.SOCIAL_WORKER)
    async with api.services.sessions.begin() as session:
        await session.execute(
            update(practitioners).where(practitioners.c.id == api.ids.social_worker_id).values(active=False)
        )

    response = await api.http.get("/me", headers=headers)

    assert response.status_code == 403
    assert "inactive" in response.json()["detail"]


async def test_tokens_are_kept_only_as_hashes_and_listed_without_their_secrets(api: Api) -> None:
    issued = await create_token(api.services, api.ids.team_manager_id, label="back office")

    listed = await list_tokens(api.services, api.ids.team_manager_id)
    async with api.services.sessions() as session:
        stored = (await session.execute(api_tokens.select())).mappings().all()

    assert [token.id for token in listed] == [issued.id]
    assert "token" not in listed[0].model_dump()
    assert all(issued.token not in str(dict(row)) for row in stored)


async def test_a_signed_session_cookie_is_a_credential_until_signed_out_and_a_forged_one_is_refused(api: Api) -> None:
    await set_password(api.services, api.ids.team_manager_id, PASSWORD)
    started = await sign_in(api.services, api.ids.team_manager_id, PASSWORD, now=datetime.now(UTC))
    cookies = session_cookies(api.services.settings)
    value = cookies.issue(started.secret)
    unknown = cookies.issue("a-secret-no-session-has")

    signed = await api.http.get("/me", headers={"Cookie": f"{SESSION_COOKIE}={value}"})
    forged = await api.http.get("/me", headers={"Cookie": f"{SESSION_COOKIE}={value[:-2]}xx"})
    made_up = await api.http.get("/me", headers={"Cookie": f"{SESSION_COOKIE}={unknown}"})
    await sign_out(api.services, started.secret, now=datetime.now(UTC))
    ended = await api.http.get("/me", headers={"Cookie": f"{SESSION_COOKIE}={value}"})

    assert (signed.status_code, signed.json()["practitioner_id"]) == (200, api.ids.team_manager_id)
    assert [forged.status_code, made_up.status_code, ended.status_code] == [401, 401, 401]


async def test_the_openapi_document_describes_every_route_and_health_needs_no_credential(api: Api) -> None:
    document = (await api.http.get("/openapi.json")).json()
    health = await api.http.get("/health")

    assert health.json() == {"status": "ok"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method.upper()} {path} has no description"
