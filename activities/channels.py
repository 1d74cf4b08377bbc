"""The one interface every notification channel implements, and the two ways a send can fail.

The split between the two errors is the split a Temporal retry policy needs: a temporary failure
(server down, throttled, 4xx SMTP reply) is retried; a permanent one (address refused, request rejected)
is not, because sending the same message again cannot succeed. Error texts carry codes and references,
never an address or a name.
"""

from __future__ import annotations

from typing import Protocol


class TemporaryDeliveryError(Exception):
    """The message was not delivered this time; trying again later may work."""


class PermanentDeliveryError(Exception):
    """The message can never be delivered as it stands; do not retry."""


class NotificationChannel(Protocol):
    """Send one rendered message to one address and return the provider's reference for it.

    `reference` is the notice's unique key: a channel passes it on (Message-ID, Notify reference) so a
    duplicate send, should one ever happen, can be recognised at the other end. `template` and `fields`
    are for channels that render on their side (GOV.UK Notify); SMTP sends `subject` and `body`.
    """

    name: str

    async def send(
        self, *, to: str, subject: str, body: str, reference: str, template: str, fields: dict[str, str]
    ) -> str: ...
