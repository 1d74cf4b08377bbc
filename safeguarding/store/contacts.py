"""Contacts: what a referrer told the front door (statutory-rules.md §2). The referrer's details live here only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import contacts


async def insert_contact(
    *,
    case_id: str,
    received_at: datetime,
    source: str,
    summary: str,
    referrer_name: str | None = None,
    referrer_email: str | None = None,
    referrer_organisation: str | None = None,
    referral_source: str | None = None,
    session: AsyncSession,
) -> str:
    """Record a contact on a case and return its generated id (`contact-<hex>`: an id, never a name)."""
    contact_id = f"contact-{uuid.uuid4().hex[:12]}"
    await session.execute(
        insert(contacts).values(
            id=contact_id,
            case_id=case_id,
            received_at=received_at,
            source=source,
            summary=summary,
            referrer_name=referrer_name,
            referrer_email=referrer_email,
            referrer_organisation=referrer_organisation,
            referral_source=referral_source,
        )
    )
    return contact_id


async def list_contacts(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the case's contacts in the order they were received."""
    query = select(contacts).where(contacts.c.case_id == case_id).order_by(contacts.c.received_at, contacts.c.id)
    return (await session.execute(query)).mappings().all()


async def delete_contact(contact_id: str, *, session: AsyncSession) -> None:
    """Remove a contact whose process could not be started, so a refused start leaves nothing behind."""
    await session.execute(delete(contacts).where(contacts.c.id == contact_id))
