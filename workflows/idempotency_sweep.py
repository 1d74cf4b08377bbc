"""The sweep of idempotency records past their retention period, run by a Temporal Schedule each weekday night."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.housekeeping import IdempotencySweepRequest, IdempotencySweepResult


@workflow.defn(name="IdempotencySweep")
class IdempotencySweepWorkflow:
    """Delete the first answers to `Idempotency-Key`s and console form keys once no client will retry them.

    Every successful request with a key leaves a record, so without this the table grows for ever. The
    Schedule passes the retention period from the settings (`SAFEGUARDING_IDEMPOTENCY_RETENTION_DAYS`); the
    activity deletes in bounded batches, each committed on its own, and may be retried or run twice at no cost.
    """

    @workflow.run
    async def run(self, request: IdempotencySweepRequest) -> IdempotencySweepResult:
        """Sweep the records claimed more than `request.retention_days` ago."""
        return await workflow.execute_activity(
            ActivityName.SWEEP_IDEMPOTENCY_RECORDS,
            request,
            result_type=IdempotencySweepResult,
            start_to_close_timeout=timedelta(hours=1),
            heartbeat_timeout=timedelta(minutes=1),
        )
