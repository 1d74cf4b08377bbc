"""The Temporal token renewed in its secret file is used without a restart; one set in the environment is left alone.

A real client connected to the time-skipping server (which, like the dev server, has no authorizer, so any
token is let through: what is tested is that our side takes the renewed token and keeps working with it).
The secret file is renewed the way secret agents do it: a new file written beside it and renamed over it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from safeguarding.config import Settings
from safeguarding.service.root import Services
from safeguarding.temporal import connect
from safeguarding.temporal_token import TOKEN_FILE, fresh_token, token_file
from tests.fixtures.temporal import PROFILE, TEST_KEYS

FIRST = "header.first-claims.signature"
RENEWED = "header.renewed-claims.signature"
CHECK_SECONDS = 0.05
SETTLE_SECONDS = 10.0
"""A hang guard: how long a renewal may take to reach the client."""


def _renew(folder: Path, token: str) -> None:
    """Write `token` over the secret file as a secret agent does: beside it, then renamed over it."""
    fresh = folder / f".{TOKEN_FILE}.new"
    fresh.write_text(token + "\n")
    fresh.replace(folder / TOKEN_FILE)


def _settings(env: WorkflowEnvironment, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SAFEGUARDING_SECRETS_DIR", str(folder))
    monkeypatch.delenv("SAFEGUARDING_TEMPORAL_API_KEY", raising=False)
    return Settings(
        environment="test",
        temporal_address=env.client.service_client.config.target_host,
        temporal_token_check_seconds=CHECK_SECONDS,
    )


async def _until(holds: Callable[[], bool]) -> None:
    """Return once `holds()` is true, looking every check; fail after `SETTLE_SECONDS`."""
    async with asyncio.timeout(SETTLE_SECONDS):
        while True:
            if holds():
                return
            await asyncio.sleep(CHECK_SECONDS)


async def _until_token(client: Client, token: str) -> None:
    await _until(lambda: client.api_key == token)


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    folder = tmp_path / "secrets"
    folder.mkdir()
    _renew(folder, FIRST)
    return folder


async def test_a_token_renewed_in_its_file_is_sent_from_then_on_and_never_logged(
    time_skipping_env: WorkflowEnvironment,
    secrets: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = _settings(time_skipping_env, secrets, monkeypatch)
    client = await connect(settings, keys=TEST_KEYS)
    assert client.api_key == FIRST

    with caplog.at_level(logging.INFO, logger="safeguarding.temporal"):
        async with fresh_token(client, settings):
            _renew(secrets, RENEWED)
            await _until_token(client, RENEWED)
            answered = await client.workflow_service.get_system_info(GetSystemInfoRequest())

    assert answered.HasField("capabilities"), "the server answered the client carrying the renewed token"
    said = [record.getMessage() for record in caplog.records if record.name == "safeguarding.temporal"]
    assert said == [f"the Temporal token was renewed from {secrets / TOKEN_FILE}"]
    assert not any(FIRST in line or RENEWED in line for line in caplog.messages)


async def test_an_emptied_or_missing_file_keeps_the_token_in_use_until_a_new_one_is_written(
    time_skipping_env: WorkflowEnvironment,
    secrets: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = _settings(time_skipping_env, secrets, monkeypatch)
    client = await connect(settings, keys=TEST_KEYS)

    with caplog.at_level(logging.WARNING, logger="safeguarding.temporal"):
        async with fresh_token(client, settings):
            _renew(secrets, "")
            await _until(lambda: any("is empty" in line for line in caplog.messages))
            (secrets / TOKEN_FILE).unlink()
            await _until(lambda: any("cannot be read (FileNotFoundError)" in line for line in caplog.messages))
            kept = client.api_key
            _renew(secrets, RENEWED)
            await _until_token(client, RENEWED)

    assert kept == FIRST


def test_a_token_set_in_the_environment_is_never_read_from_a_file(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEGUARDING_SECRETS_DIR", str(secrets))
    monkeypatch.setenv("SAFEGUARDING_TEMPORAL_API_KEY", RENEWED)

    settings = Settings(environment="test")

    assert settings.temporal_api_key is not None and settings.temporal_api_key.get_secret_value() == RENEWED
    assert token_file(settings) is None
    assert token_file(Settings(environment="test", temporal_api_key=None)) is None


async def test_the_services_renew_the_token_of_the_client_they_connected_until_they_close(
    time_skipping_env: WorkflowEnvironment,
    secrets: Path,
    monkeypatch: pytest.MonkeyPatch,
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    settings = _settings(time_skipping_env, secrets, monkeypatch).model_copy(update={"data_dir": tmp_path / "data"})
    services = Services(settings=settings, profile=PROFILE, sessions=db)
    try:
        client = await services.temporal()
        _renew(secrets, RENEWED)
        await _until_token(client, RENEWED)
    finally:
        await services.close()
    _renew(secrets, FIRST)
    await asyncio.sleep(10 * CHECK_SECONDS)

    assert client.api_key == RENEWED, "closed services renewed the token still"
