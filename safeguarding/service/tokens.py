"""Bearer tokens for automation and for people: made once, stored hashed, listed, revoked, expiring.

A token is `sgw_<id>_<secret>`: the id is public (it names the token in lists and in the logs), the secret
is 32 random bytes. Only the SHA-256 of the whole token is stored, so a copy of the case store gives no
working credential; a fast hash is enough because the secret is random, not a password. A token stands for
one practitioner; what it may do is what that practitioner may do now (`principals.principal_for`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import RowMapping, select, update

from safeguarding.schema import api_tokens
from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid, NotFound, Unauthenticated
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.store.practitioners import get_practitioner

log = logging.getLogger("safeguarding.credentials")

PREFIX = "sgw"
MAX_DAYS = 400
"""The longest a token may live: a little over a year, so every credential is re-issued at least yearly."""


class TokenRecord(BaseModel):
    """A token as it is listed: never its secret."""

    id: str
    practitioner_id: str
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedToken(TokenRecord):
    """A token just made: the only time its secret is shown."""

    token: str = Field(description="The bearer token. Shown once; keep it as you would a password.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    services: Services, practitioner_id: str, *, expires_days: int | None = None, label: str | None = None
) -> IssuedToken:
    """Make a token for an active practitioner; `expires_days` None means it lives until revoked (automation)."""
    if expires_days is not None and not 0 < expires_days <= MAX_DAYS:
        raise Invalid(f"a token expires after 1 to {MAX_DAYS} days, not {expires_days}", field="expires_days")
    await principal_for(services, practitioner_id)
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    now = datetime.now(UTC)
    expires_at = now + timedelta(days=expires_days) if expires_days is not None else None
    async with services.sessions.begin() as session:
        await session.execute(
            api_tokens.insert().values(
                id=token_id,
                practitioner_id=practitioner_id,
                token_hash=_hash(token),
                label=label,
                created_at=now,
                expires_at=expires_at,
            )
        )
    log.info("token %s made for %s", token_id, practitioner_id)
    return IssuedToken(
        id=token_id,
        practitioner_id=practitioner_id,
        label=label,
        created_at=now,
        expires_at=expires_at,
        revoked_at=None,
        last_used_at=None,
        token=token,
    )


async def list_tokens(services: Services, practitioner_id: str | None = None) -> list[TokenRecord]:
    """Return the tokens (all, or one practitioner's), newest first; secrets are never kept, so never shown."""
    query = select(api_tokens).order_by(api_tokens.c.created_at.desc())
    if practitioner_id is not None:
        if await _practitioner_row(services, practitioner_id) is None:
            raise NotFound(f"no practitioner {practitioner_id!r}")
        query = query.where(api_tokens.c.practitioner_id == practitioner_id)
    async with services.sessions() as session:
        rows = (await session.execute(query)).mappings().all()
    return [TokenRecord.model_validate(dict(row)) for row in rows]


async def revoke_token(services: Services, token_id: str) -> TokenRecord:
    """Revoke a token from now on (revoking it again changes nothing)."""
    async with services.sessions.begin() as session:
        await session.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        row = (await session.execute(select(api_tokens).where(api_tokens.c.id == token_id))).mappings().one_or_none()
    if row is None:
        raise NotFound(f"no token {token_id!r}")
    log.info("token %s revoked", token_id)
    return TokenRecord.model_validate(dict(row))


def is_our_token(token: str) -> bool:
    """Return whether `token` has the form of ours (`sgw_<id>_<secret>`), so another issuer's is told apart."""
    return token.startswith(f"{PREFIX}_")


async def principal_for_token(services: Services, token: str) -> Principal:
    """Return who `token` stands for; refuse an unknown, expired, revoked or malformed one without saying which.

    The reason is logged with the token's public id only (never the secret), so an operator can tell why.
    """
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        log.warning("credential refused: not a token of ours")
        raise Unauthenticated("the bearer token is not valid")
    token_id = parts[1]
    now = datetime.now(UTC)
    async with services.sessions.begin() as session:
        row = (await session.execute(select(api_tokens).where(api_tokens.c.id == token_id))).mappings().one_or_none()
        problem = _problem(row, token, now)
        if problem is None:
            await session.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now))
    if problem is not None:
        log.warning("credential refused: token %s %s", token_id, problem)
        raise Unauthenticated("the bearer token is not valid")
    assert row is not None
    return await principal_for(services, row["practitioner_id"])


def _problem(row: RowMapping | None, token: str, now: datetime) -> str | None:
    """Return why the token's row does not accept `token` now, or None when it does."""
    if row is None:
        return "is unknown"
    if not hmac.compare_digest(row["token_hash"], _hash(token)):
        return "has a wrong secret"
    if row["revoked_at"] is not None:
        return "is revoked"
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return "has expired"
    return None


async def _practitioner_row(services: Services, practitioner_id: str) -> RowMapping | None:
    async with services.sessions() as session:
        return await get_practitioner(practitioner_id, session=session)
