"""SmtpChannel against a real SMTP server on loopback."""

from __future__ import annotations

import socket

import pytest

from activities.channels import PermanentDeliveryError, TemporaryDeliveryError
from activities.mail import REFERENCE_HEADER, SmtpChannel, message_id_for

SENDER = "safeguarding-noreply@example.invalid"


def _channel(smtp) -> SmtpChannel:
    return SmtpChannel(smtp.host, smtp.port, SENDER)


async def _send(channel: SmtpChannel, to: str, reference: str = "assessment-CR1:reminder:0") -> str:
    return await channel.send(
        to=to,
        subject="Reminder: assessment for case CR1",
        body="Case CR1 is due by Fri 15 Jan 2027.\n",
        reference=reference,
        template="deadline_reminder",
        fields={},
    )


async def test_a_message_reaches_the_server_with_its_subject_body_and_reference(smtp) -> None:
    provider_reference = await _send(_channel(smtp), "worker@example.invalid")

    [message] = await smtp.wait_for(1)
    assert message["To"] == "worker@example.invalid"
    assert message["From"] == SENDER
    assert message["Subject"] == "Reminder: assessment for case CR1"
    assert message.get_content() == "Case CR1 is due by Fri 15 Jan 2027.\n"
    assert message[REFERENCE_HEADER] == "assessment-CR1:reminder:0"
    assert message["Message-ID"] == provider_reference == message_id_for("assessment-CR1:reminder:0", SENDER)


async def test_a_repeated_send_carries_the_same_message_id_so_the_duplicate_can_be_spotted(smtp) -> None:
    channel = _channel(smtp)
    await _send(channel, "worker@example.invalid", reference="key-1")
    await _send(channel, "worker@example.invalid", reference="key-1")
    await _send(channel, "worker@example.invalid", reference="key-2")

    ids = [message["Message-ID"] for message in smtp.messages]
    assert ids[0] == ids[1] != ids[2]


async def test_a_refused_recipient_is_a_permanent_failure_that_does_not_quote_the_address(smtp) -> None:
    smtp.refuse("gone@example.invalid")

    with pytest.raises(PermanentDeliveryError) as failure:
        await _send(_channel(smtp), "gone@example.invalid")

    assert "550" in str(failure.value)
    assert "gone@" not in str(failure.value)
    assert smtp.messages == []


async def test_a_4xx_reply_is_a_temporary_failure(smtp) -> None:
    smtp.refuse("busy@example.invalid", reply="451 4.3.0 Try again later")

    with pytest.raises(TemporaryDeliveryError, match="451"):
        await _send(_channel(smtp), "busy@example.invalid")


async def test_a_server_that_is_not_listening_is_a_temporary_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    with pytest.raises(TemporaryDeliveryError):
        await _send(SmtpChannel("127.0.0.1", closed_port, SENDER, timeout=5), "worker@example.invalid")
