"""The console's browser defences: a strict Content-Security-Policy with a nonce, and CSRF tokens on forms.

CSRF: `asgi-csrf` (double submit: a signed token in a cookie and the same token in each form's `csrftoken`
field, read from url-encoded and multipart bodies, so forms work with JavaScript off). It guards every
unsafe request that carries a cookie — the console's forms and the API called with a session cookie (which
must send the token in `x-csrftoken`) — and the sign-in form even without one (login CSRF). A request with a
bearer token is never a browser's ambient credential and passes. A failure is logged (method, path, which
check) and answered 403: under /console with a page that says what to do, elsewhere (the API) as
`application/problem+json`, as every other refusal of the API is.

CSP: scripts and styles from our own origin only, plus the one inline script of GOV.UK's template under a
nonce made for each response; no frames, no plugins, forms post to our origin only.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from asgi_csrf import Errors, asgi_csrf_decorator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safeguarding.api.problems import MEDIA_TYPE, Problem

log = logging.getLogger("safeguarding.refusals")

CSRF_COOKIE = "safeguarding_csrf"
CSRF_FIELD = "csrftoken"
GUARDED = ("/console", "/assets")
"""Paths whose responses carry the console's security headers (the API's /docs loads Swagger UI's own files)."""

CSRF_FAILED_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>This form has expired - Safeguarding workflows</title>
<link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper">
<h1 class="govuk-heading-l">This form has expired</h1>
<p class="govuk-body">Nothing was saved. Go back, reload the page and send the form again.</p>
<p class="govuk-body"><a class="govuk-link" href="/console/tray">Go to your work tray</a></p>
</main></div></body></html>"""


def content_security_policy(nonce: str, form_targets: tuple[str, ...] = ()) -> str:
    """Return the console's Content-Security-Policy for a response whose inline script carries `nonce`.

    Forms post to the console alone; `form_targets` are the other origins a form's answer may redirect to
    (browsers hold the redirects after a form to `form-action` too): the identity provider's, where signing
    out of a session begun there goes on to end that session (`console.provider_session`).
    """
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            " ".join(("form-action 'self'", *form_targets)),
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """Give each console response a fresh CSP nonce (`csp_nonce`) and the headers that go with it."""

    def __init__(self, app: ASGIApp, *, form_targets: tuple[str, ...] = ()) -> None:
        self.app = app
        self.form_targets = form_targets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GUARDED):
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", content_security_policy(nonce, self.form_targets).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not scope["path"].startswith(("/assets", "/console/static")):
                    headers.append((b"cache-control", b"no-store"))  # pages name children: never kept by a browser
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


class CsrfProtection:
    """asgi-csrf around the app, as a Starlette middleware class."""

    def __init__(
        self, app: ASGIApp, *, secret: str, secure: bool, sign_in_path: str, exempt_prefixes: tuple[str, ...] = ()
    ) -> None:
        """`exempt_prefixes`: paths that change nothing and answer only origins they allow themselves (CORS)."""
        self.app: Callable[..., Any] = asgi_csrf_decorator(
            signing_secret=secret,
            cookie_name=CSRF_COOKIE,
            form_input=CSRF_FIELD,
            always_protect={sign_in_path},
            cookie_secure=secure,
            send_csrf_failed=_refuse,
            skip_if_scope=lambda scope: str(scope["path"]).startswith(exempt_prefixes),
        )(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def csp_nonce(scope: Scope) -> str:
    """Return the nonce of this response's inline script."""
    return str(scope.get("state", {}).get("csp_nonce", ""))


def csrf_token(scope: Scope) -> str:
    """Return the CSRF token a form on this page must send back (and set its cookie if the browser has none)."""
    token = scope.get("csrftoken")
    return str(token()) if callable(token) else ""


CSRF_DETAIL = (
    "A request signed in by the session cookie must send the CSRF token (the safeguarding_csrf cookie's value) in "
    "the x-csrftoken header; a client with a bearer token needs neither the cookie nor the token."
)


async def _refuse(scope: Scope, send: Send, message_id: Errors) -> None:
    path = str(scope.get("path", ""))
    log.warning("refused %s %s: CSRF check failed (%s)", scope.get("method"), path, message_id.name)
    if path.startswith(GUARDED):
        content_type, body = b"text/html; charset=utf-8", CSRF_FAILED_PAGE
    else:
        problem = Problem(title="Forbidden", status=403, detail=CSRF_DETAIL, instance=path)
        content_type, body = MEDIA_TYPE.encode(), problem.model_dump_json(exclude_none=True).encode()
    await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", content_type)]})
    await send({"type": "http.response.body", "body": body})
