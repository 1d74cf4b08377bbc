"""The one way to reach Temporal: task queue, data converter with the payload codec, `connect`.

Worker, starter, console and tests all connect through `connect`, so the converter (pydantic models)
and the codec (AES-GCM, `safeguarding.codec`) never drift apart: a history written by one is readable by
the others and holds no personal data in the clear. Failures are converted with encoded attributes, so
an error message raised in a workflow or activity is encrypted too (platform-notes.md), and trimmed first
to fit what Temporal keeps of a failure (`safeguarding.failures`). In production the codec refuses a payload
that is not encrypted: only our clients write payloads. Every Update a client of `connect` sends carries a
proof of identity (`safeguarding.decision_proof`), which the workflows check.

In production the frontend asks for mutual TLS and a JWT: `tls_config` builds the client's side from the
settings (CA, certificate and key as PEM files, mounted as secrets), and the JWT goes as the API key. The
embedded dev server speaks plain gRPC, so with no TLS settings the connection is plain.

Workflows must NEVER import this module: it imports `cryptography` through the codec, which breaks the
workflow sandbox (platform-notes.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Sequence
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.service import TLSConfig

from safeguarding.codec import (
    DEV_KEY_PREFIX,
    DEV_KEYS_FILE,
    AesGcmCodec,
    PayloadKeyError,
    keys_from_setting,
    load_or_create_dev_keys,
)
from safeguarding.config import Settings
from safeguarding.decision_proof import ProofSigner
from safeguarding.failures import TrimmedEncodedFailureConverter

TASK_QUEUE: str = Settings.model_fields["task_queue"].default
"""The default task queue; a deployment may choose another with SAFEGUARDING_TASK_QUEUE."""


def data_converter(keys: Sequence[tuple[str, bytes]], *, refuse_unencrypted: bool = False) -> DataConverter:
    """Return the pydantic converter with every payload, failure message included, encrypted by `keys`.

    With `refuse_unencrypted` (production), a payload that is not encrypted is refused, never read.
    """
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=AesGcmCodec(keys, refuse_unencrypted=refuse_unencrypted),
        failure_converter_class=TrimmedEncodedFailureConverter,
    )


def payload_keys(settings: Settings) -> list[tuple[str, bytes]]:
    """Return the configured payload keys; outside production, fall back to a generated development key.

    Production refuses to start with a development key: one whose id says so (`dev-...`), or the very key
    generated in the data folder, whatever it is called there.
    """
    if settings.payload_keys is not None:
        keys = keys_from_setting(settings.payload_keys.get_secret_value())
    elif settings.environment == "production":
        raise PayloadKeyError("production needs SAFEGUARDING_PAYLOAD_KEYS")
    else:
        return keys_from_setting(load_or_create_dev_keys(settings.data_dir))
    if settings.environment == "production":
        _refuse_development_keys(keys, Path(settings.data_dir) / DEV_KEYS_FILE)
    return keys


def _refuse_development_keys(keys: Sequence[tuple[str, bytes]], dev_keys_file: Path) -> None:
    generated = {key for _, key in keys_from_setting(dev_keys_file.read_text())} if dev_keys_file.is_file() else set()
    for kid, key in keys:
        if kid.startswith(DEV_KEY_PREFIX) or key in generated:
            raise PayloadKeyError(f"production refuses the development payload key {kid!r}: make one with `keys new`")


def tls_config(settings: Settings) -> TLSConfig | bool:
    """Return the client's TLS configuration from the settings; False (plain gRPC) when none is set.

    A CA alone gives server-authenticated TLS; a certificate and key give mutual TLS, which is what the
    production frontend requires (`TEMPORAL_TLS_REQUIRE_CLIENT_AUTH`). Without a CA the system's trust store
    verifies the frontend. The files are read here, at start-up: a missing one stops the service, naming it.
    """
    if not (settings.temporal_tls_ca or settings.temporal_tls_cert or settings.temporal_tls_key):
        return False
    if bool(settings.temporal_tls_cert) != bool(settings.temporal_tls_key):
        raise ValueError("SAFEGUARDING_TEMPORAL_TLS_CERT and SAFEGUARDING_TEMPORAL_TLS_KEY go together")
    return TLSConfig(
        server_root_ca_cert=_read(settings.temporal_tls_ca),
        client_cert=_read(settings.temporal_tls_cert),
        client_private_key=_read(settings.temporal_tls_key),
        domain=settings.temporal_tls_server_name,
    )


def _read(path: Path | None) -> bytes | None:
    return None if path is None else path.read_bytes()


def proof_keys(settings: Settings, payload: Sequence[tuple[str, bytes]] | None = None) -> list[tuple[str, bytes]]:
    """Return the keys that sign and verify proofs of identity, beside payload keys `payload` (the settings').

    Production names its own (config.py refuses to start without them) and may not reuse a payload key.
    Outside production, without a setting, one is derived from the first payload key: the worker and the
    service of one deployment share their payload keys, so they share this one too.
    """
    payload = payload_keys(settings) if payload is None else payload
    if settings.proof_keys is None:
        if settings.environment == "production":
            raise PayloadKeyError("production needs SAFEGUARDING_PROOF_KEYS")
        kid, key = payload[0]
        return [(f"{kid}-proof", hmac.new(key, b"safeguarding proof of identity", hashlib.sha256).digest())]
    try:
        keys = keys_from_setting(settings.proof_keys.get_secret_value())
    except PayloadKeyError as exc:
        raise PayloadKeyError(f"SAFEGUARDING_PROOF_KEYS: {exc}") from None
    if {key for _, key in keys} & {key for _, key in payload}:
        raise PayloadKeyError("SAFEGUARDING_PROOF_KEYS: a proof key must be a secret of its own, not a payload key")
    return keys


async def connect(settings: Settings, *, keys: Sequence[tuple[str, bytes]] | None = None) -> Client:
    """Return a client for the configured server and namespace, with the encrypting converter, TLS and proofs."""
    keys = payload_keys(settings) if keys is None else keys
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(keys, refuse_unencrypted=settings.environment == "production"),
        tls=tls_config(settings),
        api_key=settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None,
        interceptors=[ProofSigner(proof_keys(settings, keys))],
    )
