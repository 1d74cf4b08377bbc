"""Which payload keys the histories still need: what decides when an old key may be removed.

A history is immutable: once written, its payloads stay encrypted under the key that was first in the list
then. Rotating keys therefore re-encrypts nothing: a new key goes first and encrypts every new payload, the
old keys stay listed to decrypt what they wrote, and an old key may go only once no history the server still
keeps (running, or closed within the namespace's retention) names it. This reads every history raw, without
decrypting anything, and counts the workflows whose payloads name each key id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from google.protobuf.message import Message
from pydantic import BaseModel
from temporalio.api.common.v1 import Payload, WorkflowExecution
from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryRequest
from temporalio.client import Client

from safeguarding.codec import ENCODING, KEY_ID_HEADER


class KeyUsage(BaseModel):
    """The configured keys and the key ids the kept histories name: which may go, which are missing."""

    encrypting: str
    """The key every new payload is encrypted with (the first listed)."""
    configured: list[str]
    workflows_using: dict[str, int]
    """Key id -> how many workflow runs have payloads encrypted with it."""
    removable: list[str]
    """Configured keys, other than the encrypting one, that no kept history uses: they may be removed."""
    missing: list[str]
    """Key ids the histories use that are not configured: those histories cannot be read until they are."""
    workflows_read: int


def key_ids_in(message: Message) -> Iterator[str]:
    """Yield the key id of every encrypted payload anywhere inside `message` (an event, a failure, ...)."""
    if isinstance(message, Payload):
        if message.metadata.get("encoding") == ENCODING:
            yield message.metadata.get(KEY_ID_HEADER, b"").decode(errors="replace")
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        # A message field, a repeated one, or a map of messages (a memo's, a header's fields).
        items = [value] if isinstance(value, Message) else list(value.values() if hasattr(value, "values") else value)
        for item in items:
            if isinstance(item, Message):
                yield from key_ids_in(item)


async def _run_key_ids(client: Client, execution: WorkflowExecution) -> set[str]:
    """Return the key ids one run's history names, page by page.

    Each page is asked with the SDK core's retries, as the SDK's own calls are: a scan of every history is long,
    and one page a busy server failed to answer should be asked again, not end the report.
    """
    found: set[str] = set()
    token = b""
    while True:
        request = GetWorkflowExecutionHistoryRequest(
            namespace=client.namespace, execution=execution, next_page_token=token
        )
        page = await client.workflow_service.get_workflow_execution_history(request, retry=True)
        for event in page.history.events:
            found.update(key_ids_in(event))
        token = page.next_page_token
        if not token:
            return found


async def key_usage(client: Client, keys: Sequence[str]) -> KeyUsage:
    """Read every history the server keeps in the client's namespace and say which of `keys` they use."""
    using: Counter[str] = Counter()
    runs = 0
    async for execution in client.list_workflows():
        runs += 1
        using.update(await _run_key_ids(client, WorkflowExecution(workflow_id=execution.id, run_id=execution.run_id)))
    return KeyUsage(
        encrypting=keys[0],
        configured=list(keys),
        workflows_using=dict(sorted(using.items())),
        removable=[kid for kid in keys[1:] if kid not in using],
        missing=sorted(set(using) - set(keys)),
        workflows_read=runs,
    )
