"""Decoding Temporal payloads for the people entitled to read case data: the codec server's use case.

The Web UI and the CLI show histories as ciphertext (`safeguarding.codec`); they ask the codec server to
decrypt what they display. The credential is the API's (a bearer token, or the console's session cookie sent
by the UI), and only the roles that read cases may decode (`access.DECODES_PAYLOADS`). Every decode is logged
with who asked, the namespace, the workflow when the caller names one (the CLI does with
`--codec-header X-Workflow-Id=...`; the Web UI names none) and the key ids used: ids only, never content.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from temporalio.api.common.v1 import Payload

from safeguarding.service.access import DECODES_PAYLOADS, Principal, require_role
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services

log = logging.getLogger("safeguarding.decodes")

ID_PATTERN = re.compile(r"[A-Za-z0-9._:@-]{1,255}")
"""What a namespace or workflow id may look like in a decode request: anything else is refused, so a header
can never put text of its own into the access log."""


async def decode_payloads(
    services: Services,
    principal: Principal,
    payloads: Sequence[Payload],
    *,
    namespace: str | None,
    workflow_id: str | None = None,
) -> list[Payload]:
    """Return `payloads` decrypted for `principal`, who must hold a role that reads cases; log the decode."""
    target = f"namespace {namespace or '-'}, workflow {workflow_id or '-'}"
    for name, value in (("X-Namespace", namespace), ("X-Workflow-Id", workflow_id)):
        if value is not None and not ID_PATTERN.fullmatch(value):
            raise Invalid(f"{name}: must be an id (letters, digits and . _ : @ -, at most 255)", field=name)
    require_role(principal, "decode_payloads", DECODES_PAYLOADS, target=target)
    if namespace is not None and namespace != services.settings.temporal_namespace:
        raise Invalid(f"X-Namespace: this codec server decodes namespace {services.settings.temporal_namespace}")
    # Imported here: the codec's cryptography loads only for the commands and routes that use Temporal.
    from safeguarding.codec import ENCODING, KEY_ID_HEADER, PayloadKeyError

    codec = (await services.temporal()).data_converter.payload_codec
    if codec is None:
        raise Invalid("this deployment does not encrypt payloads; there is nothing to decode")
    # Only the encrypted payloads go to the codec. The clients send the others too (search attributes, the
    # SDK's patch markers: never encrypted, by Temporal's design); they are handed back as they came.
    encrypted = [index for index, payload in enumerate(payloads) if payload.metadata.get("encoding") == ENCODING]
    try:
        decrypted = await codec.decode([payloads[index] for index in encrypted])
    except PayloadKeyError as exc:
        log.warning("decode by %s (%s) on %s failed: %s", principal.practitioner_id, principal.role, target, exc)
        raise Invalid(str(exc)) from None
    decoded = list(payloads)
    for index, payload in zip(encrypted, decrypted, strict=True):
        decoded[index] = payload
    # The key ids of payloads that decrypted: configured ones, never a caller's text.
    key_ids = sorted({payloads[index].metadata[KEY_ID_HEADER].decode() for index in encrypted})
    log.info(
        "decoded %d payloads for %s (%s, team %s) on %s, keys %s",
        len(payloads),
        principal.practitioner_id,
        principal.role,
        principal.team_id,
        target,
        ", ".join(key_ids) or "-",
    )
    return decoded
