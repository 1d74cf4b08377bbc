"""The console's local sign-in: practitioners' password hashes, failed attempts, and server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import RowMapping, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import console_sessions, practitioner_passwords


async def set_password_hash(practitioner_id: str, password_hash: str, *, session: AsyncSession) -> None:
    """Record the practitioner's password hash (replacing any), with no failed attempts against it."""
    values = {"password_hash": password_hash, "failed_attempts": 0, "last_failed_at": None}
    await session.execute(
        insert(practitioner_passwords)
        .values(practitioner_id=practitioner_id, **values)
        .on_conflict_do_update(index_elements=[practitioner_passwords.c.practitioner_id], set_=values)
    )


async def get_password(practitioner_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the practitioner's hash and failed attempts, held until the transaction ends; None without one."""
    query = (
        select(practitioner_passwords)
        .where(practitioner_passwords.c.practitioner_id == practitioner_id)
        .with_for_update()
    )
    return (await session.execute(query)).mappings().one_or_none()


async def record_failed_attempt(practitioner_id: str, at: datetime, *, session: AsyncSession) -> int:
    """Count one more failed attempt since the last success; return how many there are now."""
    count = await session.scalar(
        update(practitioner_passwords)
        .where(practitioner_passwords.c.practitioner_id == practitioner_id)
        .values(failed_attempts=practitioner_passwords.c.failed_attempts + 1, last_failed_at=at)
        .returning(practitioner_passwords.c.failed_attempts)
    )
    return int(count or 0)


async def clear_failed_attempts(practitioner_id: str, *, session: AsyncSession) -> None:
    """Forget the failed attempts: the practitioner has signed in."""
    await session.execute(
        update(practitioner_passwords)
        .where(practitioner_passwords.c.practitioner_id == practitioner_id)
        .values(failed_attempts=0, last_failed_at=None)
    )


async def create_session(
    session_id: str, practitioner_id: str, *, now: datetime, expires_at: datetime, session: AsyncSession
) -> None:
    """Record a new console session (`session_id` is the hash of the cookie's secret)."""
    await session.execute(
        insert(console_sessions).values(
            id=session_id, practitioner_id=practitioner_id, created_at=now, last_seen_at=now, expires_at=expires_at
        )
    )


async def get_session(session_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the console session, ended or not; None when there is none."""
    query = select(console_sessions).where(console_sessions.c.id == session_id)
    return (await session.execute(query)).mappings().one_or_none()


async def touch_session(session_id: str, now: datetime, *, session: AsyncSession) -> None:
    """Record that the session was used at `now`."""
    await session.execute(update(console_sessions).where(console_sessions.c.id == session_id).values(last_seen_at=now))


async def end_session(session_id: str, now: datetime, *, session: AsyncSession) -> bool:
    """End the session at `now` unless it has ended already; return whether it was running."""
    ended = await session.execute(
        update(console_sessions)
        .where(console_sessions.c.id == session_id, console_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
        .returning(console_sessions.c.id)
    )
    return ended.first() is not None
