"""The codec server (`/codec/decode`): histories decrypted for the roles that read cases, refused to others, and
every decode logged with ids only; the Temporal CLI reads a real history through it."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.api.common.v1 import Payload

from safeguarding.api.identity import SESSION_COOKIE, session_cookies
from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.embedded import dev_server, temporal_binary
from safeguarding.service.sign_in import set_password, sign_in
from tests.api.conftest import Api
from tests.service.registrations import mother
from tests.workflows.time_control import last_working_day_at

UI_ORIGIN = "http://127.0.0.1:8233"
NOTE = {"note": "Fictional note for the codec server"}


def as_json(payloads: list[Payload]) -> dict[str, Any]:
    """Return `payloads` as the Web UI sends them: protobuf JSON, each metadata value and the data base64."""
    return {
        "payloads": [
            {
                "metadata": {key: base64.b64encode(value).decode() for key, value in p.metadata.items()},
                "data": base64.b64encode(p.data).decode(),
            }
            for p in payloads
        ]
    }


async def encrypted_note(api: Api) -> dict[str, Any]:
    """Return a payload encrypted as the worker encrypts every payload, in the codec protocol's JSON."""
    return as_json(await api.services.client.data_converter.encode([NOTE]))  # type: ignore[union-attr]


async def test_a_case_reader_gets_the_payload_decrypted_and_the_decode_is_logged_with_ids(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="safeguarding.decodes")
    body = await encrypted_note(api)
    assert "Fictional" not in json.dumps(body)
    headers = await api.headers(Role.SOCIAL_WORKER, **{"X-Namespace": "default", "X-Workflow-Id": "front-door-x"})

    response = await api.http.post("/codec/decode", json=body, headers=headers)

    assert response.status_code == 200, response.text
    [decoded] = response.json()["payloads"]
    assert base64.b64decode(decoded["metadata"]["encoding"]) == b"json/plain"
    assert json.loads(base64.b64decode(decoded["data"])) == NOTE
    [line] = [r.getMessage() for r in caplog.records if r.name == "safeguarding.decodes"]
    social_worker = api.ids.social_worker_id
    assert line == (
        f"decoded 1 payloads for {social_worker} (social_worker, team {api.ids.team_id}) "
        "on namespace default, workflow front-door-x, keys test-key-1"
    )


async def test_without_a_credential_the_codec_server_answers_401(api: Api) -> None:
    response = await api.http.post("/codec/decode", json=await encrypted_note(api))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("role", [Role.POLICE_OFFICER, Role.HEALTH_VISITOR, Role.ADMINISTRATOR])
async def test_a_role_that_reads_no_case_is_refused_403_and_the_refusal_is_logged(
    api: Api, caplog: pytest.LogCaptureFixture, role: Role
) -> None:
    caplog.set_level(logging.INFO)
    headers = await api.headers(role, **{"X-Namespace": "default"})

    response = await api.http.post("/codec/decode", json=await encrypted_note(api), headers=headers)

    assert response.status_code == 403, response.text
    practitioner = api.ids.practitioner_id(role)
    refusals = [r.getMessage() for r in caplog.records if r.name == "safeguarding.refusals"]
    assert [line for line in refusals if line.startswith(f"refused decode_payloads by {practitioner} ({role}")]
    assert not [r for r in caplog.records if r.name == "safeguarding.decodes"]
    assert "Fictional" not in response.text


async def test_a_malformed_body_a_foreign_namespace_and_an_unknown_key_are_refused_with_a_reason(api: Api) -> None:
    headers = await api.headers(Role.TEAM_MANAGER)
    not_base64 = await api.http.post("/codec/decode", json={"payloads": [{"data": "%%%"}]}, headers=headers)
    foreign = await api.http.post(
        "/codec/decode", json=await encrypted_note(api), headers={**headers, "X-Namespace": "elsewhere"}
    )
    control = await api.http.post(
        "/codec/decode", json=await encrypted_note(api), headers={**headers, "X-Workflow-Id": "a\tb"}
    )
    body = await encrypted_note(api)
    body["payloads"][0]["metadata"]["encryption-key-id"] = base64.b64encode(b"retired-key").decode()
    unknown_key = await api.http.post("/codec/decode", json=body, headers=headers)

    assert [r.status_code for r in (not_base64, foreign, control, unknown_key)] == [422] * 4
    assert "must be base64" in not_base64.json()["detail"]
    assert "decodes namespace default" in foreign.json()["detail"]
    assert "X-Workflow-Id: must be an id" in control.json()["detail"]
    assert unknown_key.json()["detail"] == "payload was encrypted with key 'retired-key', which is not configured"


