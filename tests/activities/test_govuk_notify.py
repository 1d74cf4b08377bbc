"""GovukNotifyChannel against a small real HTTP server on loopback that imitates GOV.UK Notify.

The imitation answers `POST /v2/notifications/email` the way Notify does (201 and the notification's
JSON, or an error body) and checks what the official client sends: the JWT in the Authorization header,
signed with the key's secret and issued by its service id.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer

from activities.channels import PermanentDeliveryError, TemporaryDeliveryError
from activities.govuk_notify import GovukNotifyChannel

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"safeguarding_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_IDS = {"deadline_reminder": "7d0b1a6e-0000-4000-8000-000000000001"}


@dataclass
class FakeNotify:
    """What the imitation received, and the error it should answer with next (if any)."""

    base_url: str = ""
    requests: list[dict] = field(default_factory=list)
    next_error: tuple[int, dict] | None = None


def _handler(state: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class NotifyHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            token = self.headers["Authorization"].removeprefix("Bearer ")
            state.requests.append(
                {
                    "path": self.path,
                    "issuer": get_token_issuer(token),
                    "signed": decode_jwt_token(token, SECRET),
                    "body": body,
                }
            )
            if state.next_error:
                status, reply = state.next_error
            elif self.path != "/v2/notifications/email":
                status, reply = 404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "no"}]}
            else:
                status, reply = 201, _created(body)
            payload = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return NotifyHandler


def _created(body: dict) -> dict:
    notification_id = str(uuid.uuid4())
    return {
        "id": notification_id,
        "reference": body.get("reference"),
        "content": {
            "subject": body["personalisation"]["subject"],
            "body": body["personalisation"]["body"],
            "from_email": "safeguarding@notifications.service.gov.uk",
        },
        "uri": f"/v2/notifications/{notification_id}",
        "template": {"id": body["template_id"], "version": 1, "uri": f"/v2/template/{body['template_id']}"},
    }


@pytest.fixture(scope="module")
def notify_server() -> Iterator[FakeNotify]:
    state = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def notify(notify_server: FakeNotify) -> FakeNotify:
    notify_server.requests.clear()
    notify_server.next_error = None
    return notify_server


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
