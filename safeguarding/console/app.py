"""Add the console to the API's app: its pages, its static files, its security middleware and sign-in redirect."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer

from safeguarding.api import CODEC_PATH
from safeguarding.api.identity import Authenticator, SessionCookies
from safeguarding.config import Settings
from safeguarding.console.errors import install_error_pages
from safeguarding.console.pages import HOME, SIGN_IN, SignInNeeded, sign_in_url
from safeguarding.console.routes import (
    allegations,
    cases,
    conferences,
    contacts,
    dashboard,
    decisions,
    disagreements,
    processes,
    provider_sign_in,
    registrations,
    sign_in,
    start,
    tray,
)
from safeguarding.console.security import CsrfProtection, SecurityHeaders
from safeguarding.oidc_sign_in import ProviderSignIn

log = logging.getLogger("safeguarding.console")

STATIC = Path(__file__).parent / "static"


def install_console(
    app: FastAPI, settings: Settings, cookies: SessionCookies, secret: str, provider: ProviderSignIn | None
) -> None:
    """Add the console's routes and assets to `app`; CSRF tokens are signed with `secret`.

    With `provider`, the sign-in page offers the council account too; the cookie that carries such a sign-in
    to the provider and back is signed with `secret` as well, under a salt of its own.
    Called after the API's problem handlers are installed: the console's error pages wrap them.
    """
    authenticators: tuple[Authenticator, ...] = (cookies,)
    app.state.console_authenticators = authenticators
    app.state.session_cookies = cookies
    app.state.provider_sign_in = provider
    app.state.provider_sign_in_cookies = URLSafeTimedSerializer(secret, salt="safeguarding-provider-sign-in")
    for module in (sign_in, provider_sign_in, tray, processes, decisions, cases, dashboard):
        app.include_router(module.router, include_in_schema=False)
    for module in (start, contacts, registrations, allegations, conferences, disagreements):
        app.include_router(module.router, include_in_schema=False)
    _mount_assets(app, settings.console_assets)

    @app.get("/console", include_in_schema=False)
    @app.get("/console/", include_in_schema=False)
    async def console_home() -> RedirectResponse:
        return RedirectResponse(HOME, status_code=303)

    install_error_pages(app)

    @app.exception_handler(SignInNeeded)
    async def send_to_sign_in(request: Request, exc: SignInNeeded) -> RedirectResponse:
        return RedirectResponse(sign_in_url(exc.next_path), status_code=303)

    # The codec server (`/codec/`) decodes and changes nothing; the Web UI calls it with the session cookie.
    app.add_middleware(
        CsrfProtection,
        secret=secret,
        secure=settings.environment == "production",
        sign_in_path=SIGN_IN,
        exempt_prefixes=(CODEC_PATH + "/",),
    )
    app.add_middleware(SecurityHeaders, form_targets=(provider.origin,) if provider else ())


def _mount_assets(app: FastAPI, node_modules: Path) -> None:
    """Serve GOV.UK Frontend and MoJ Frontend from `node_modules`, as their stylesheets expect (`/assets/...`)."""
    govuk = node_modules / "govuk-frontend" / "dist" / "govuk"
    if not govuk.is_dir():
        log.warning("console assets missing under %s: run make install (npm ci); pages will be unstyled", node_modules)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    app.mount("/assets/govuk", StaticFiles(directory=govuk, check_dir=False), name="govuk-frontend")
    moj = node_modules / "@ministryofjustice" / "frontend" / "moj"
    app.mount("/assets/moj", StaticFiles(directory=moj, check_dir=False), name="moj-frontend")
    # GOV.UK's stylesheet asks for its fonts and images at /assets/fonts and /assets/images.
    app.mount("/assets", StaticFiles(directory=govuk / "assets", check_dir=False), name="govuk-assets")
