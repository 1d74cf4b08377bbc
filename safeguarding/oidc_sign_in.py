"""Signing in to the console with the council account: OpenID Connect's authorization code flow with PKCE.

The console is a confidential client of the council's identity provider (`SAFEGUARDING_OIDC_CONSOLE_CLIENT_ID`
and its secret). `begin` sends the browser to the provider's authorization endpoint (from its discovery
document) with a fresh `state`, `nonce` and PKCE code verifier (S256), which the console keeps in a signed
cookie of its own until the provider sends the browser back; `finish` exchanges the code for tokens at the
token endpoint (the client authenticating with its secret, HTTP Basic as RFC 6749 §2.3.1 spells it, the
verifier proving it began the flow; Authlib builds the requests, httpx sends them), then verifies the ID
token as every provider token is verified (`safeguarding.oidc`: the published keys, RS256 or ES256, `iss`,
`exp`) with the console's client id as its audience, and its `nonce` against the one sent. What comes out
is the configured subject claim; who that is here, the case store says (`service.sign_in.sign_in_by_provider`).

Signing out of a console session begun this way ends the provider's session too (`sign_out_url`), so a
shared computer does not sign the next person in as the last.

Every refusal is one `Unauthenticated` and one log line with its cause (ids and codes only: never a code, a
token or a subject); a provider that does not answer is `Unavailable` ("try again").
"""

from __future__ import annotations

import base64
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import quote, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from safeguarding.config import Settings
from safeguarding.oidc import (
    FETCH_TIMEOUT_SECONDS,
    IssuerKeys,
    IssuerUnreachable,
    SsoTokens,
    discovery_document,
    loggable,
)
from safeguarding.service.errors import Unauthenticated, Unavailable

log = logging.getLogger("safeguarding.credentials")

SCOPE = "openid"
"""All the console asks of the provider: who signed in. Names, e-mail addresses and roles stay the case store's."""
REFUSED = "Your council account could not sign you in here. Try again, or sign in with your user ID and password."


@dataclass(frozen=True)
class Pending:
    """What the console keeps, in its signed cookie, between sending the browser away and its return."""

    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class SignedIn:
    """Who the provider signed in (the subject claim's value), and the ID token that says so."""

    subject: str
    id_token: str


