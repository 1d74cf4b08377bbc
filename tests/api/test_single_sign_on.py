"""The council's single sign-on at the API: the identity provider's bearer JWTs, verified against its published keys.

A real issuer on loopback (`tests.fixtures.oidc_issuer`) serves its discovery document and key set and signs
the tokens; the real API, served by uvicorn, fetches and verifies them. A mapped team manager reads their
tray and decodes a history's payload; every token failing a check is refused 401 problem+json, logged with
ids only — never the token, never the subject (an e-mail address here).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.oidc import IssuerKeys, sso_tokens
from safeguarding.schema import metadata
from safeguarding.service.errors import Unavailable
from safeguarding.store.practitioners import update_practitioner
from tests.api.conftest import Api, served_api
from tests.api.test_codec_server import NOTE, encrypted_note
from tests.fixtures.oidc_issuer import AUDIENCE, Issuer, ec_key, rsa_key, running_issuer
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import running_harness

CLAIM = "email"
MANAGER = "sam.manager@testshire.example"
INACTIVE = "alex.former@testshire.example"
UNMAPPED = "someone.else@testshire.example"


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with running_issuer() as running:
        yield running


@pytest.fixture(scope="module")
async def sso_api(
    issuer: Issuer,
    dev_server_env: WorkflowEnvironment,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    smtp_server: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Api]:
    """The API with single sign-on on (keys fetched again at once for an unknown key id); the team manager and
    an inactive support worker mapped. Every table is emptied when the module ends."""
    settings = {
        "oidc_issuer": issuer.url,
        "oidc_audience": AUDIENCE,
        "oidc_subject_claim": CLAIM,
        "oidc_keys_refresh_cooldown_seconds": 0,
    }
    try:
        async with (
            running_harness(dev_server_env, sessionmaker, smtp_server) as worker,
            served_api(worker, dev_server_env, sessionmaker, tmp_path_factory.mktemp("sso"), **settings) as api,
        ):
            async with sessionmaker.begin() as session:
                await update_practitioner(api.ids.team_manager_id, {"sso_subject": MANAGER}, session=session)
                await update_practitioner(
                    api.ids.midwife_id, {"sso_subject": INACTIVE, "active": False}, session=session
                )
            yield api
    finally:
        names = ", ".join(table.name for table in metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_mapped_team_manager_reads_their_tray_and_decodes_a_payload(sso_api: Api, issuer: Issuer) -> None:
    token = issuer.sign(issuer.claims(CLAIM, MANAGER))

    me = await sso_api.http.get("/me", headers=bearer(token))
    tray = await sso_api.http.get("/tray/mine", headers=bearer(token))
    decoded = await sso_api.http.post(
        "/codec/decode", json=await encrypted_note(sso_api), headers={**bearer(token), "X-Namespace": "default"}
    )

    assert me.status_code == 200, me.text
    assert me.json() == {
        "practitioner_id": sso_api.ids.team_manager_id,
        "role": "team_manager",
        "team_id": sso_api.ids.team_id,
    }
    assert tray.status_code == 200, tray.text
    assert decoded.status_code == 200, decoded.text
    [payload] = decoded.json()["payloads"]
    assert json.loads(base64.b64decode(payload["data"])) == NOTE


async def test_our_own_tokens_still_work_beside_single_sign_on(sso_api: Api) -> None:
    response = await sso_api.http.get("/me", headers=await sso_api.headers(Role.SOCIAL_WORKER))

    assert response.status_code == 200, response.text
    assert response.json()["practitioner_id"] == sso_api.ids.social_worker_id


def refused_tokens(issuer: Issuer) -> dict[str, tuple[str, str]]:
    """Each way a token can fail a check: the token, and the cause the refusal's log line gives."""
    valid = issuer.claims(CLAIM, MANAGER)
    header, _payload, signature = issuer.sign(valid).split(".")
    tampered_payload = issuer.sign(issuer.claims(CLAIM, "other@testshire.example")).split(".")[1]
    without = {name: {key: value for key, value in valid.items() if key != name} for name in ("exp", CLAIM)}
    return {
        "expired": (
            issuer.sign(issuer.claims(CLAIM, MANAGER, exp=valid["iat"] - 3600, nbf=valid["iat"] - 7200)),
            "it has expired",
        ),
        "not yet valid": (issuer.sign(issuer.claims(CLAIM, MANAGER, nbf=valid["iat"] + 3600)), "not yet valid"),
        "without exp": (issuer.sign(without["exp"]), "Missing claim: 'exp'"),
        "wrong audience": (issuer.sign(issuer.claims(CLAIM, MANAGER, aud="another-service")), "Invalid claim: 'aud'"),
        "wrong issuer": (
            issuer.sign(issuer.claims(CLAIM, MANAGER, iss="https://login.elsewhere.example")),
            "Invalid claim: 'iss'",
        ),
        "unknown kid": (issuer.sign(valid, key=rsa_key("never-published")), "the issuer publishes no such key"),
        "alg none": (issuer.unsigned(valid), "algorithm none is not allowed"),
        "HS256 with the public key": (issuer.hmac_with_public_key(valid), "algorithm HS256 is not allowed"),
        "tampered payload": (f"{header}.{tampered_payload}.{signature}", "the signature does not verify"),
        "not a JWT": ("not-a-jwt", "it is not a signed JWT"),
        "unmapped subject": (issuer.sign(issuer.claims(CLAIM, UNMAPPED)), "is mapped to no practitioner"),
        "inactive practitioner": (issuer.sign(issuer.claims(CLAIM, INACTIVE)), "who is inactive"),
        "no subject claim": (issuer.sign(without[CLAIM]), f"it carries no {CLAIM} claim"),
    }


