"""Activities of the professional disagreement procedure (statutory-rules.md §8).

A workflow cannot send an Update to another workflow, so the disagreement asks these activities to tell
the process it concerns: that a decision is disputed (`record_dispute`), and how it was resolved
(`apply_resolution`). Each Update carries an id of its own, so a retried activity never records a
dispute or applies a resolution twice. The process's refusal is final (non-retryable) and its message
goes back to the disagreement, and from there to whoever tried to resolve it. The escalation log is
written here too, one transaction per write.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.commands.disagreement import (
    DisagreementLogEntry,
    DisputeRecorded,
    DisputeRequest,
    LogRecorded,
    ResolutionApplied,
    ResolutionRequest,
)
from safeguarding.store.disagreements import upsert_disagreement


class DisagreementActivities:
    """Built around the case store's session factory and the worker's Temporal client."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], client: Client) -> None:
        self._sessionmaker = sessionmaker
        self._client = client

    @activity.defn(name="record_dispute_on_process")
    async def record_dispute_on_process(self, request: DisputeRequest) -> DisputeRecorded:
        """Mark the disputed decision on the process it belongs to; raise `DisputeRefused` if it refuses."""
        handle = self._client.get_workflow_handle(request.workflow_id)
        update_id = f"dispute:{request.dispute.disagreement_workflow_id}"
        try:
            return await handle.execute_update(
                "record_dispute", request.dispute, id=update_id, result_type=DisputeRecorded
            )
        except WorkflowUpdateFailedError as refused:
            raise _refused(request.workflow_id, refused) from None
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            raise _not_running(request.workflow_id) from None

    @activity.defn(name="apply_resolution_to_process")
    async def apply_resolution_to_process(self, request: ResolutionRequest) -> ResolutionApplied:
        """Apply the resolution to the process it concerns; raise `DisputeRefused` if it refuses.

        A process that has finished can take no change; a resolution that changes nothing is then simply
        not applied (`applied` False), so the disagreement can still be closed.
        """
        handle = self._client.get_workflow_handle(request.workflow_id)
        try:
            return await handle.execute_update(
                "apply_resolution", request.resolution, id=request.update_id, result_type=ResolutionApplied
            )
        except WorkflowUpdateFailedError as refused:
            raise _refused(request.workflow_id, refused) from None
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            if request.resolution.new_outcome is not None:
                raise _not_running(request.workflow_id) from None
            return ResolutionApplied(workflow_id=request.workflow_id, applied=False)

    @activity.defn(name="record_disagreement")
    async def record_disagreement(self, entry: DisagreementLogEntry) -> LogRecorded:
        """Write the disagreement's line of the partnership's escalation log as it now stands."""
        async with self._sessionmaker.begin() as session:
            await upsert_disagreement(entry, datetime.now(UTC), session=session)
        return LogRecorded(workflow_id=entry.workflow_id)


def _refused(workflow_id: str, refused: WorkflowUpdateFailedError) -> ApplicationError:
    reason = getattr(refused.cause, "message", None) or str(refused.cause)
    return ApplicationError(f"{workflow_id} refused: {reason}", type="DisputeRefused", non_retryable=True)


def _not_running(workflow_id: str) -> ApplicationError:
    return ApplicationError(
        f"{workflow_id} is not running (finished, or no such process)", type="DisputeRefused", non_retryable=True
    )
