"""Signing in and out: a user ID and password form (or the council account: `provider_sign_in`), and a sign-out
button on every page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from safeguarding.api.deps import ServicesDep
from safeguarding.api.identity import SESSION_COOKIE, SessionCookies
from safeguarding.console.pages import HOME, SIGN_IN, safe_next
from safeguarding.console.provider_session import PROVIDER_SESSION_COOKIE, SIGN_OUT, end_provider_session
from safeguarding.console.templating import render
from safeguarding.service.errors import NotFound, Refused, Unauthenticated
from safeguarding.service.root import Services
from safeguarding.service.sign_in import sign_in, sign_out

router = APIRouter(prefix="/console")


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str = HOME, signed_out: bool = False) -> Response:
    """Show the sign-in form."""
    return sign_in_form(request, next_path=safe_next(next), signed_out=signed_out)


@router.post("/sign-in")
async def sign_in_submitted(
    request: Request,
    services: ServicesDep,
    user_id: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    """Start a session and go where the person was going; on a refusal show the form again with why."""
    errors = []
    if not user_id.strip():
        errors.append({"text": "Enter your user ID", "href": "#user_id", "field": "user_id"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password", "field": "password"})
    if not errors:
        try:
            started = await sign_in(services, user_id.strip(), password, now=await services.now())
        except (Unauthenticated, Refused, NotFound) as refused:
            field = refused.field or "user_id"
            errors.append({"text": refused.reason, "href": f"#{field}", "field": field})
        else:
            return with_session(RedirectResponse(safe_next(next), status_code=303), request, services, started.secret)
    return sign_in_form(request, next_path=safe_next(next), user_id=user_id, errors=errors, status_code=401)


@router.post("/sign-out")
async def sign_out_submitted(request: Request, services: ServicesDep) -> Response:
    """End the session (its cookie signs nobody in again) and show the sign-in page.

    A session begun with the council account goes by the provider first, to end its session there too.
    """
    try:
        secret = _cookies(request).secret_of(request)
    except Unauthenticated:
        secret = None
    if secret is not None:
        await sign_out(services, secret, now=await services.now())
    at_provider = await end_provider_session(request, services.settings)
    response = RedirectResponse(at_provider or f"{SIGN_IN}?signed_out=true", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(PROVIDER_SESSION_COOKIE, path=SIGN_OUT)
    return response


def sign_in_form(
    request: Request,
    *,
    next_path: str,
    user_id: str = "",
    signed_out: bool = False,
    errors: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    """Return the sign-in page: the council account's button where the console has a client at its provider."""
    context = {
        "next": next_path,
        "user_id": user_id,
        "signed_out": signed_out,
        "errors": errors or [],
        "provider": request.app.state.provider_sign_in is not None,
    }
    return render(request, "sign_in.html", context, status_code=status_code)


def with_session(response: Response, request: Request, services: Services, secret: str) -> Response:
    """Return `response` carrying the new session's cookie: sent to the whole service, never to scripts."""
    response.set_cookie(
        SESSION_COOKIE,
        _cookies(request).issue(secret),
        httponly=True,
        samesite="lax",
        secure=services.settings.environment == "production",
        path="/",
    )
    return response


def _cookies(request: Request) -> SessionCookies:
    cookies: SessionCookies = request.app.state.session_cookies
    return cookies
