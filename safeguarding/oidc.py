"""Bearer JWTs from the council's identity provider (OpenID Connect): verified here, mapped in `service.sso`.

The Temporal Web UI signs operators in through the council's single sign-on and sends the access token to
our codec server as `Authorization: Bearer <JWT>`; automation may do the same. A token is accepted only when
- its header names an allowed algorithm (`ALGORITHMS`: RS256, ES256; never `none`, never an HMAC, whose
  "secret" an attacker would take from the public key) and a `kid`;
- that key is one the issuer publishes: its discovery document (`<issuer>/.well-known/openid-configuration`,
  whose `issuer` must be the configured one) names the `jwks_uri`; the key set is cached for a while and
  fetched again early when a token names a key it lacks (the provider rotated its keys), at most once per
  cooldown, so tokens with made-up key ids cannot make us hammer the provider;
- its signature verifies (joserfc, the JOSE library of Authlib's authors, which Authlib itself builds on
  and points to: `authlib.jose` is deprecated in its favour);
- `iss` is the issuer, `aud` holds the configured audience, `exp` is present and not past, `nbf` (if any)
  not ahead, each with `LEEWAY_SECONDS` for clocks that drift;
- the configured subject claim is a non-empty string.

Every refusal is one 401 ("the bearer token is not valid", whatever the cause) and one log line with the
cause, the key id and, once the claims are verified, a hash of the subject: never the token, never the
subject itself. A provider that does not answer is a 503 ("try again"), not a refusal of the caller.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import httpx
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import Key, KeySet

from safeguarding.config import Settings
from safeguarding.service.errors import Unauthenticated, Unavailable
from safeguarding.service.sso import REFUSED, subject_hash

log = logging.getLogger("safeguarding.credentials")

ALGORITHMS = ("RS256", "ES256")
"""The signature algorithms accepted: asymmetric only, so the keys we hold can verify and never sign."""
LEEWAY_SECONDS = 60
"""How far the provider's clock and ours may drift apart before `exp` or `nbf` refuses a token."""
DISCOVERY_PATH = "/.well-known/openid-configuration"
FETCH_TIMEOUT_SECONDS = 5.0
_LOGGABLE = re.compile(r"[A-Za-z0-9._:-]{1,80}")


class IssuerUnreachable(Exception):
    """The identity provider's discovery document or key set could not be fetched or read."""


