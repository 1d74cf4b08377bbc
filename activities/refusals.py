"""Data the case store refuses is not retried: it fails the activity at once, so the process can carry on.

A retry cannot change the data an activity was given. Without this, a value PostgreSQL refuses (a class 22
"data exception", such as a NUL in text; asyncpg refuses a value it cannot encode, such as a lone
surrogate, as SQLSTATE 22000 itself) makes an activity retry for ever, and the workflow waiting on it, with
every decision after it, is stuck. The interceptor turns those errors, from any activity, into a
non-retryable `CaseStoreRefusedData` failure whose message names the kind of error and never the data; the
workflow notes it, tells the team manager and keeps running (`workflows._process.ProcessWorkflow.record`).

Every other database error but an outage (a constraint violated, say) is retried as before, as a
`CaseStoreError` that names the error's class, SQLSTATE, table, column and constraint, and nothing else:
PostgreSQL's own message may quote the row ("DETAIL: Failing row contains (..., 12 Acacia Road)"), which
`hide_parameters` cannot hide, and the worker logs a failed activity with its traceback. The failure keeps
the frames of the original traceback, so an operator still sees where it arose.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError, StatementError
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from safeguarding.outages import is_outage
from safeguarding.text import REFUSED_DATA

STORE_ERROR = "CaseStoreError"
"""The failure type of any other database error of an activity: retried, and said with identifiers only."""

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


def without_values(error: BaseException) -> ApplicationError | None:
    """Return a retryable failure saying `error` with identifiers only, for a database error that is no outage."""
    if not isinstance(error, StatementError) or is_outage(error):
        return None
    # asyncpg's own error, behind SQLAlchemy's adapter: it names the table, column and constraint.
    driver: object = (error.orig.__cause__ or error.orig) if error.orig is not None else error
    names = {name: getattr(driver, name, None) for name in ("table_name", "column_name", "constraint_name")}
    where = ".".join(filter(None, (names["table_name"], names["column_name"])))
    facts = [
        f"SQLSTATE {getattr(error.orig, 'sqlstate', None) or '-'}",
        type(driver).__name__,
        f"on {where}" if where else None,
        f"constraint {names['constraint_name']}" if names["constraint_name"] else None,
    ]
    return ApplicationError(
        f"the case store failed: {type(error).__name__} ({', '.join(filter(None, facts))})", type=STORE_ERROR
    )


class _RefusedDataInbound(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except Exception as error:
            failure = refused(error)
            if failure is not None:
                activity.logger.warning("not retried: %s", failure.message)
                # `from None`: the original exception's text is the driver's, and may quote the data.
                raise failure from None
            failure = without_values(error)
            if failure is None:
                raise
            raise failure.with_traceback(error.__traceback__) from None


class RefusedDataInterceptor(Interceptor):
    """Register on every worker (`worker.worker_interceptors`)."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _RefusedDataInbound(next)
