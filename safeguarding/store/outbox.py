"""The notification outbox: one row per notice key, so each message is queued once and sent once.

A row moves queued -> sent, or queued -> failed on a permanent error; `attempts` counts sends tried.
Callers lock the row (`for_update`) while they send, so two executions of the same notice (a retry that
overlaps a slow first attempt) take turns, and the second finds the first's outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import notification_outbox

QUEUED, SENT, FAILED = "queued", "sent", "failed"


@dataclass(frozen=True)
class OutboxEntry:
    """One notice in the outbox."""

    id: int
    notice_key: str
    template: str
    channel: str
    recipient_kind: str
    recipient_id: str
    address: str
    case_id: str | None
    workflow_id: str
    fields: dict[str, str]
    state: str
    attempts: int
    last_error: str | None
    provider_reference: str | None
    sent_at: datetime | None


async def enqueue_notice(
    *,
    session: AsyncSession,
    notice_key: str,
    template: str,
    channel: str,
    recipient_kind: str,
    recipient_id: str,
    address: str,
    case_id: str | None,
    workflow_id: str,
    fields: dict[str, str],
) -> OutboxEntry:
    """Queue a notice under its unique key and return its row, locked; an existing row is returned as it is."""
    await session.execute(
        insert(notification_outbox)
        .values(
            notice_key=notice_key,
            template=template,
            channel=channel,
            recipient_kind=recipient_kind,
            recipient_id=recipient_id,
            address=address,
            case_id=case_id,
            workflow_id=workflow_id,
            fields=fields,
            state=QUEUED,
        )
        .on_conflict_do_nothing(index_elements=[notification_outbox.c.notice_key])
    )
    entry = await get_notice(notice_key, session=session, for_update=True)
    assert entry is not None, "a row inserted or found by its key is there in the same transaction"
    return entry


async def get_notice(notice_key: str, *, session: AsyncSession, for_update: bool = False) -> OutboxEntry | None:
    """Return the outbox row of `notice_key`, or None; `for_update` locks it until the transaction ends."""
    query = select(notification_outbox).where(notification_outbox.c.notice_key == notice_key)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).mappings().one_or_none()
    if row is None:
        return None
    return OutboxEntry(**{name: row[name] for name in OutboxEntry.__dataclass_fields__})


async def mark_notice_sent(outbox_id: int, provider_reference: str, *, session: AsyncSession) -> None:
    """Record that the channel accepted the notice, with the channel's reference for it."""
    await session.execute(
        update(notification_outbox)
        .where(notification_outbox.c.id == outbox_id)
        .values(
            state=SENT,
            provider_reference=provider_reference,
            attempts=notification_outbox.c.attempts + 1,
            last_error=None,
            sent_at=func.now(),
        )
    )


async def mark_notice_failed(outbox_id: int, error: str, *, session: AsyncSession) -> None:
    """Record a permanent failure: the notice will not be sent."""
    await session.execute(
        update(notification_outbox)
        .where(notification_outbox.c.id == outbox_id)
        .values(state=FAILED, attempts=notification_outbox.c.attempts + 1, last_error=error)
    )


async def record_failed_attempt(outbox_id: int, error: str, *, session: AsyncSession) -> None:
    """Record a temporary failure: the notice stays queued for the next attempt."""
    await session.execute(
        update(notification_outbox)
        .where(notification_outbox.c.id == outbox_id)
        .values(attempts=notification_outbox.c.attempts + 1, last_error=error)
    )