@dataclass(frozen=True)
class ProviderSignIn:
    """The console's client at the identity provider, and the verifier of the ID tokens it is given."""

    issuer: str
    client_id: str
    client_secret: str | None
    id_tokens: SsoTokens

    @property
    def origin(self) -> str:
        """The provider's origin (scheme, host and port), where the browser goes to sign in and out."""
        address = urlsplit(self.issuer)
        return f"{address.scheme}://{address.netloc}"

    async def begin(self, redirect_uri: str) -> tuple[str, Pending]:
        """Return the provider's address to send the browser to, and what to keep until it comes back."""
        pending = Pending(
            state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32), code_verifier=secrets.token_urlsafe(64)
        )
        endpoint = (await self._endpoints())["authorization_endpoint"]
        url = prepare_grant_uri(
            endpoint,
            self.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=SCOPE,
            state=pending.state,
            nonce=pending.nonce,
            code_challenge=create_s256_code_challenge(pending.code_verifier),
            code_challenge_method="S256",
        )
        return str(url), pending

    async def finish(self, *, code: str, state: str, pending: Pending, redirect_uri: str) -> SignedIn:
        """Return the verified sign-in the provider sent back; refuse one that is not ours."""
        if not hmac.compare_digest(state.encode(), pending.state.encode()):
            refuse("the state sent back is not the one this browser was sent with")
        tokens = await self._exchange(code, pending.code_verifier, redirect_uri)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            refuse("the token endpoint gave no ID token")
        claims = await self.id_tokens.claims_of(id_token)
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), pending.nonce.encode()):
            refuse("the ID token's nonce is not the one sent")
        return SignedIn(subject=claims[self.id_tokens.subject_claim], id_token=id_token)

    async def sign_out_url(self, *, id_token: str, come_back_to: str) -> str | None:
        """Return the provider's address that ends its own session too (RP-initiated logout); None without one.

        Signing out of the console alone would leave the provider's session running, and on a shared computer
        the next person to press "Sign in with your council account" would be signed in as the last. The ID
        token the sign-in was given names the session to end; the provider sends the browser back to
        `come_back_to` (registered there as a post-logout redirect URI). A provider that does not answer, or
        has no such endpoint on its own origin, leaves this None: the console's own session has ended
        regardless, and it is logged.
        """
        try:
            endpoint = (await discovery_document(self.issuer)).get("end_session_endpoint")
        except IssuerUnreachable as exc:
            log.warning("single sign-on: the identity provider %s did not answer at sign-out (%s)", self.issuer, exc)
            return None
        if not isinstance(endpoint, str):
            log.warning("single sign-on: the identity provider %s names no end_session_endpoint", self.issuer)
            return None
        if not endpoint.startswith(self.origin + "/"):
            # The console's pages let a form's answer redirect to the provider's origin alone (`form-action`).
            log.warning(
                "single sign-on: the end_session_endpoint of %s is on another origin; not followed", self.issuer
            )
            return None
        query = urlencode(
            {"id_token_hint": id_token, "post_logout_redirect_uri": come_back_to, "client_id": self.client_id}
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def _exchange(self, code: str, code_verifier: str, redirect_uri: str) -> dict[str, Any]:
        """Return the token endpoint's answer to the code; refuse a refusal, `Unavailable` when it did not answer."""
        endpoint = (await self._endpoints())["token_endpoint"]
        body = prepare_token_request(
            "authorization_code", code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        if self.client_secret is not None:
            headers["Authorization"] = _basic(self.client_id, self.client_secret)
        else:
            body += f"&client_id={quote(self.client_id)}"
        try:
            async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as http:
                answer = await http.post(endpoint, content=body, headers=headers)
            tokens = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning(
                "single sign-on: the identity provider's token endpoint did not answer (%s)", type(exc).__name__
            )
            raise Unavailable("the identity provider did not answer; try again") from None
        if answer.status_code >= 500 or not isinstance(tokens, dict):
            log.warning("single sign-on: the identity provider's token endpoint answered %d", answer.status_code)
            raise Unavailable("the identity provider did not answer; try again")
        if answer.status_code != 200 or "error" in tokens:
            refuse(f"the token endpoint refused the code ({loggable(tokens.get('error'))})")
        return tokens

    async def _endpoints(self) -> dict[str, Any]:
        try:
            discovery = await discovery_document(self.issuer)
        except IssuerUnreachable as exc:
            log.warning("single sign-on: the identity provider %s did not answer (%s)", self.issuer, exc)
            raise Unavailable("the identity provider did not answer; try again") from None
        if not all(isinstance(discovery.get(name), str) for name in ("authorization_endpoint", "token_endpoint")):
            log.warning(
                "single sign-on: the identity provider %s names no authorization or token endpoint", self.issuer
            )
            raise Unavailable("the identity provider did not answer; try again")
        return discovery


def refuse(cause: str) -> NoReturn:
    """Log why a sign-in through the provider was refused (codes only) and raise the one answer all get."""
    log.warning("credential refused: console sign-in through the identity provider: %s", cause)
    raise Unauthenticated(REFUSED)


def _basic(client_id: str, secret: str) -> str:
    """Return HTTP Basic credentials as RFC 6749 §2.3.1 has them: each part form-encoded before base64."""
    pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def provider_sign_in(settings: Settings, keys: IssuerKeys | None) -> ProviderSignIn | None:
    """Return the console's sign-in through the provider; None unless the console has a client there.

    `keys` are the issuer's keys the API's bearer-token check already caches, shared so both fetch them once.
    """
    if settings.oidc_console_client_id is None or settings.oidc_issuer is None:
        return None
    keys = keys or IssuerKeys(
        settings.oidc_issuer,
        ttl_seconds=settings.oidc_keys_ttl_seconds,
        cooldown_seconds=settings.oidc_keys_refresh_cooldown_seconds,
    )
    secret = settings.oidc_console_client_secret
    return ProviderSignIn(
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_console_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        id_tokens=SsoTokens(settings.oidc_issuer, settings.oidc_console_client_id, settings.oidc_subject_claim, keys),
    )
