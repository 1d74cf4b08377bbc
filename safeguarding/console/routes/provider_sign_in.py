"""Signing in with the council account: to the identity provider and back (`safeguarding.oidc_sign_in`).

`/console/sign-in/provider` sends the browser to the provider, keeping the flow's state, nonce and PKCE
verifier, and where the person was going, in a signed cookie that lives `PENDING_SECONDS` and is sent to this
path alone. `/console/sign-in/callback` is where the provider sends the browser back: the cookie must be there
and match, the code is exchanged, the ID token verified, its subject mapped to an active practitioner, and a
console session started as a password's would be (its ID token kept for signing out at the provider too:
`console.provider_session`). Any refusal shows the sign-in page again (401), saying to
try again or use a user ID and password; its cause is logged with codes and ids only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature
from starlette.exceptions import HTTPException

from safeguarding.api.deps import ServicesDep
from safeguarding.console.pages import HOME, SIGN_IN, safe_next
from safeguarding.console.provider_session import keep_provider_session, public_address, signed_cookies
from safeguarding.console.routes.sign_in import sign_in_form, with_session
from safeguarding.oidc import loggable
from safeguarding.oidc_sign_in import REFUSED, Pending, ProviderSignIn, refuse
from safeguarding.service.errors import Unauthenticated
from safeguarding.service.sign_in import sign_in_by_provider

router = APIRouter(prefix=SIGN_IN)

PENDING_COOKIE = "sgw_sign_in"
PENDING_SECONDS = 600
"""How long a sign-in begun at the provider may take: ten minutes to type a password and answer a second factor."""
CALLBACK = f"{SIGN_IN}/callback"


@router.get("/provider")
async def to_provider(request: Request, services: ServicesDep, next: str = HOME) -> Response:
    """Send the browser to the identity provider to sign in, keeping what its return must match."""
    provider = _provider(request)
    url, pending = await provider.begin(public_address(request, services.settings, CALLBACK))
    response = RedirectResponse(url, status_code=303)
    kept = {"state": pending.state, "nonce": pending.nonce, "verifier": pending.code_verifier, "next": safe_next(next)}
    response.set_cookie(
        PENDING_COOKIE,
        signed_cookies(request).dumps(kept),
        max_age=PENDING_SECONDS,
        httponly=True,
        samesite="lax",  # sent on the provider's redirect back, a top-level navigation
        secure=services.settings.environment == "production",
        path=CALLBACK,
    )
    return response


@router.get("/callback")
async def from_provider(
    request: Request, services: ServicesDep, code: str = "", state: str = "", error: str = ""
) -> Response:
    """Finish the sign-in the provider sent back: start a session and go on, or show the sign-in page with why."""
    provider = _provider(request)
    next_path = HOME
    try:
        pending, next_path = _pending(request)
        if error:
            refuse(f"the identity provider answered {loggable(error)}")
        if not code:
            refuse("the identity provider sent back no code")
        redirect_uri = public_address(request, services.settings, CALLBACK)
        signed_in = await provider.finish(code=code, state=state, pending=pending, redirect_uri=redirect_uri)
        started = await sign_in_by_provider(services, signed_in.subject, now=await services.now())
    except Unauthenticated:
        errors = [{"text": REFUSED, "href": "#provider", "field": "provider"}]
        page = sign_in_form(request, next_path=next_path, errors=errors, status_code=401)
        page.delete_cookie(PENDING_COOKIE, path=CALLBACK)
        return page
    response = with_session(RedirectResponse(next_path, status_code=303), request, services, started.secret)
    keep_provider_session(response, request, services.settings, signed_in.id_token)
    response.delete_cookie(PENDING_COOKIE, path=CALLBACK)
    return response


def _provider(request: Request) -> ProviderSignIn:
    """Return the console's client at the provider; 404 when signing in there is not configured."""
    provider: ProviderSignIn | None = request.app.state.provider_sign_in
    if provider is None:
        raise HTTPException(status_code=404)
    return provider


def _pending(request: Request) -> tuple[Pending, str]:
    """Return the sign-in this browser began, and where it was going; refuse a missing, old or forged one."""
    value = request.cookies.get(PENDING_COOKIE)
    if value is None:
        refuse("no sign-in was begun in this browser")
    try:
        kept = signed_cookies(request).loads(value, max_age=PENDING_SECONDS)
        pending = Pending(state=kept["state"], nonce=kept["nonce"], code_verifier=kept["verifier"])
        return pending, safe_next(str(kept["next"]))
    except (BadSignature, KeyError, TypeError):
        refuse("the sign-in cookie is forged, or older than ten minutes")
