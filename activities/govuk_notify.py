"""GOV.UK Notify, the second channel behind `NotificationChannel`.

Notify renders messages from templates held in the Notify service: `template_ids` maps our template names
(`safeguarding.notices.TEMPLATES`) to Notify template ids. Personalisation carries the notice's fields
and our rendered `subject` and `body`, so a Notify template may either lay out the fields itself or be a
plain `((subject))` / `((body))` wrapper. The notice key goes as Notify's `reference`, so a repeated send
can be found in Notify by reference.

The official client is synchronous (`requests`) and not thread-safe, so each send builds its own client
and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging

from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError, InvalidResponse

from activities.channels import PermanentDeliveryError, TemporaryDeliveryError
from safeguarding.codes import Channel

log = logging.getLogger(__name__)


class GovukNotifyChannel:
    """Send notices as e-mail through GOV.UK Notify's API."""

    name = Channel.GOVUK_NOTIFY.value

    def __init__(self, api_key: str, base_url: str, template_ids: dict[str, str], timeout: float = 30.0) -> None:
        self._api_key = api_key
        self.base_url = base_url
        self.template_ids = dict(template_ids)
        self.timeout = timeout

    async def send(
        self, *, to: str, subject: str, body: str, reference: str, template: str, fields: dict[str, str]
    ) -> str:
        """Ask Notify to send one e-mail and return Notify's notification id.

        HTTP 400 and 403 (bad request, bad key) are permanent, like any other 4xx except 429; 429
        (throttled), 5xx and connection failures are temporary. A template with no Notify id is a
        configuration error, so permanent too. A success reply that cannot be read is temporary.
        """
        template_id = self.template_ids.get(template)
        if template_id is None:
            raise PermanentDeliveryError(f"no GOV.UK Notify template id configured for {template!r}")
        personalisation = {**fields, "subject": subject, "body": body}
        try:
            response = await asyncio.to_thread(self._post, to, template_id, personalisation, reference)
        except InvalidResponse as error:
            # A 2xx without JSON: Notify probably took the message. Retrying risks a duplicate, which
            # the reference makes visible; not retrying risks a lost safeguarding notice, which is worse.
            raise TemporaryDeliveryError(f"GOV.UK Notify gave no readable reply for notice {reference}") from error
        except APIError as error:
            text = f"GOV.UK Notify replied {error.status_code} ({_error_kinds(error)}) for notice {reference}"
            if error.status_code == 429 or error.status_code >= 500:
                raise TemporaryDeliveryError(text) from error
            raise PermanentDeliveryError(text) from error
        log.info("sent notice %s by GOV.UK Notify as %s", reference, response["id"])
        return str(response["id"])

    def _post(self, to: str, template_id: str, personalisation: dict[str, str], reference: str) -> dict:
        client = NotificationsAPIClient(self._api_key, base_url=self.base_url, timeout=self.timeout)
        try:
            return client.send_email_notification(
                email_address=to, template_id=template_id, personalisation=personalisation, reference=reference
            )
        finally:
            client.request_session.close()


def _error_kinds(error: APIError) -> str:
    """Return Notify's error kinds ("ValidationError"), not its messages, which may quote the address."""
    try:
        errors = error.response.json().get("errors", [])  # type: ignore[union-attr]
        return ", ".join(sorted({str(item.get("error")) for item in errors})) or "no detail"
    except (AttributeError, TypeError, ValueError):
        return "no response"
