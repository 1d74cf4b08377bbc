"""Signing in to the console, with a local password or the council account, and the server-side sessions that follow.

The embedded default's own accounts: an argon2id hash per practitioner (`pwdlib`), checked here; or the
council's single sign-on, whose verified subject is mapped to a practitioner (`sign_in_by_provider`, reached
through `safeguarding.console.routes.provider_sign_in`), and a session started the same way. A session is a
row in the case store found by the hash of the cookie's secret: it ends when the person signs out, after
`SESSION_HOURS`, or after `IDLE_MINUTES` unused — so a copied cookie stops working and a forgotten screen does
not stay signed in.

Failed attempts are counted per account since its last success. From the `FREE_ATTEMPTS`-th on, the account
refuses every attempt for a while, doubling each time (one minute, two, four, ... at most an hour), so
guessing is slow; each failure and each refusal is logged with the practitioner id only — never what was typed
(a password typed into the user ID field would otherwise land in the log).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from pydantic import BaseModel

from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid, Unauthenticated
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.service.sso import principal_for_sso_subject
from safeguarding.store import console_sign_in as store
from safeguarding.working_days import LONDON

log = logging.getLogger("safeguarding.credentials")

SESSION_HOURS = 8
"""A console session lasts a working day at most; then the person signs in again."""
IDLE_MINUTES = 30
"""A session left unused this long has ended."""
FREE_ATTEMPTS = 5
"""Failed attempts allowed before the account starts to make the next one wait."""
LONGEST_WAIT = timedelta(hours=1)
TOUCH_EVERY = timedelta(minutes=1)
"""How stale a session's `last_seen_at` may get before a request writes it again (one write a minute, not each)."""
WRONG = "Enter a correct user ID and password"
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHash.recommended()
_UNKNOWN_ACCOUNT_HASH = _hasher.hash(secrets.token_urlsafe(16))
"""Checked against when no account matches, so an unknown user ID takes as long to refuse as a wrong password."""


class ConsoleSession(BaseModel):
    """A new console session: `secret` goes into the cookie and is kept nowhere else."""

    secret: str
    practitioner_id: str
    expires_at: datetime


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password`."""
    return _hasher.hash(password)


async def set_password(services: Services, practitioner_id: str, password: str) -> None:
    """Give the practitioner a console password (an administrator's or the seed's act, not a use case of theirs)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password: at least {MIN_PASSWORD_LENGTH} characters", field="password")
    password_hash = await asyncio.to_thread(hash_password, password)
    async with services.sessions.begin() as session:
        await store.set_password_hash(practitioner_id, password_hash, session=session)


async def sign_in(services: Services, practitioner_id: str, password: str, *, now: datetime) -> ConsoleSession:
    """Check the password and start a session; raise Unauthenticated for a wrong one or a waiting account."""
    async with services.sessions.begin() as session:
        account = await store.get_password(practitioner_id, session=session) if _plausible(practitioner_id) else None
        if account is None:
            await asyncio.to_thread(_hasher.verify, password, _UNKNOWN_ACCOUNT_HASH)
            log.warning("sign-in failed: no account with a password under the user ID given")
            raise Unauthenticated(WRONG, field="user_id")
        waits_until = _waits_until(account["failed_attempts"], account["last_failed_at"])
        if waits_until is not None and now < waits_until:
            log.warning("sign-in refused: practitioner %s is waiting after failed attempts", practitioner_id)
            raise Unauthenticated(_wait_reason(waits_until), field="password")
        verified = await asyncio.to_thread(_hasher.verify, password, account["password_hash"])
        if not verified:
            failures = await store.record_failed_attempt(practitioner_id, now, session=session)
            log.warning("sign-in failed: practitioner %s, wrong password (%d in a row)", practitioner_id, failures)
    if not verified:
        raise Unauthenticated(WRONG, field="password")
    principal = await principal_for(services, practitioner_id)  # an inactive practitioner is refused here
    async with services.sessions.begin() as session:
        await store.clear_failed_attempts(practitioner_id, session=session)
    started = await _start_session(services, principal, now=now)
    log.info("signed in: practitioner %s", practitioner_id)
    return started


async def sign_in_by_provider(services: Services, subject: str, *, now: datetime) -> ConsoleSession:
    """Start a session for the practitioner mapped to the identity provider's verified `subject`.

    The provider proved who signed in; the case store says who that is here (`sso.principal_for_sso_subject`):
    a subject mapped to no one, or to an inactive practitioner, is refused (Unauthenticated), and logged there.
    """
    principal = await principal_for_sso_subject(services, subject)
    started = await _start_session(services, principal, now=now)
    log.info("signed in through the identity provider: practitioner %s", principal.practitioner_id)
    return started


async def _start_session(services: Services, principal: Principal, *, now: datetime) -> ConsoleSession:
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=SESSION_HOURS)
    async with services.sessions.begin() as session:
        await store.create_session(
            _session_id(secret), principal.practitioner_id, now=now, expires_at=expires_at, session=session
        )
    return ConsoleSession(secret=secret, practitioner_id=principal.practitioner_id, expires_at=expires_at)


async def principal_for_session(services: Services, secret: str, *, now: datetime) -> Principal:
    """Return who the running session is; raise Unauthenticated when it is unknown, ended or expired."""
    session_id = _session_id(secret)
    async with services.sessions.begin() as session:
        row = await store.get_session(session_id, session=session)
        if row is None:
            log.warning("credential refused: an unknown console session")
            raise Unauthenticated("the session is not valid; sign in again")
        if row["ended_at"] is not None:
            raise Unauthenticated("you have signed out; sign in again")
        if now >= row["expires_at"] or now >= row["last_seen_at"] + timedelta(minutes=IDLE_MINUTES):
            await store.end_session(session_id, now, session=session)
            raise Unauthenticated("the session has expired; sign in again")
        if now - row["last_seen_at"] >= TOUCH_EVERY:
            await store.touch_session(session_id, now, session=session)
    return await principal_for(services, row["practitioner_id"])


async def sign_out(services: Services, secret: str, *, now: datetime) -> None:
    """End the session: its cookie signs nobody in from now on."""
    async with services.sessions.begin() as session:
        row = await store.get_session(_session_id(secret), session=session)
        if row is not None and await store.end_session(row["id"], now, session=session):
            log.info("signed out: practitioner %s", row["practitioner_id"])


def _session_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _plausible(practitioner_id: str) -> bool:
    return 0 < len(practitioner_id) <= 200 and practitioner_id.isprintable()


def _waits_until(failures: int, last_failed_at: datetime | None) -> datetime | None:
    """Return until when the account refuses attempts after `failures` in a row; None when it does not."""
    if failures < FREE_ATTEMPTS or last_failed_at is None:
        return None
    wait = min(timedelta(minutes=2 ** (failures - FREE_ATTEMPTS)), LONGEST_WAIT)
    return last_failed_at + wait


def _wait_reason(until: datetime) -> str:
    return f"Too many failed sign-ins: try again after {until.astimezone(LONDON):%H:%M}"
