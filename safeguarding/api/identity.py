"""Who is calling: the credential becomes a `Principal`; nothing in a request body can say who acts.

Each kind of credential is an `Authenticator`:
- a bearer token (`Authorization: Bearer sgw_...`), for automation and for people (`safeguarding.service.tokens`);
  or, when the council's single sign-on is configured, a bearer JWT from its identity provider (the Temporal
  Web UI passes the operator's access token to `/codec`), verified by `safeguarding.oidc` and mapped to a
  practitioner by `safeguarding.service.sso`. A token of ours is always checked as ours: only another kind
  of bearer token goes to the identity provider's check;
- a signed session cookie, for the console: the secret of a server-side session (`safeguarding.service.sign_in`),
  signed with the session secret (itsdangerous); the session must still be running in the case store, so
  signing out or its expiry ends the cookie too.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from fastapi import Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from safeguarding.config import Settings
from safeguarding.oidc import SsoTokens
from safeguarding.service.access import Principal
from safeguarding.service.errors import Unauthenticated
from safeguarding.service.root import Services
from safeguarding.service.sign_in import SESSION_HOURS, principal_for_session
from safeguarding.service.sso import principal_for_sso_subject
from safeguarding.service.tokens import is_our_token, principal_for_token

log = logging.getLogger("safeguarding.credentials")

SESSION_COOKIE = "safeguarding_session"
DEV_SECRET_FILE = "session-secret"


class Authenticator(Protocol):
    """One kind of credential: returns the principal it proves, None when the request carries none of its kind."""

    async def principal(self, request: Request, services: Services) -> Principal | None:
        """Return who the request's credential of this kind stands for; raise Unauthenticated for a bad one."""
        ...


@dataclass(frozen=True)
class BearerTokens:
    """`Authorization: Bearer <token>`: our tokens, then the identity provider's JWTs when `sso` is configured."""

    sso: SsoTokens | None = None

    async def principal(self, request: Request, services: Services) -> Principal | None:
        """Return the token's practitioner, or None without an Authorization header."""
        header = request.headers.get("authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("send the credential as: Authorization: Bearer <token>")
        if self.sso is None or is_our_token(token):
            return await principal_for_token(services, token)
        return await principal_for_sso_subject(services, await self.sso.subject_of(token))


@dataclass(frozen=True)
class SessionCookies:
    """The console's signed session cookie, standing for a server-side session that must still be running."""

    serializer: URLSafeTimedSerializer

    def issue(self, session_secret: str) -> str:
        """Return the cookie value carrying a new session's secret (`sign_in.ConsoleSession.secret`)."""
        return str(self.serializer.dumps({"s": session_secret}))

    def secret_of(self, request: Request) -> str | None:
        """Return the session secret the request's cookie carries, None without one; refuse a bad cookie."""
        value = request.cookies.get(SESSION_COOKIE)
        if value is None:
            return None
        try:
            data = self.serializer.loads(value, max_age=SESSION_HOURS * 3600)
        except SignatureExpired:
            raise Unauthenticated("the session has expired; sign in again") from None
        except BadSignature:
            log.warning("credential refused: a session cookie with a bad signature")
            raise Unauthenticated("the session is not valid; sign in again") from None
        if not isinstance(data, dict) or not isinstance(data.get("s"), str):
            raise Unauthenticated("the session is not valid; sign in again")
        return str(data["s"])

    async def principal(self, request: Request, services: Services) -> Principal | None:
        """Return the running session's practitioner, or None without a session cookie."""
        secret = self.secret_of(request)
        if secret is None:
            return None
        return await principal_for_session(services, secret, now=datetime.now(UTC))


def session_cookies(settings: Settings) -> SessionCookies:
    """Return the session cookies signed with the session secret."""
    return SessionCookies(URLSafeTimedSerializer(session_secret(settings), salt="safeguarding-session"))


def session_secret(settings: Settings) -> str:
    """Return the configured session secret; outside production, a generated one kept under the data folder."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    return _dev_secret(settings.data_dir)


def _dev_secret(data_dir: Path) -> str:
    """Return the development session secret under the data folder, made (mode 0600) on first use."""
    path = Path(data_dir) / DEV_SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    secret = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    return secret


async def authenticate(request: Request, services: Services, authenticators: tuple[Authenticator, ...]) -> Principal:
    """Return the principal of the first credential the request carries; refuse a request that carries none."""
    for authenticator in authenticators:
        principal = await authenticator.principal(request, services)
        if principal is not None:
            return principal
    raise Unauthenticated("sign in: send a bearer token (Authorization: Bearer <token>)")
