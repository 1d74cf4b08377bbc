"""Send notices and team digests exactly once per key, through the outbox and one channel.

A notice is rendered from `safeguarding.notices`, addressed from the case store and recorded in the
notification outbox under its unique key before it goes out. Idempotency, and where it ends:

- A second call with the same key (a retry, a replayed workflow, a repeated schedule) finds the row. If
  it is `sent`, nothing is sent again; if `failed`, the same permanent error is raised again.
- The outbox row stays locked while the channel sends, so two overlapping executions of one notice
  take turns: the second waits, then finds the first's outcome.
- The case store lost after the channel accepted a message and before the transaction that marks it
  sent commits (an outage, a failover) does not send it again: the accepting attempt first puts the
  channel's reference in its heartbeat, which Temporal hands to the retry (`_Accepted`), and the retry
  records that reference instead of sending.
- What remains is at-least-once: if the worker dies after the channel accepted the message but before
  that heartbeat reached Temporal, the retry sends it again. Such a duplicate carries the same
  reference — the SMTP Message-ID and `X-Notice-Reference` header, or GOV.UK Notify's `reference` — so
  it can be recognised and dropped; no design can close that window without the provider's help.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channels import NotificationChannel, PermanentDeliveryError, TemporaryDeliveryError
from safeguarding.activity_names import ActivityName
from safeguarding.codes import Process
from safeguarding.models import DigestRequest, DigestResult, Notice, NoticeResult, Recipient
from safeguarding.notices import RenderedNotice, TemplateError, digest_fields, render
from safeguarding.store.digest import list_team_digests
from safeguarding.store.outbox import (
    FAILED,
    SENT,
    OutboxEntry,
    enqueue_notice,
    get_notice,
    mark_notice_failed,
    mark_notice_sent,
    record_failed_attempt,
)
from safeguarding.store.recipients import UnresolvableRecipient, find_recipient_address

log = logging.getLogger(__name__)

DIGEST_TEMPLATE = "team_digest"


class NotificationActivities:
    """Notification activities around one case-store sessionmaker and one channel."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], channel: NotificationChannel) -> None:
        self._sessionmaker = sessionmaker
        self._channel = channel

    @activity.defn(name=ActivityName.SEND_NOTICE)
    async def send_notice(self, notice: Notice) -> NoticeResult:
        """Send `notice` once: `sent` now, or `already_sent` by an earlier attempt.

        Raises a non-retryable ApplicationError of type `PermanentDeliveryError`, `UnresolvableRecipient`
        or `InvalidNotice` when the notice can never go; `TemporaryDeliveryError` is retried.
        """
        return await self._deliver(
            _Accepted.so_far(),
            key=notice.key,
            template=notice.template,
            recipient=notice.recipient,
            case_id=notice.case_id or None,
            workflow_id=notice.workflow_id,
            fields=notice.fields,
        )

    @activity.defn(name=ActivityName.SEND_TEAM_DIGESTS)
    async def send_team_digests(self, request: DigestRequest) -> DigestResult:
        """Send each team manager the digest of their team's overdue and due-this-week work, once per day.

        Teams with nothing overdue or due get no message. A team whose digest can never be delivered (no
        active team manager, address refused) is logged and skipped so the other teams still get theirs;
        a temporary failure is raised after the teams before it were sent, and the retry skips those.
        """
        async with self._sessionmaker() as session:
            digests = await list_team_digests(request.day, session=session)
        workflow_id = activity.info().workflow_id or Process.DAILY_DIGEST.value
        accepted = _Accepted.so_far()
        sent = 0
        for digest in digests:
            accepted.beat()
            fields = digest_fields(
                team_id=digest.team_id, day=request.day, overdue=digest.overdue, due_soon=digest.due_soon
            )
            try:
                result = await self._deliver(
                    accepted,
                    key=f"digest:{digest.team_id}:{request.day.isoformat()}",
                    template=DIGEST_TEMPLATE,
                    recipient=Recipient(kind="team_manager", id=digest.team_id),
                    case_id=None,
                    workflow_id=workflow_id,
                    fields=fields,
                )
            except ApplicationError as error:
                if not error.non_retryable:
                    raise
                log.warning("digest for team %s on %s not sent: %s", digest.team_id, request.day, error)
                continue
            sent += result.state == "sent"
        return DigestResult(teams=len(digests), sent=sent)

    async def _deliver(
        self,
        accepted: _Accepted,
        *,
        key: str,
        template: str,
        recipient: Recipient,
        case_id: str | None,
        workflow_id: str,
        fields: dict[str, str],
    ) -> NoticeResult:
        """Queue, send and record one notice in one transaction; raise failures after it commits."""
        async with self._sessionmaker() as session, session.begin():
            entry = await get_notice(key, session=session, for_update=True)
            if entry is None:
                _render(key, template, fields)  # a notice that cannot be rendered is never queued
                entry = await enqueue_notice(
                    session=session,
                    notice_key=key,
                    template=template,
                    channel=self._channel.name,
                    recipient_kind=recipient.kind,
                    recipient_id=recipient.id,
                    address=await _address(session, recipient),
                    case_id=case_id,
                    workflow_id=workflow_id,
                    fields=fields,
                )
            if entry.state == SENT:
                log.info("notice %s already sent (outbox %s)", key, entry.id)
                return NoticeResult(state="already_sent", channel=entry.channel, outbox_id=entry.id)
            if entry.state == FAILED:
                failure: ApplicationError | None = _permanent(
                    f"notice {key} failed permanently before: {entry.last_error}"
                )
            else:
                failure = await self._send(session, entry, accepted)
            if failure is None:
                return NoticeResult(state="sent", channel=self._channel.name, outbox_id=entry.id)
        raise failure  # after the block, so the failure recorded in the outbox is committed

    async def _send(self, session: AsyncSession, entry: OutboxEntry, accepted: _Accepted) -> ApplicationError | None:
        """Send the queued `entry` from its stored address and fields; record and return any failure."""
        earlier = accepted.references.get(entry.notice_key)
        if earlier is not None:
            await mark_notice_sent(entry.id, earlier, session=session)
            log.info(
                "notice %s was accepted before the case store could record it: recorded, not resent", entry.notice_key
            )
            return None
        rendered = _render(entry.notice_key, entry.template, entry.fields)
        try:
            provider_reference = await self._channel.send(
                to=entry.address,
                subject=rendered.subject,
                body=rendered.body,
                reference=entry.notice_key,
                template=entry.template,
                fields=entry.fields,
            )
        except PermanentDeliveryError as error:
            await mark_notice_failed(entry.id, str(error), session=session)
            log.warning(
                "notice %s to %s %s failed: %s", entry.notice_key, entry.recipient_kind, entry.recipient_id, error
            )
            return _permanent(str(error))
        except TemporaryDeliveryError as error:
            await record_failed_attempt(entry.id, str(error), session=session)
            log.info("notice %s not sent yet: %s", entry.notice_key, error)
            return ApplicationError(str(error), type="TemporaryDeliveryError")
        accepted.add(entry.notice_key, provider_reference)
        await mark_notice_sent(entry.id, provider_reference, session=session)
        log.info("notice %s sent to %s %s", entry.notice_key, entry.recipient_kind, entry.recipient_id)
        return None


