"""An activity that fails because a service is down is retried quietly: one warning line, no traceback.

A connection refused by PostgreSQL, an SMTP server or the Temporal frontend, or the case store not yet migrated
(`safeguarding.outages`), is an outage, not a fault in the code: the activity fails as a retryable,
benign `ApplicationError` (which the SDK logs at debug level, without a traceback), Temporal retries it
on its policy, and the worker logs one line naming the activity and the kind of failure. Any other error
(one about the data, say) is left as it is (`safeguarding.outages.is_outage`).
"""

from __future__ import annotations

import logging
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from safeguarding.outages import is_outage, why

log = logging.getLogger("safeguarding.worker")


class OutageInterceptor(Interceptor):
    """Turns an outage inside any activity into a quiet, retryable failure."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _QuietOutages(next)


class _QuietOutages(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except Exception as exc:
            if not is_outage(exc):
                raise
            info = activity.info()
            log.warning(
                "activity %s (%s) failed: a service is unavailable (%s); Temporal retries it, attempt %d",
                info.activity_type,
                info.workflow_id,
                why(exc),
                info.attempt,
            )
            raise ApplicationError(
                f"a service is unavailable ({why(exc)})",
                type="ServiceUnavailable",
                category=ApplicationErrorCategory.BENIGN,
            ) from None
