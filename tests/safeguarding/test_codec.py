"""The AES-GCM payload codec: what reaches the Temporal server is ciphertext, and keys can rotate."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter

from safeguarding.codec import REFUSED, AesGcmCodec, PayloadKeyError, keys_from_setting, load_or_create_dev_keys

OLD_KEY = ("2025-01", bytes(range(32)))
NEW_KEY = ("2026-06", bytes(range(100, 132)))
PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"referrer":"Jane Doe, 12 Acacia Road"}')


async def test_a_payload_round_trips_and_is_stored_only_as_ciphertext_marked_with_its_key() -> None:
    codec = AesGcmCodec([NEW_KEY])
    [encoded] = await codec.encode([PLAIN])
    assert encoded.metadata["encoding"] == b"binary/encrypted"
    assert encoded.metadata["encryption-key-id"] == b"2026-06"
    assert b"Acacia" not in encoded.SerializeToString()
    assert b"json/plain" not in encoded.SerializeToString()
    assert await codec.decode([encoded]) == [PLAIN]


async def test_the_same_payload_encrypts_differently_each_time() -> None:
    codec = AesGcmCodec([NEW_KEY])
    first, second = await codec.encode([PLAIN, PLAIN])
    assert first.data != second.data


async def test_payloads_under_an_old_key_still_decrypt_after_rotation() -> None:
    [old] = await AesGcmCodec([OLD_KEY]).encode([PLAIN])
    rotated = AesGcmCodec([NEW_KEY, OLD_KEY])
    assert await rotated.decode([old]) == [PLAIN]
    [new] = await rotated.encode([PLAIN])
    assert new.metadata["encryption-key-id"] == b"2026-06"


async def test_a_payload_under_an_unknown_key_is_refused_naming_only_the_key_id() -> None:
    [old] = await AesGcmCodec([OLD_KEY]).encode([PLAIN])
    with pytest.raises(PayloadKeyError) as caught:
        await AesGcmCodec([NEW_KEY]).decode([old])
    assert str(caught.value) == "payload was encrypted with key '2025-01', which is not configured"


async def test_tampered_ciphertext_fails_authentication() -> None:
    codec = AesGcmCodec([NEW_KEY])
    [encoded] = await codec.encode([PLAIN])
    tampered = Payload()
    tampered.CopyFrom(encoded)
    tampered.data = encoded.data[:-1] + bytes([encoded.data[-1] ^ 1])
    with pytest.raises(PayloadKeyError, match="key '2026-06' failed authentication"):
        await codec.decode([tampered])


async def test_a_payload_relabelled_with_another_key_id_fails_authentication() -> None:
    codec = AesGcmCodec([NEW_KEY, ("other", bytes(range(100, 132)))])
    [encoded] = await codec.encode([PLAIN])
    relabelled = Payload()
    relabelled.CopyFrom(encoded)
    relabelled.metadata["encryption-key-id"] = b"other"
    with pytest.raises(PayloadKeyError, match="failed authentication"):
        await codec.decode([relabelled])


async def test_payloads_not_marked_encrypted_pass_through_decode_unchanged() -> None:
    assert await AesGcmCodec([NEW_KEY]).decode([PLAIN]) == [PLAIN]


async def test_in_production_a_payload_not_marked_encrypted_decodes_to_one_no_converter_reads() -> None:
    [refused] = await AesGcmCodec([NEW_KEY], refuse_unencrypted=True).decode([PLAIN])

    assert (refused.metadata["encoding"], refused.data) == (REFUSED, b"")
    with pytest.raises(KeyError, match="Unknown payload encoding refused/unencrypted-in-production"):
        pydantic_data_converter.payload_converter.from_payloads([refused])


def test_a_key_shorter_than_256_bits_is_refused() -> None:
    with pytest.raises(PayloadKeyError, match="'short' must be 32 bytes"):
        AesGcmCodec([("short", bytes(16))])


def test_keys_are_read_from_the_setting_in_order_the_first_encrypting() -> None:
    setting = f"2026-06:{base64.b64encode(NEW_KEY[1]).decode()}, 2025-01:{base64.b64encode(OLD_KEY[1]).decode()}"
    assert keys_from_setting(setting) == [NEW_KEY, OLD_KEY]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "no payload keys"),
        (base64.b64encode(bytes(32)).decode(), "KEY_ID:BASE64_KEY"),
        ("k1:not base64!", "'k1' is not valid base64"),
        (f"k1:{base64.b64encode(bytes(16)).decode()}", "'k1' must be 32 bytes"),
        (f"k1:{base64.b64encode(bytes(32)).decode()},k1:{base64.b64encode(bytes(32)).decode()}", "listed twice"),
    ],
)
def test_a_bad_key_setting_is_refused_without_echoing_key_material(setting: str, message: str) -> None:
    with pytest.raises(PayloadKeyError, match=message) as caught:
        keys_from_setting(setting)
    assert "AAAA" not in str(caught.value)


def test_a_development_key_is_created_once_private_to_its_owner_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_or_create_dev_keys(data_dir)
    path = data_dir / "payload-keys"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    [(kid, key)] = keys_from_setting(first)
    assert kid.startswith("dev-")
    assert len(key) == 32
    assert load_or_create_dev_keys(data_dir) == first
    assert load_or_create_dev_keys(tmp_path / "elsewhere") != first
