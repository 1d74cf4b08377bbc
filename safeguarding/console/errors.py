"""The console's error pages: what the API answers as `application/problem+json`, a browser gets as a GOV.UK page.

The API's handlers (`safeguarding.api.problems`) stay in charge of every other path; under `/console` the same
errors are shown as a page with a heading and one sentence a person can act on (a use case's reason carries
ids and codes only, never personal data). A 503 page is logged in one line and says when to try again
(`Retry-After`), as the API's 503 is.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from safeguarding.api.problems import log_unavailable
from safeguarding.console.templating import render
from safeguarding.service.errors import ServiceError

Handler = Callable[[Request, Any], Response | Awaitable[Response]]

HEADINGS = {
    403: "You cannot do this",
    404: "Page not found",
    405: "Page not found",
    409: "This cannot be done now",
    422: "There is a problem with the request",
    503: "Sorry, there is a problem with the service",
}
OUTAGE = "The service did not answer in time. Nothing was changed; try again in a few minutes."


def install_error_pages(app: FastAPI) -> None:
    """Answer the errors of console pages with GOV.UK error pages, leaving the API's answers as they are."""
    for error in list(app.exception_handlers):
        if not isinstance(error, type):
            continue
        api_handler: Handler = app.exception_handlers[error]
        app.add_exception_handler(error, _for_console(api_handler))


def _for_console(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not request.url.path.startswith("/console/"):
            answer = api_handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        status, message = _status_and_message(exc)
        context = {"title": HEADINGS.get(status, "Sorry, there is a problem"), "message": message, "errors": []}
        page = render(request, "error.html", context, status_code=status)
        if status == 503:
            page.headers.update(
                log_unavailable(request, exc.reason if isinstance(exc, ServiceError) else type(exc).__name__)
            )
        return page

    return handle


def _status_and_message(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, ServiceError):
        return exc.status, exc.reason
    if isinstance(exc, HTTPException):
        if exc.status_code in (404, 405):
            return exc.status_code, "Check the address, or go back to your work tray."
        return exc.status_code, "The request could not be answered."
    if isinstance(exc, RequestValidationError):
        return 422, "The address or the form had something the console could not read. Go back and try again."
    return 503, OUTAGE
