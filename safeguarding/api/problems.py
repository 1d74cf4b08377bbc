"""Errors as `application/problem+json` (RFC 9457), each with a reason a person can act on, never a traceback.

400/422 for a malformed body (naming each field), 401 without a valid credential, 403 for a refusal, 404 for
an unknown id, 409 for what is not possible now (the workflow's own validator message), 503 when Temporal,
the worker or the case store did not answer ("try again", with `Retry-After`, logged in one line). The use
cases say it of Temporal themselves (`Unavailable`: `safeguarding.service.temporal_outages`); a database
error or a refused connection is answered here. A failure nobody foresaw is logged with its type only (a
database driver's message may quote a row's values) and answered 500 with no detail
(`safeguarding.api.app.ContainFailures`): so is a Temporal error that is no outage (a permission refused, an
invalid argument), which trying again would not mend.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from safeguarding.service.errors import ServiceError, Unauthenticated

log = logging.getLogger("safeguarding.api")

MEDIA_TYPE = "application/problem+json"
RETRY_AFTER_SECONDS = 30
"""The `Retry-After` of a 503: how long a caller should wait before trying again. A worker checks an unreachable
case store again within 30 seconds (`safeguarding.outages.MAX_DELAY`), and Temporal retries activities as often."""


class FieldProblem(BaseModel):
    """One field of a request that could not be used, and why."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in words a caller can act on."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": description}
    for status, description in (
        (401, "No valid credential"),
        (403, "Not allowed for the caller's role or team"),
        (404, "Unknown id"),
        (409, "Not possible now"),
        (422, "The request cannot be used as it stands"),
        (503, "A server did not answer; try again"),
    )
}
"""The problem answers every route may give, for the OpenAPI document."""


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    """Return `problem` as its JSON response."""
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=problem.status, media_type=MEDIA_TYPE, headers=headers
    )


def service_problem(exc: ServiceError, instance: str) -> Problem:
    """Return the problem a use case's domain error is."""
    errors = [FieldProblem(field=exc.field, message=exc.reason)] if exc.field else None
    return Problem(title=exc.title, status=exc.status, detail=exc.reason, instance=instance, errors=errors)


def validation_problem(errors: list[Any], instance: str) -> Problem:
    """Return the problem a malformed body is, naming each field (the body's own fields, without `body.`)."""
    fields = [
        FieldProblem(
            field=".".join(str(part) for part in error["loc"] if part != "body") or "body", message=error["msg"]
        )
        for error in errors
    ]
    detail = "; ".join(f"{problem.field}: {problem.message}" for problem in fields)
    return Problem(title="Invalid request", status=422, detail=detail, instance=instance, errors=fields)


def log_unavailable(request: Request, why: str) -> dict[str, str]:
    """Log a 503 in one line (method, path, why: ids and codes only) and return the headers that answer it.

    The API and the console both call this, so an operator sees every "try again" a person or a caller met.
    """
    log.warning("%s %s: unavailable (%s)", request.method, request.url.path, why)
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}


def install(app: FastAPI) -> None:
    """Answer every error of `app` as a problem."""

    async def on_service_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        if exc.status == 503:
            headers = log_unavailable(request, exc.reason)
        return problem_response(service_problem(exc, request.url.path), headers)

    async def on_invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError | ValidationError)
        return problem_response(validation_problem(list(exc.errors()), request.url.path))

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Request refused")
        detail = exc.detail if isinstance(exc.detail, str) else title
        return problem_response(Problem(title=title, status=exc.status_code, detail=detail, instance=request.url.path))

    async def on_outage(request: Request, exc: Exception) -> JSONResponse:
        headers = log_unavailable(request, type(exc).__name__)
        detail = "Temporal or the case store did not answer; nothing was changed that a retry would repeat. Try again."
        problem = Problem(title="Try again", status=503, detail=detail, instance=request.url.path)
        return problem_response(problem, headers)

    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(ValidationError, on_invalid_request)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(SQLAlchemyError, on_outage)
    app.add_exception_handler(OSError, on_outage)
