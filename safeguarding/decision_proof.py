"""A proof of identity on every Update: an HMAC the service signs and the workflow checks before it accepts.

A workflow trusts the actor its Update carries, and cannot ask the case store who that actor is (a
validator is deterministic and does no I/O). An Update sent straight to the Temporal frontend — the
`temporal` CLI, the Web UI — carries whatever actor its sender typed. So every Update our clients send
carries a proof in its header: an HMAC-SHA256, under a key only the service and the worker hold (a secret of
its own, not a payload key), of the workflow id, the Update's name and id, when it was issued and the
canonical JSON of its arguments, the actor included. The workflow (`workflows._proof_check`) refuses an
Update whose proof is missing, made under a key it does not list, issued too long ago, or made for anything
other than what it carries. Keys rotate: the first signs, every listed key still verifies.

The header is not encrypted (it holds a key id, a time and a MAC, no personal data), and the proof is bound
to the Update id, so a proof copied from a history re-sends only the same Update, which Temporal takes once.
Stdlib and the payload proto only: the check runs in the workflow sandbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pydantic_core
from temporalio.api.common.v1 import Payload
from temporalio.client import Interceptor, OutboundInterceptor, StartWorkflowUpdateInput, WorkflowUpdateHandle

PROOF_HEADER = "safeguarding-proof"
NO_PROOF = "this decision was not made through the service: it carries no valid proof of identity"
PRODUCTION_MAX_AGE = timedelta(hours=24)
"""How old a proof may be in production: an Update sent while no worker polls waits for one, overnight at most."""
CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the workflow's clock a proof may say it was issued: the service's and the worker's clocks."""

Keys = Sequence[tuple[str, bytes]]
"""(key id, key) pairs; the first signs."""


def _message(workflow_id: str, update: str, update_id: str, issued_at: str, args: Sequence[Any]) -> bytes:
    """Return the canonical bytes a proof signs: sorted keys, no spaces, the arguments as pydantic dumps them.

    ASCII only (`\\uXXXX` escapes), so any text, a lone surrogate included, has one encoding on both sides.
    """
    signed = [workflow_id, update, update_id, issued_at, pydantic_core.to_jsonable_python(list(args))]
    return json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()


def _mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(
    keys: Keys, *, workflow_id: str, update: str, update_id: str, args: Sequence[Any], issued_at: datetime
) -> Payload:
    """Return the proof header for Update `update` (id `update_id`) of `workflow_id` carrying `args`."""
    kid, key = keys[0]
    issued = issued_at.astimezone(UTC).isoformat()
    proof = {"kid": kid, "issued_at": issued, "mac": _mac(key, _message(workflow_id, update, update_id, issued, args))}
    return Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(proof).encode())


def proof_problem(
    keys: Keys,
    header: Payload | None,
    *,
    workflow_id: str,
    update: str,
    update_id: str,
    args: Sequence[Any],
    now: datetime,
    max_age: timedelta | None,
) -> str | None:
    """Return what is wrong with the proof `header` of this Update, or None when it is valid.

    The answer names no key material and nothing the Update carries. `max_age` None accepts a proof of any
    age: a time-skipping server's clock runs ahead of the service's.
    """
    if header is None:
        return "no proof"
    try:
        proof = json.loads(header.data)
        kid, issued, mac = str(proof["kid"]), str(proof["issued_at"]), str(proof["mac"])
        issued_at = datetime.fromisoformat(issued)
    except (ValueError, TypeError, KeyError):
        return "a malformed proof"
    key = dict(keys).get(kid)
    if key is None:
        return f"a proof under key {kid[:40]!r}, which is not listed"
    if not hmac.compare_digest(mac, _mac(key, _message(workflow_id, update, update_id, issued, args))):
        return "a proof made for something other than what it carries"
    if max_age is not None and not now - max_age <= issued_at <= now + CLOCK_SKEW:
        return f"a proof issued at {issued}, outside the {max_age} it is good for"
    return None


class ProofSigner(Interceptor):
    """The client interceptor that signs every Update the client sends (`safeguarding.temporal.connect`)."""

    def __init__(self, keys: Keys) -> None:
        if not keys:
            raise ValueError("at least one proof key is needed")
        self.keys = list(keys)

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Signing(next, self.keys)


class _Signing(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, keys: Keys) -> None:
        super().__init__(next)
        self._keys = keys

    async def start_workflow_update(self, input: StartWorkflowUpdateInput) -> WorkflowUpdateHandle[Any]:
        # The id is chosen here, not by the SDK later, so the proof can name it.
        input.update_id = input.update_id or str(uuid.uuid4())
        proof = sign(
            self._keys,
            workflow_id=input.id,
            update=input.update,
            update_id=input.update_id,
            args=input.args,
            issued_at=datetime.now(UTC),
        )
        input.headers = {**input.headers, PROOF_HEADER: proof}
        return await super().start_workflow_update(input)
