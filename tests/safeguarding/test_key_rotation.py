"""Payload keys rotate: a new key encrypts, old keys still decrypt, `keys usage` says when an old key may go, and
production refuses the development key."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.client import Client

from safeguarding.codec import PayloadKeyError, keys_from_setting, load_or_create_dev_keys
from safeguarding.config import Settings
from safeguarding.embedded import dev_server
from safeguarding.temporal import connect, payload_keys
from tests.deploy.test_settings import production

ROOT = Path(__file__).resolve().parents[2]
K1 = ("2025-01", os.urandom(32))
K2 = ("2026-06", os.urandom(32))
K0 = ("2024-01", os.urandom(32))
NOTE = {"note": "Jane Doe of 12 Acacia Road"}


def _setting(*keys: tuple[str, bytes]) -> str:
    return ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in keys)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Settings]:
    """A dev server of the test's own, so `keys usage` reads this test's histories only."""
    settings = Settings(temporal_address=f"127.0.0.1:{_free_port()}", temporal_ui_port=_free_port(), data_dir=tmp_path)
    async with dev_server(settings, tmp_path):
        yield settings


async def _start(client: Client) -> str:
    """Start a process (no worker needed: its input is in the history at once); return its id."""
    workflow_id = f"referral-{uuid.uuid4().hex[:8]}"
    await client.start_workflow("Referral", NOTE, id=workflow_id, task_queue="nobody-polls")
    return workflow_id


async def _input(client: Client, workflow_id: str) -> Payload:
    """Return the process's input payload as the server keeps it (encrypted)."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    [payload] = history.events[0].workflow_execution_started_event_attributes.input.payloads
    return payload


async def _keys_usage(settings: Settings, *keys: tuple[str, bytes]) -> dict[str, object]:
    env = {
        **os.environ,
        "SAFEGUARDING_TEMPORAL_ADDRESS": settings.temporal_address,
        "SAFEGUARDING_PAYLOAD_KEYS": _setting(*keys),
        "SAFEGUARDING_DATA_DIR": str(settings.data_dir),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "starter", "keys", "usage", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    result: dict[str, object] = json.loads(out)
    return result


async def test_a_new_key_encrypts_old_keys_still_decrypt_and_a_removed_key_is_named(server: Settings) -> None:
    before = await connect(server, keys=[K1])
    rotated = await connect(server, keys=[K2, K1])
    only_new = await connect(server, keys=[K2])

    written_before = await _start(before)
    written_after = await _start(rotated)

    old, new = await _input(rotated, written_before), await _input(rotated, written_after)
    assert (old.metadata["encryption-key-id"], new.metadata["encryption-key-id"]) == (b"2025-01", b"2026-06")
    assert await rotated.data_converter.decode([old]) == [NOTE]
    assert await rotated.data_converter.decode([new]) == [NOTE]
    assert await only_new.data_converter.decode([new]) == [NOTE]
    with pytest.raises(PayloadKeyError) as missing:
        await only_new.data_converter.decode([old])
    assert str(missing.value) == "payload was encrypted with key '2025-01', which is not configured"


async def test_keys_usage_reads_every_history_and_says_which_old_key_may_go(server: Settings) -> None:
    await _start(await connect(server, keys=[K1]))
    await _start(await connect(server, keys=[K2, K1]))
    await _start(await connect(server, keys=[K2, K1]))

    in_use = await _keys_usage(server, K2, K1, K0)
    k1_removed_too_soon = await _keys_usage(server, K2)

    assert in_use == {
        "encrypting": "2026-06",
        "configured": ["2026-06", "2025-01", "2024-01"],
        "workflows_using": {"2025-01": 1, "2026-06": 2},
        "removable": ["2024-01"],
        "missing": [],
        "workflows_read": 3,
    }
    assert k1_removed_too_soon["missing"] == ["2025-01"]


def _own_profile(folder: Path) -> Path:
    """An authority's own profile (production refuses the example's): the example's practice, renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "testshire.toml"
    path.write_text((ROOT / "profiles" / "example.toml").read_text().replace('"example"', '"testshire"', 1))
    return path


def _production(data_dir: Path, keys: str) -> Settings:
    return production(_own_profile(data_dir), payload_keys=SecretStr(keys), data_dir=data_dir)


def test_production_refuses_a_development_key_by_its_id_or_by_its_material(tmp_path: Path) -> None:
    [(dev_kid, dev_key)] = keys_from_setting(load_or_create_dev_keys(tmp_path))

    with pytest.raises(PayloadKeyError, match=f"refuses the development payload key '{dev_kid}'"):
        payload_keys(_production(tmp_path, _setting(K2, (dev_kid, dev_key))))
    with pytest.raises(PayloadKeyError, match="refuses the development payload key '2026-07'"):
        payload_keys(_production(tmp_path, _setting(K2, ("2026-07", dev_key))))
    assert payload_keys(_production(tmp_path, _setting(K2, K1))) == [K2, K1]
    assert payload_keys(_production(tmp_path / "no-dev-key-here", _setting(K2))) == [K2]


async def test_the_worker_refuses_to_start_in_production_with_the_development_key(tmp_path: Path) -> None:
    [(dev_kid, dev_key)] = keys_from_setting(load_or_create_dev_keys(tmp_path))
    complete = _production(tmp_path, _setting(K2))
    env = {
        **os.environ,
        "SAFEGUARDING_ENVIRONMENT": "production",
        "DATABASE_URL": str(complete.database_url),
        "SAFEGUARDING_SESSION_SECRET": "s" * 48,
        "SAFEGUARDING_PROFILE_PATH": str(complete.profile_path),
        "SAFEGUARDING_SMTP_SENDER": complete.smtp_sender,
        "SAFEGUARDING_TEMPORAL_TLS_CERT": str(complete.temporal_tls_cert),
        "SAFEGUARDING_TEMPORAL_TLS_KEY": str(complete.temporal_tls_key),
        "SAFEGUARDING_PAYLOAD_KEYS": _setting((dev_kid, dev_key)),
        "SAFEGUARDING_PROOF_KEYS": str(complete.proof_keys.get_secret_value() if complete.proof_keys else ""),
        "SAFEGUARDING_DATA_DIR": str(tmp_path),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "worker", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)

    assert process.returncode == 2
    assert f"cannot start: production refuses the development payload key '{dev_kid}'" in err.decode()
    assert base64.b64encode(dev_key).decode() not in err.decode()
