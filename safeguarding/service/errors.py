"""The domain errors every use case raises; each entry point maps them to its own form.

Messages carry ids, codes and reasons a person can act on — never a name, a date of birth or an address
(they are logged and shown). The command line maps them to exit codes (`starter.exits`), the API to
`application/problem+json` responses (RFC 9457) with the status given here. A reason about one field of the
request leads with the field's name and sets `field`, so an entry point can name it its own way (the
command line as its option). A malformed body is pydantic's ValidationError, said on one line by
`describe_validation`.
"""

from __future__ import annotations

from pydantic import ValidationError


class ServiceError(Exception):
    """A use case did not do what was asked; `reason` says why in one line. Nothing was written."""

    status = 400
    title = "Bad request"

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


class Invalid(ServiceError):
    """The input cannot be acted on as it stands: a date in the future, a control character, a bad reference."""

    status = 422
    title = "Invalid input"


class Unauthenticated(ServiceError):
    """No credential, or one that is unknown, expired, revoked or tampered with. Nothing says which."""

    status = 401
    title = "Sign-in needed"


class Refused(ServiceError):
    """The acting person is not entitled to do this (their role or team); the refusal is logged."""

    status = 403
    title = "Not allowed"


class NotFound(ServiceError):
    """No such thing (case, person, process, practitioner, token) — or none the acting person may see."""

    status = 404
    title = "Not found"


class Conflict(ServiceError):
    """Not possible now: the process is at another stage, it was decided already, it is running already."""

    status = 409
    title = "Not possible now"


class Unavailable(ServiceError):
    """Temporal, the worker or the case store did not answer; try again. What was sent is said in `reason`."""

    status = 503
    title = "Try again"


def describe_validation(exc: ValidationError) -> str:
    """Return a model's validation errors on one line, each led by the field it concerns."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or exc.title}: {error['msg']}" for error in exc.errors()
    )