@dataclass
class IssuerKeys:
    """The issuer's published signing keys, fetched through its discovery document and cached.

    Fetched on first use, again once `ttl_seconds` have passed, and early when a token names a key id the
    cache lacks — but not within `cooldown_seconds` of the last fetch.
    """

    issuer: str
    ttl_seconds: float
    cooldown_seconds: float
    clock: Callable[[], float] = time.monotonic
    _keys: KeySet | None = field(default=None, init=False)
    _fetched_at: float = field(default=0.0, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def key(self, kid: str) -> Key | None:
        """Return the issuer's key `kid`, fetching the key set when stale or when it lacks `kid`; None if none."""
        async with self._lock:
            now = self.clock()
            if self._keys is None or now - self._fetched_at >= self.ttl_seconds:
                await self._fetch(now)
            found = self._find(kid)
            if found is None and now - self._fetched_at >= self.cooldown_seconds:
                log.info("single sign-on: key %s is not in the cached key set; fetching it again", loggable(kid))
                await self._fetch(now)
                found = self._find(kid)
            return found

    def _find(self, kid: str) -> Key | None:
        assert self._keys is not None
        return next((key for key in self._keys if key.kid == kid), None)

    async def _fetch(self, now: float) -> None:
        jwks_uri = (await discovery_document(self.issuer)).get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise IssuerUnreachable("the discovery document names no jwks_uri")
        try:
            async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as http:
                key_set = await _json(http, jwks_uri)
            signing = [
                key for key in key_set.get("keys", []) if isinstance(key, dict) and key.get("use", "sig") == "sig"
            ]
            self._keys = KeySet.import_key_set({"keys": signing})
        except (httpx.HTTPError, ValueError, JoseError) as exc:
            raise IssuerUnreachable(type(exc).__name__) from None
        self._fetched_at = now


async def discovery_document(issuer: str) -> dict[str, Any]:
    """Return the issuer's discovery document, refusing one that names another issuer."""
    try:
        async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as http:
            discovery = await _json(http, issuer.rstrip("/") + DISCOVERY_PATH)
    except (httpx.HTTPError, ValueError) as exc:
        raise IssuerUnreachable(type(exc).__name__) from None
    if discovery.get("issuer") != issuer:
        raise IssuerUnreachable("the discovery document names another issuer")
    return discovery


async def _json(http: httpx.AsyncClient, url: str) -> dict[str, Any]:
    response = await http.get(url, headers={"Accept": "application/json"})
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


@dataclass
class SsoTokens:
    """Verifies the identity provider's bearer JWTs and returns the configured subject claim's value."""

    issuer: str
    audience: str
    subject_claim: str
    keys: IssuerKeys

    async def subject_of(self, token: str) -> str:
        """Return the verified token's subject; raise Unauthenticated (logged, ids only) for any failed check."""
        subject: str = (await self.claims_of(token))[self.subject_claim]
        return subject

    async def claims_of(self, token: str) -> dict[str, Any]:
        """Return the verified token's claims, the subject claim among them; raise Unauthenticated as above."""
        header = _header(token)
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALGORITHMS:
            _refuse(f"algorithm {loggable(algorithm)} is not allowed", kid)
        if not isinstance(kid, str):
            _refuse("the token names no key id", None)
        try:
            key = await self.keys.key(kid)
        except IssuerUnreachable as exc:
            log.warning("single sign-on: the identity provider %s did not answer (%s)", self.issuer, exc)
            raise Unavailable("the identity provider did not answer; try again") from None
        if key is None:
            _refuse("the issuer publishes no such key", kid)
        try:
            claims = jwt.decode(token, key, algorithms=list(ALGORITHMS)).claims
        except JoseError as exc:
            _refuse(f"the signature does not verify ({type(exc).__name__})", kid)
        subject = claims.get(self.subject_claim)
        described = f"subject {subject_hash(subject)}" if isinstance(subject, str) and subject else "no subject"
        try:
            self._registry().validate(claims)
        except ExpiredTokenError:
            _refuse(f"it has expired ({described})", kid)
        except JoseError as exc:
            _refuse(f"{exc.description or exc.error} ({described})", kid)
        if not isinstance(subject, str) or not subject:
            _refuse(f"it carries no {self.subject_claim} claim", kid)
        return dict(claims)

    def _registry(self) -> jwt.JWTClaimsRegistry:
        return jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
        )


def _header(token: str) -> dict[str, Any]:
    """Return the token's (unverified) JOSE header, to choose the key; refuse what is not a compact JWS."""
    segment = token.split(".")[0] if token.count(".") == 2 else ""
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        _refuse("it is not a signed JWT", None)
    if not isinstance(header, dict):
        _refuse("it is not a signed JWT", None)
    return header


def _refuse(cause: str, kid: object) -> NoReturn:
    """Log why a token was refused (ids only) and raise the one answer every refusal gets."""
    log.warning("credential refused: single sign-on token (key %s): %s", loggable(kid), cause)
    raise Unauthenticated(REFUSED)


def loggable(value: object) -> str:
    """Return a value the caller sent (a key id, an algorithm, an OAuth error code) fit for the log: a plain id."""
    return value if isinstance(value, str) and _LOGGABLE.fullmatch(value) else "(none or malformed)"


def sso_tokens(settings: Settings) -> SsoTokens | None:
    """Return the verifier of the settings' identity provider; None when single sign-on is not configured."""
    if settings.oidc_issuer is None or settings.oidc_audience is None:
        return None
    keys = IssuerKeys(
        settings.oidc_issuer,
        ttl_seconds=settings.oidc_keys_ttl_seconds,
        cooldown_seconds=settings.oidc_keys_refresh_cooldown_seconds,
    )
    return SsoTokens(settings.oidc_issuer, settings.oidc_audience, settings.oidc_subject_claim, keys)