async def test_the_web_ui_origin_may_call_with_the_console_session_cookie_and_no_other_origin_may(api: Api) -> None:
    await set_password(api.services, api.ids.service_manager_id, "correct horse battery staple")
    started = await sign_in(
        api.services, api.ids.service_manager_id, "correct horse battery staple", now=datetime.now(UTC)
    )
    cookie = {"Cookie": f"{SESSION_COOKIE}={session_cookies(api.services.settings).issue(started.secret)}"}
    asking = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-namespace"}

    preflight = await api.http.options("/codec/decode", headers={"Origin": UI_ORIGIN, **asking})
    stranger = await api.http.options("/codec/decode", headers={"Origin": "http://evil.example", **asking})
    decoded = await api.http.post(
        "/codec/decode",
        json=await encrypted_note(api),
        headers={"Origin": UI_ORIGIN, "X-Namespace": "default", **cookie},
    )
    elsewhere = await api.http.options("/me", headers={"Origin": UI_ORIGIN, **asking})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == UI_ORIGIN
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers
    assert decoded.status_code == 200, decoded.text
    assert decoded.headers["access-control-allow-origin"] == UI_ORIGIN
    assert json.loads(base64.b64decode(decoded.json()["payloads"][0]["data"])) == NOTE
    assert "access-control-allow-origin" not in elsewhere.headers


async def _temporal_cli(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        str(temporal_binary()),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TEMPORAL_CONFIG_FILE": os.devnull},
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_the_temporal_cli_reads_a_real_history_through_the_codec_server_with_a_bearer_token(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="safeguarding.decodes")
    received = last_working_day_at(datetime.now(UTC), api.worker.calendar)
    child = {
        "given_name": "Codec",
        "family_name": "Fernsby",
        "date_of_birth": "2016-04-02",
        "sex": "F",
        "address": "9 Fictional Way",
    }
    contact = await api.http.post(
        "/contacts/new-child",
        json={
            "registration": {"child": {**child, "ethnicity": "NOBT"}, "family": [mother()]},
            "received_at": received.isoformat(),
            "source": "school",
            "summary": "Fictional worries about attendance.",
            "referrer_email": "school@example.invalid",
        },
        headers=await api.headers(Role.SOCIAL_WORKER),
    )
    assert contact.status_code == 201, contact.text
    workflow_id = contact.json()["workflow_id"]
    case_id = contact.json()["registration"]["case_id"]
    address = api.worker.client.service_client.config.target_host
    token = await api.token(api.ids.team_manager_id)
    show = ("workflow", "show", "--workflow-id", workflow_id, "--address", address, "--output", "json")

    raw = await _temporal_cli(*show)
    decoded = await _temporal_cli(
        *show,
        "--codec-endpoint",
        f"{str(api.http.base_url).rstrip('/')}/codec",
        "--codec-auth",
        f"Bearer {token}",
        "--codec-header",
        f"X-Workflow-Id={workflow_id}",
    )

    assert case_id.encode() in _start_input(decoded)
    assert case_id.encode() not in _start_input(raw)
    assert b"Fernsby" not in _start_input(decoded)
    logged = [r.getMessage() for r in caplog.records if r.name == "safeguarding.decodes"]
    assert logged and all(f"for {api.ids.team_manager_id} (team_manager" in line for line in logged)
    assert all(f"on namespace default, workflow {workflow_id}, keys " in line for line in logged)
    assert [line for line in logged if line.endswith("keys test-key-1")]


def _start_input(history_json: str) -> bytes:
    """Return the data of the payloads the history's first event started the process with."""
    event = json.loads(history_json)["events"][0]["workflowExecutionStartedEventAttributes"]
    return b"".join(base64.b64decode(p.get("data", "")) for p in event["input"]["payloads"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_make_runs_dev_server_gives_its_web_ui_the_apis_codec_endpoint(tmp_path: Path) -> None:
    settings = Settings(
        temporal_address=f"127.0.0.1:{_free_port()}", temporal_ui_port=_free_port(), api_port=8123, data_dir=tmp_path
    )

    async with dev_server(settings, tmp_path), httpx.AsyncClient() as http:
        ui = f"http://127.0.0.1:{settings.temporal_ui_port}"
        answer = await http.get(f"{ui}/api/v1/settings")

    assert answer.json()["Codec"]["Endpoint"] == "http://127.0.0.1:8123/codec"


async def test_payloads_that_were_never_encrypted_come_back_as_they_came(api: Api) -> None:
    search_attribute = Payload(metadata={"encoding": b"json/plain", "type": b"Keyword"}, data=b'"assessment"')
    body = await encrypted_note(api)
    body["payloads"] += as_json([search_attribute])["payloads"]

    response = await api.http.post("/codec/decode", json=body, headers=await api.headers(Role.TEAM_MANAGER))

    assert response.status_code == 200, response.text
    note, untouched = response.json()["payloads"]
    assert json.loads(base64.b64decode(note["data"])) == NOTE
    assert untouched == as_json([search_attribute])["payloads"][0]
