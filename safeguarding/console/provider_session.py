"""The identity provider's session beside the console's: kept at a sign-in through the provider, ended at sign-out.

A console session begun with the council account leaves a session at the provider too. Signing out of the
console alone would keep that one running, and on a shared computer the next person to press "Sign in with
your council account" would be signed in as the last. So the ID token of such a sign-in is kept in a signed
cookie sent to the sign-out path alone (`keep_provider_session`), and signing out sends the browser on to the
provider's end-session endpoint with it (`end_provider_session`, `oidc_sign_in.ProviderSignIn.sign_out_url`),
which sends it back to the sign-in page.
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from safeguarding.config import Settings
from safeguarding.console.pages import SIGN_IN
from safeguarding.oidc_sign_in import ProviderSignIn
from safeguarding.service.sign_in import SESSION_HOURS

log = logging.getLogger("safeguarding.credentials")

SIGN_OUT = "/console/sign-out"
PROVIDER_SESSION_COOKIE = "sgw_provider_session"
SALT = "safeguarding-provider-session"
"""Kept apart from the other values the console signs with its secret: none can stand in for another."""


def public_address(request: Request, settings: Settings, path: str) -> str:
    """Return the address of `path` as people reach it: under `SAFEGUARDING_PUBLIC_URL` when set."""
    base = settings.public_url or str(request.base_url)
    return base.rstrip("/") + path


def keep_provider_session(response: Response, request: Request, settings: Settings, id_token: str) -> None:
    """Keep the ID token of a sign-in through the provider until sign-out, for ending the provider's session."""
    response.set_cookie(
        PROVIDER_SESSION_COOKIE,
        signed_cookies(request).dumps(id_token, salt=SALT),
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
        path=SIGN_OUT,
    )


async def end_provider_session(request: Request, settings: Settings) -> str | None:
    """Return where to send the browser to end the provider's session too; None when there is none to end."""
    provider: ProviderSignIn | None = request.app.state.provider_sign_in
    value = request.cookies.get(PROVIDER_SESSION_COOKIE)
    if provider is None or value is None:
        return None
    try:
        id_token = signed_cookies(request).loads(value, salt=SALT, max_age=SESSION_HOURS * 3600)
    except BadSignature:
        log.warning("sign-out: the provider session cookie is forged or too old; the provider's session is left")
        return None
    come_back_to = public_address(request, settings, f"{SIGN_IN}?signed_out=true")
    return await provider.sign_out_url(id_token=str(id_token), come_back_to=come_back_to)


def signed_cookies(request: Request) -> URLSafeTimedSerializer:
    """Return what signs the cookies of a sign-in through the provider (the console's secret, a salt of their own)."""
    serializer: URLSafeTimedSerializer = request.app.state.provider_sign_in_cookies
    return serializer
