"""Encrypt every Temporal payload with AES-256-GCM, so histories hold no personal data in the clear.

Workflow inputs, results, activity arguments and failure details can carry case facts; the Temporal
server and its database must only ever see ciphertext. Each encrypted payload names the key that
encrypted it, so keys can be rotated: the first key encrypts, every listed key still decrypts.

Workflows must NEVER import this module: `cryptography` breaks the workflow sandbox when a workflow
module is re-imported (platform-notes.md). Only `safeguarding.temporal` uses it.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
REFUSED = b"refused/unencrypted-in-production"
KEY_ID_HEADER = "encryption-key-id"
KEY_BYTES = 32
NONCE_BYTES = 12
DEV_KEYS_FILE = "payload-keys"
DEV_KEY_PREFIX = "dev-"
"""The id of every generated development key begins so; production refuses such a key (`safeguarding.temporal`)."""


class PayloadKeyError(ValueError):
    """A key setting that cannot be used, or a payload no configured key can decrypt.

    Messages name key ids only, never key material or payload content.
    """


class AesGcmCodec(PayloadCodec):
    """Encrypt whole serialized payloads with AES-GCM under the first key; decrypt with any listed key.

    With `refuse_unencrypted` (production) a payload not marked encrypted is refused rather than passed
    through: only our clients write payloads, so one in the clear was sent round them (the CLI, the Web UI).
    It is refused by decoding to an empty payload marked `REFUSED`, which no converter reads, rather than
    by raising: a codec that raises fails the whole workflow task, which would let anyone who reaches the
    frontend wedge a running case; an argument no converter reads is refused with the Update alone
    ("Failed decoding arguments", caused by "Unknown payload encoding refused/unencrypted-in-production").
    """

    def __init__(self, keys: Sequence[tuple[str, bytes]], *, refuse_unencrypted: bool = False) -> None:
        if not keys:
            raise PayloadKeyError("at least one payload key is needed")
        for kid, key in keys:
            if len(key) != KEY_BYTES:
                raise PayloadKeyError(f"payload key {kid!r} must be {KEY_BYTES} bytes (AES-256)")
        self._encrypting_kid = keys[0][0]
        self._ciphers = {kid: AESGCM(key) for kid, key in keys}
        self._refuse_unencrypted = refuse_unencrypted

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Return each payload encrypted, marked with the encoding and the id of the key used."""
        kid = self._encrypting_kid
        cipher = self._ciphers[kid]
        encoded = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            # The key id is authenticated data: moving a payload under another id fails to decrypt.
            sealed = cipher.encrypt(nonce, payload.SerializeToString(), kid.encode())
            encoded.append(
                Payload(
                    metadata={"encoding": ENCODING, KEY_ID_HEADER: kid.encode()},
                    data=nonce + sealed,
                )
            )
        return encoded

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Return each encrypted payload decrypted; one not marked encrypted passes through, or is refused."""
        return [self._decrypt(p) if p.metadata.get("encoding") == ENCODING else self._unencrypted(p) for p in payloads]

    def _unencrypted(self, payload: Payload) -> Payload:
        return Payload(metadata={"encoding": REFUSED}) if self._refuse_unencrypted else payload

    def _decrypt(self, payload: Payload) -> Payload:
        kid = payload.metadata.get(KEY_ID_HEADER, b"").decode(errors="replace")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise PayloadKeyError(f"payload was encrypted with key {kid!r}, which is not configured")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, kid.encode())
        except InvalidTag:
            raise PayloadKeyError(f"payload encrypted with key {kid!r} failed authentication") from None
        return Payload.FromString(plain)


def keys_from_setting(value: str) -> list[tuple[str, bytes]]:
    """Parse "kid:base64,kid2:base64" into (key id, key) pairs; the first one encrypts.

    Errors name the key id only, so a mistyped setting never ends up in a log with its key.
    """
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        kid, sep, encoded = item.partition(":")
        kid = kid.strip()
        if not sep or not kid:
            raise PayloadKeyError("payload keys must be written as KEY_ID:BASE64_KEY, separated by commas")
        if any(kid == seen for seen, _ in keys):
            raise PayloadKeyError(f"payload key {kid!r} is listed twice")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error:
            raise PayloadKeyError(f"payload key {kid!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise PayloadKeyError(f"payload key {kid!r} must be {KEY_BYTES} bytes (AES-256), not {len(key)}")
        keys.append((kid, key))
    if not keys:
        raise PayloadKeyError("no payload keys given")
    return keys


def new_key_entry(key_id: str) -> str:
    """Return a new random AES-256 key as one entry of the setting: `KEY_ID:BASE64_KEY`."""
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode()}"


def load_or_create_dev_keys(data_dir: Path) -> str:
    """Return the development key setting from `<data_dir>/payload-keys`, creating it on first use.

    For development only: production names its keys in SAFEGUARDING_PAYLOAD_KEYS (config.py refuses to
    start without them). The file is created with mode 0600 and reused, so histories written by earlier
    runs stay readable.
    """
    path = Path(data_dir) / DEV_KEYS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    setting = new_key_entry(f"{DEV_KEY_PREFIX}{os.urandom(4).hex()}")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(setting + "\n")
    return setting
