"""`create_app`: the FastAPI app over the application layer, with its credentials and its error answers.

The web console (`safeguarding.console`) is served by the same app under `/console`.

Built over given `Services` (tests, `make run`, the bench) or, when none are given, over the environment's,
opened when the app starts and closed when it stops. An unforeseen failure is answered 500 and logged by
its type only, so no traceback — which may quote a row's values — reaches a log or a caller.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safeguarding.api import problems
from safeguarding.api.identity import Authenticator, BearerTokens, session_cookies, session_secret
from safeguarding.api.routes import admin, cases, codec, decisions, me, people, processes, reports, tray
from safeguarding.config import Settings
from safeguarding.console.app import install_console
from safeguarding.oidc import sso_tokens
from safeguarding.oidc_sign_in import provider_sign_in
from safeguarding.service.root import Services, open_services

log = logging.getLogger("safeguarding.api")

DESCRIPTION = """\
Durable orchestration of the statutory safeguarding processes of children's social care in England.

Every request carries a bearer token (`Authorization: Bearer sgw_...`; `python -m starter token create`), or,
where the council's single sign-on is configured, its identity provider's JWT for a mapped practitioner.
Who acts is the token's practitioner: no body names its actor. Every POST honours an `Idempotency-Key`
header. Errors are `application/problem+json` (RFC 9457). Personal data is returned only to the roles
entitled to read a case, and only from the case store.
"""


def create_app(services: Services | None = None, settings: Settings | None = None) -> FastAPI:
    """Return the API over `services`, or over the environment's services opened for the app's lifetime."""
    settings = services.settings if services is not None else (settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            yield
            return
        async with open_services(settings) as opened:
            app.state.services = opened
            yield

    app = FastAPI(
        title="Safeguarding workflows API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=problems.PROBLEM_RESPONSES,
    )
    if services is not None:
        app.state.services = services
    cookies = session_cookies(settings)
    bearer_tokens = sso_tokens(settings)
    authenticators: tuple[Authenticator, ...] = (BearerTokens(bearer_tokens), cookies)
    app.state.authenticators = authenticators
    problems.install(app)
    routers = (me, cases, people, processes, decisions, tray, reports, admin, codec)
    for module in routers:
        app.include_router(module.router)
    provider = provider_sign_in(settings, bearer_tokens.keys if bearer_tokens else None)
    install_console(app, settings, cookies, session_secret(settings), provider)
    app.add_middleware(ContainFailures)
    app.add_middleware(codec.CodecCors, origins=codec.ui_origins(settings))
    return app


class ContainFailures:
    """Answer an unforeseen failure with a bare problem (500) and log only its type: never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            log.error("%s %s failed: %s", scope.get("method"), scope.get("path"), type(exc).__name__)
            if started:
                raise RuntimeError("the response had started when the request failed") from None
            problem = problems.Problem(
                title="Server error",
                status=500,
                detail="Something went wrong on our side; it has been logged.",
                instance=scope.get("path"),
            )
            await problems.problem_response(problem)(scope, receive, send)