class _Accepted:
    """The notices the channel accepted in this activity's attempts, by key, carried in its heartbeat.

    Temporal gives a retry the last heartbeat of the attempt before it, so an attempt that lost the case
    store after the channel accepted a notice leaves the channel's reference to the next, which records it
    rather than sending the notice again.
    """

    def __init__(self, references: dict[str, str]) -> None:
        self.references = references

    @classmethod
    def so_far(cls) -> _Accepted:
        """Return what earlier attempts of the running activity left in their heartbeat (nothing on the first)."""
        details = activity.info().heartbeat_details
        earlier = details[0] if details else None
        if not isinstance(earlier, dict):  # the first attempt, or one that heartbeated something else
            return cls({})
        return cls({str(key): str(reference) for key, reference in earlier.items()})

    def add(self, key: str, reference: str) -> None:
        """Note that the channel accepted notice `key` under `reference`, before the outbox records it."""
        self.references[key] = reference
        self.beat()

    def beat(self) -> None:
        """Heartbeat with every reference accepted so far, so none is lost to a later heartbeat."""
        activity.heartbeat(dict(self.references))


def _render(key: str, template: str, fields: dict[str, str]) -> RenderedNotice:
    try:
        return render(template, fields)
    except TemplateError as error:
        raise ApplicationError(f"notice {key}: {error}", type="InvalidNotice", non_retryable=True) from error


async def _address(session: AsyncSession, recipient: Recipient) -> str:
    try:
        return await find_recipient_address(recipient, session=session)
    except UnresolvableRecipient as error:
        raise ApplicationError(str(error), type="UnresolvableRecipient", non_retryable=True) from error


def _permanent(message: str) -> ApplicationError:
    return ApplicationError(message, type="PermanentDeliveryError", non_retryable=True)
