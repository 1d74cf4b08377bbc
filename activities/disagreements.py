"""Activities of the professional disagreement procedure (statutory-rules.md §8).

A workflow cannot send an Update to another workflow, so the disagreement asks these activities to tell
the process it concerns: that a decision is disputed (`record_dispute`), and how it was resolved
(`apply_resolution`). Each Update carries an id of its own, so a retried activity never records a
dispute or applies a resolution twice. A process that has finished can take no Update: the dispute and
its resolution are then written on its record in the case store instead. A refusal is an expected
answer, returned (`DisputeRefused`) rather than raised, so the worker logs no stack for it; its message
goes back to the disagreement, and from there to whoever tried to raise or resolve it. The escalation log
is written here too, one transaction per write.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.activity_names import ActivityName
from safeguarding.codes import Process
from safeguarding.commands.disagreement import (
    PROCESS_CLOSING,
    DisagreementLogEntry,
    DisputeRecorded,
    DisputeRefused,
    DisputeRequest,
    FinishedResolution,
    LogRecorded,
    ResolutionApplied,
    ResolutionRequest,
)
from safeguarding.store import process_records
from safeguarding.store.disagreements import upsert_disagreement


class DisagreementActivities:
    """Built around the case store's session factory and the worker's Temporal client."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], client: Client) -> None:
        self._sessionmaker = sessionmaker
        self._client = client

    @activity.defn(name=ActivityName.RECORD_DISPUTE_ON_PROCESS)
    async def record_dispute_on_process(self, request: DisputeRequest) -> DisputeRecorded | DisputeRefused:
        """Mark the disputed decision on the process it belongs to, or on its record once it has finished."""
        if await self._closed(request.workflow_id):
            return await self._record_on_finished(request)
        handle = self._client.get_workflow_handle(request.workflow_id)
        update_id = f"dispute:{request.dispute.disagreement_workflow_id}"
        try:
            return await handle.execute_update(
                "record_dispute", request.dispute, id=update_id, result_type=DisputeRecorded
            )
        except WorkflowUpdateFailedError as refused:
            # It may have closed while this was asked: its record is then where the dispute goes.
            if await self._closed(request.workflow_id):
                return await self._record_on_finished(request)
            if PROCESS_CLOSING in str(getattr(refused.cause, "message", "")):
                raise ApplicationError(
                    f"{request.workflow_id} is closing; asked again once its record is closed",
                    type="ProcessClosing",
                    category=ApplicationErrorCategory.BENIGN,
                ) from None
            return _refused(request.workflow_id, refused)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            if await self._closed(request.workflow_id):
                return await self._record_on_finished(request)
            return _not_running(request.workflow_id)

    @activity.defn(name=ActivityName.APPLY_RESOLUTION_TO_PROCESS)
    async def apply_resolution_to_process(self, request: ResolutionRequest) -> ResolutionApplied | DisputeRefused:
        """Apply the resolution to the process it concerns; return its refusal if it refuses.

        A process that has finished can take no change; a resolution that changes nothing is then simply
        not applied (`applied` False), so the disagreement can still be closed.
        """
        handle = self._client.get_workflow_handle(request.workflow_id)
        try:
            return await handle.execute_update(
                "apply_resolution", request.resolution, id=request.update_id, result_type=ResolutionApplied
            )
        except WorkflowUpdateFailedError as refused:
            return _refused(request.workflow_id, refused)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            if request.resolution.new_outcome is not None:
                return _not_running(request.workflow_id)
            return ResolutionApplied(workflow_id=request.workflow_id, applied=False)

    @activity.defn(name=ActivityName.RECORD_RESOLUTION_ON_FINISHED)
    async def record_resolution_on_finished(self, request: FinishedResolution) -> ResolutionApplied:
        """Write on the finished process's record how the dispute was resolved, and any change, once.

        The change itself (a plan recorded, a process started) was carried out by the disagreement
        before; here the record's outcome takes it, with the decision and the chronology entries.
        """
        resolution = request.resolution
        entry_key = f"dispute:{resolution.disagreement_workflow_id}:resolved"
        now = datetime.now(UTC)
        at = resolution.effective_at or now
        async with self._sessionmaker.begin() as session:
            row = await process_records.get_process_record(request.workflow_id, session=session)
            if row is None:
                raise ApplicationError(f"no record of {request.workflow_id}", type="UnknownProcess", non_retryable=True)
            if await process_records.has_entry(request.workflow_id, entry_key, session=session):
                return ResolutionApplied(workflow_id=request.workflow_id, changed_to=resolution.new_outcome)
            change = resolution.new_outcome
            if change is not None:
                was = row["outcome"] or "undecided"
                await process_records.add_decision(
                    row,
                    "apply_resolution",
                    actor_id=resolution.actor.practitioner_id,
                    actor_role=str(resolution.actor.role),
                    effective_at=at,
                    outcome=f"{change} (was {was}), agreed at the {resolution.stage} stage after it had finished",
                    rationale=resolution.rationale,
                    now=now,
                    session=session,
                )
                await process_records.set_outcome(request.workflow_id, change, now, session=session)
            done = f": changed to {change}, {request.carried_out}" if change else ": the decision stands"
            await process_records.add_entry(
                row,
                entry_key,
                "dispute.resolved",
                f"dispute {resolution.disagreement_workflow_id} resolved at the {resolution.stage} stage{done}",
                occurred_at=at,
                actor_id=resolution.actor.practitioner_id,
                now=now,
                session=session,
            )
        return ResolutionApplied(workflow_id=request.workflow_id, changed_to=change)

    @activity.defn(name=ActivityName.RECORD_DISAGREEMENT)
    async def record_disagreement(self, entry: DisagreementLogEntry) -> LogRecorded:
        """Write the disagreement's line of the partnership's escalation log as it now stands."""
        async with self._sessionmaker.begin() as session:
            await upsert_disagreement(entry, datetime.now(UTC), session=session)
        return LogRecorded(workflow_id=entry.workflow_id)

    async def _closed(self, workflow_id: str) -> bool:
        async with self._sessionmaker() as session:
            row = await process_records.get_process_record(workflow_id, session=session)
        return row is not None and row["closed_at"] is not None

    async def _record_on_finished(self, request: DisputeRequest) -> DisputeRecorded | DisputeRefused:
        """Write the dispute on the finished process's record; refuse a key that is not one of its decisions."""
        dispute = request.dispute
        async with self._sessionmaker.begin() as session:
            row = await process_records.get_process_record(request.workflow_id, session=session)
            assert row is not None and row["closed_at"] is not None, "asked only of a closed record"
            if row["process"] == Process.DISAGREEMENT:
                return _refusal(request.workflow_id, "a disagreement is not disputed; raise a new one instead")
            made = await process_records.list_decisions(request.workflow_id, session=session)
            decision = next((d for d in made if d["decision_key"] == dispute.about_key), None)
            if decision is None:
                known = ", ".join(d["decision_key"] for d in made) or "nothing"
                return _refusal(
                    request.workflow_id,
                    f"{dispute.about_key!r} is not a decision of this process, which has finished (it has: {known})",
                )
            await process_records.add_entry(
                row,
                f"dispute:{dispute.disagreement_workflow_id}:raised",
                "dispute.raised",
                f"{dispute.about_key} disputed by a {dispute.raised_by.role} ({dispute.disagreement_workflow_id}) "
                "after the process had finished"
                + ("; the child is said to be at immediate risk" if dispute.immediate_risk else ""),
                occurred_at=dispute.raised_at,
                actor_id=dispute.raised_by.practitioner_id,
                now=datetime.now(UTC),
                session=session,
            )
        return DisputeRecorded(
            process=Process(row["process"]),
            about_key=dispute.about_key,
            decision=decision["decision"],
            outcome=decision["outcome"],
            decided_by_id=decision["actor_id"],
            responsible_id=row["responsible_id"],
            closed_at=row["closed_at"],
        )


def _refusal(workflow_id: str, reason: str) -> DisputeRefused:
    """Return the refusal, logged as one line of ids: an expected answer, never a stack trace."""
    activity.logger.info("%s refused the dispute", workflow_id)
    return DisputeRefused(workflow_id=workflow_id, reason=f"{workflow_id} refused: {reason}")


def _refused(workflow_id: str, refused: WorkflowUpdateFailedError) -> DisputeRefused:
    return _refusal(workflow_id, getattr(refused.cause, "message", None) or str(refused.cause))


def _not_running(workflow_id: str) -> DisputeRefused:
    activity.logger.info("%s is not running", workflow_id)
    return DisputeRefused(
        workflow_id=workflow_id, reason=f"{workflow_id} is not running (stopped without closing, or no such process)"
    )
