"""GovukNotifyChannel against a small real HTTP server on loopback that answers like GOV.UK Notify.

The imitation (`tests.fixtures.notify`) checks what the official client sends, signed JWT included.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from activities.channels import PermanentDeliveryError, TemporaryDeliveryError
from activities.govuk_notify import GovukNotifyChannel
from tests.fixtures.notify import API_KEY, SERVICE_ID

TEMPLATE_IDS = {"deadline_reminder": "7d0b1a6e-0000-4000-8000-000000000001"}


async def _send(channel: GovukNotifyChannel, template: str = "deadline_reminder") -> str:
    return await channel.send(
        to="worker@example.invalid",
        subject="Reminder: assessment for case CR1",
        body="Case CR1 is due by Fri 15 Jan 2027.",
        reference="assessment-CR1:reminder:0",
        template=template,
        fields={"case_reference": "CR1", "due": "Fri 15 Jan 2027"},
    )


async def test_a_notice_is_posted_as_notify_expects_and_its_notification_id_returned(notify) -> None:
    provider_reference = await _send(GovukNotifyChannel(API_KEY, notify.base_url, TEMPLATE_IDS))

    [request] = notify.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["issuer"] == SERVICE_ID
    assert request["signed"] is True
    assert request["body"] == {
        "email_address": "worker@example.invalid",
        "template_id": TEMPLATE_IDS["deadline_reminder"],
        "personalisation": {
            "case_reference": "CR1",
            "due": "Fri 15 Jan 2027",
            "subject": "Reminder: assessment for case CR1",
            "body": "Case CR1 is due by Fri 15 Jan 2027.",
        },
        "reference": "assessment-CR1:reminder:0",
    }
    assert uuid.UUID(provider_reference)


@pytest.mark.parametrize("status", [400, 403])
async def test_a_rejected_request_is_a_permanent_failure_that_does_not_quote_the_address(notify, status) -> None:
    notify.next_error = (
        status,
        {
            "status_code": status,
            "errors": [{"error": "ValidationError", "message": "email_address worker@example.invalid is bad"}],
        },
    )

    with pytest.raises(PermanentDeliveryError) as failure:
        await _send(GovukNotifyChannel(API_KEY, notify.base_url, TEMPLATE_IDS))

    assert str(status) in str(failure.value)
    assert "ValidationError" in str(failure.value)
    assert "worker@" not in str(failure.value)


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_throttling_and_server_errors_are_temporary_failures(notify, status) -> None:
    notify.next_error = (status, {"status_code": status, "errors": [{"error": "RateLimitError", "message": "x"}]})

    with pytest.raises(TemporaryDeliveryError, match=str(status)):
        await _send(GovukNotifyChannel(API_KEY, notify.base_url, TEMPLATE_IDS))


async def test_an_unreachable_notify_is_a_temporary_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"

    with pytest.raises(TemporaryDeliveryError):
        await _send(GovukNotifyChannel(API_KEY, closed, TEMPLATE_IDS, timeout=5))


async def test_a_template_without_a_notify_id_is_a_permanent_failure_and_nothing_is_posted(notify) -> None:
    with pytest.raises(PermanentDeliveryError, match="team_digest"):
        await _send(GovukNotifyChannel(API_KEY, notify.base_url, TEMPLATE_IDS), template="team_digest")

    assert notify.requests == []
