"""Data the case store refuses is not retried: it fails the activity at once, so the process can carry on.

A retry cannot change the data an activity was given. Without this, a value PostgreSQL refuses (a class 22
"data exception", such as a NUL in text; asyncpg refuses a value it cannot encode, such as a lone
surrogate, as SQLSTATE 22000 itself) makes an activity retry for ever, and the workflow waiting on it, with
every decision after it, is stuck. The interceptor turns those errors, from any activity, into a
non-retryable `CaseStoreRefusedData` failure whose message names the kind of error and never the data; the
workflow notes it, tells the team manager and keeps running (`workflows._process.ProcessWorkflow.record`).
Every other error is retried as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from safeguarding.text import REFUSED_DATA

DATA_EXCEPTION = "22"
"""PostgreSQL's SQLSTATE class of data exceptions: the value itself is wrong (asyncpg's errors arrive through
SQLAlchemy as a plain DBAPIError carrying the SQLSTATE)."""


def refused(error: BaseException) -> ApplicationError | None:
    """Return the non-retryable failure for an error that retrying cannot mend, or None for any other."""
    if not isinstance(error, DBAPIError) or error.orig is None:
        return None
    sqlstate = str(getattr(error.orig, "sqlstate", None) or "")
    if not sqlstate.startswith(DATA_EXCEPTION):
        return None
    kind = type(error.orig.__cause__ or error.orig).__name__
    return ApplicationError(
        f"the case store refused the data it was given (SQLSTATE {sqlstate}, {kind}); retrying cannot change it",
        type=REFUSED_DATA,
        non_retryable=True,
        # Benign: the SDK then logs no traceback (it holds nothing the warning line below does not say).
        category=ApplicationErrorCategory.BENIGN,
    )


class _RefusedDataInbound(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except Exception as error:
            failure = refused(error)
            if failure is None:
                raise
            activity.logger.warning("not retried: %s", failure.message)
            # `from None`: the original exception's text is the driver's, and may quote the data.
            raise failure from None


class RefusedDataInterceptor(Interceptor):
    """Register on every worker (`worker.worker_interceptors`)."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _RefusedDataInbound(next)