@pytest.mark.parametrize("path", ["/tray/mine", "/codec/decode"])
async def test_every_failing_token_is_refused_401_and_logged_without_the_token_or_the_subject(
    sso_api: Api, issuer: Issuer, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = await encrypted_note(sso_api)
    for case, (token, cause) in refused_tokens(issuer).items():
        caplog.clear()

        if path == "/codec/decode":
            response = await sso_api.http.post(path, json=body, headers=bearer(token))
        else:
            response = await sso_api.http.get(path, headers=bearer(token))

        assert response.status_code == 401, (case, response.text)
        assert response.headers["content-type"] == "application/problem+json", case
        assert response.json()["detail"] == "the bearer token is not valid", case
        refusals = [r.getMessage() for r in caplog.records if r.name == "safeguarding.credentials"]
        assert [line for line in refusals if line.startswith("credential refused")] != [], (case, refusals)
        assert cause in refusals[-1], (case, refusals)
        logged = caplog.text + " ".join(r.getMessage() for r in caplog.records)
        for secret in (token, token.split(".")[-1], MANAGER, UNMAPPED, INACTIVE):
            assert not secret or secret not in logged, case


async def test_an_unknown_key_id_makes_the_api_fetch_the_key_set_again_before_refusing(
    sso_api: Api, issuer: Issuer
) -> None:
    fetched = issuer.jwks_fetches

    response = await sso_api.http.get(
        "/me", headers=bearer(issuer.sign(issuer.claims(CLAIM, MANAGER), key=rsa_key("k9")))
    )

    assert response.status_code == 401
    assert issuer.jwks_fetches == fetched + 1


async def test_a_key_rotated_at_the_issuer_is_picked_up(sso_api: Api, issuer: Issuer) -> None:
    old = issuer.sign(issuer.claims(CLAIM, MANAGER))
    assert (await sso_api.http.get("/me", headers=bearer(old))).status_code == 200
    new_key = ec_key("key-2")

    issuer.rotate(new_key)
    rotated = await sso_api.http.get("/me", headers=bearer(issuer.sign(issuer.claims(CLAIM, MANAGER), key=new_key)))
    retired = await sso_api.http.get("/me", headers=bearer(old))

    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["practitioner_id"] == sso_api.ids.team_manager_id
    assert retired.status_code == 401


async def test_the_key_set_is_cached_and_an_unknown_key_fetches_it_at_most_once_per_cooldown(issuer: Issuer) -> None:
    now = [1000.0]
    keys = IssuerKeys(issuer.url, ttl_seconds=3600, cooldown_seconds=30, clock=lambda: now[0])
    fetched = issuer.jwks_fetches
    known = issuer.keys[0].kid
    assert known is not None

    assert await keys.key(known) is not None
    assert await keys.key(known) is not None
    assert await keys.key("made-up-1") is None
    assert issuer.jwks_fetches == fetched + 1  # within the cooldown: no fetch for a made-up key
    now[0] += 31
    assert await keys.key("made-up-2") is None
    assert issuer.jwks_fetches == fetched + 2
    now[0] += 3600
    assert await keys.key(known) is not None
    assert issuer.jwks_fetches == fetched + 3  # stale after the TTL


async def test_an_issuer_that_does_not_answer_is_a_503_not_a_refusal(issuer: Issuer) -> None:
    with running_issuer() as gone:
        url = gone.url
    tokens = sso_tokens(Settings(environment="test", oidc_issuer=url, oidc_audience=AUDIENCE))
    assert tokens is not None

    with pytest.raises(Unavailable):
        await tokens.subject_of(issuer.sign(issuer.claims("sub", "someone", iss=url)))
