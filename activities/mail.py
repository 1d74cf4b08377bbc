"""E-mail over SMTP (aiosmtplib), one of the two channels behind `NotificationChannel`.

Each message's Message-ID is derived from the notice's unique reference, and the reference itself rides in
an `X-Notice-Reference` header: if a send is ever repeated (the activity crashed after the server
accepted the message but before the outbox recorded it), the duplicate carries the same Message-ID and
can be spotted and dropped by the receiving side.
"""

from __future__ import annotations

import hashlib
import logging
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from activities.channels import PermanentDeliveryError, TemporaryDeliveryError
from safeguarding.codes import Channel

log = logging.getLogger(__name__)

REFERENCE_HEADER = "X-Notice-Reference"


def message_id_for(reference: str, sender: str) -> str:
    """Return the Message-ID of the notice `reference`: the same reference always gives the same id.

    The reference holds characters a Message-ID may not (":"), so its digest forms the left part.
    """
    domain = sender.rpartition("@")[2] or "safeguarding.invalid"
    return f"<{hashlib.sha256(reference.encode()).hexdigest()[:40]}@{domain}>"


class SmtpChannel:
    """Send notices as plain-text e-mail through one SMTP server."""

    name = Channel.EMAIL.value

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    async def send(
        self, *, to: str, subject: str, body: str, reference: str, template: str, fields: dict[str, str]
    ) -> str:
        """Deliver one message and return its Message-ID.

        SMTP 5xx replies and refused recipients are permanent; 4xx replies, timeouts and connection
        failures are temporary.
        """
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = message_id_for(reference, self.sender)
        message[REFERENCE_HEADER] = reference
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            raise _by_code(min(codes), f"recipient refused ({codes}) for notice {reference}") from error
        except aiosmtplib.SMTPResponseException as error:
            raise _by_code(error.code, f"SMTP server replied {error.code} for notice {reference}") from error
        except aiosmtplib.SMTPNotSupported as error:
            raise PermanentDeliveryError(f"SMTP server does not support a needed feature: {error}") from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise TemporaryDeliveryError(
                f"SMTP server {self.host}:{self.port} unreachable for notice {reference}: {type(error).__name__}"
            ) from error
        log.info("sent notice %s by SMTP", reference)
        return message["Message-ID"]


def _by_code(code: int, text: str) -> Exception:
    return PermanentDeliveryError(text) if code >= 500 else TemporaryDeliveryError(text)
