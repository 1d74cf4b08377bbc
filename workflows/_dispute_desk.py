"""What a process does when a professional disagreement is raised about it and resolved (statutory-rules.md §8).

The Updates (`record_dispute`, `apply_resolution`) stay defined on the process workflow, which delegates
here; the rules over the state are the pure functions of `_disputes`. The process supplies its own hooks:
which changes it can take (`resolution_problem`) and how it takes one (`take_resolution`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from temporalio import workflow

from safeguarding.codes import Process
from safeguarding.commands.disagreement import ApplyResolution, DisputeRecorded, RecordDispute, ResolutionApplied
from safeguarding.process_state import ProcessCore
from safeguarding.stages import SharedStage
from workflows._case_record import CaseRecord
from workflows._disputes import dispute_from, dispute_problem, disputed_decision, open_disputes, settle


class Disputable(Protocol):
    """The hooks a process gives the desk."""

    def resolution_problem(self, resolution: ApplyResolution) -> str | None: ...

    async def take_resolution(self, resolution: ApplyResolution) -> None: ...


class DisputeDesk:
    """Record disputes against one process, apply their resolutions, and hold its closing while any is open."""

    def __init__(
        self, process: Process, core: ProcessCore, record: CaseRecord, write: Callable[[], Awaitable[None]]
    ) -> None:
        self.process = process
        self.core = core
        self._record = record
        self._write = write

    def problem(self, request: RecordDispute, open_task_keys: set[str]) -> str | None:
        """Return why `request` cannot be recorded now, or None."""
        return dispute_problem(self.core, request, open_task_keys)

    async def record_dispute(self, request: RecordDispute) -> DisputeRecorded:
        """Mark a decision or open question as disputed; the process and its clocks carry on."""
        self.core.disputes.append(dispute_from(request))
        self._record.note(
            "dispute.raised",
            f"{request.about_key} disputed by a {request.raised_by.role} ({request.disagreement_workflow_id})"
            + ("; the child is said to be at immediate risk" if request.immediate_risk else ""),
            actor_id=request.raised_by.practitioner_id,
            at=request.raised_at,
        )
        await self._write()
        decision = disputed_decision(self.core, request.about_key)
        return DisputeRecorded(
            process=self.process,
            about_key=request.about_key,
            decision=decision.decision if decision else None,
            outcome=decision.outcome if decision else None,
            decided_by_id=decision.actor_id if decision else None,
            responsible_id=self.core.responsible_id,
        )

    async def apply_resolution(self, resolution: ApplyResolution, hooks: Disputable) -> ResolutionApplied:
        """Take the resolution of a dispute: any agreed change first, then the dispute is closed."""
        at = resolution.effective_at or workflow.now()
        if resolution.new_outcome is not None:
            was = self.core.outcome or "undecided"
            self._record.record_decision(
                "apply_resolution",
                resolution,
                f"{resolution.new_outcome} (was {was}), agreed at the {resolution.stage} stage",
            )
            await hooks.take_resolution(resolution)
        settle(self.core, resolution, at)
        self._record.note(
            "dispute.resolved",
            f"dispute {resolution.disagreement_workflow_id} resolved at the {resolution.stage} stage"
            + (f": changed to {resolution.new_outcome}" if resolution.new_outcome else ": the decision stands"),
            actor_id=resolution.actor.practitioner_id,
            at=at,
        )
        await self._write()
        return ResolutionApplied(workflow_id=workflow.info().workflow_id, changed_to=resolution.new_outcome)

    async def hold_while_disputed(self) -> None:
        """Wait in stage `disputed` until every dispute is resolved; deadlines keep counting meanwhile."""
        self._record.set_stage(SharedStage.DISPUTED)
        self._record.note("dispute.hold", "waiting to close: a professional disagreement about this process is open")
        await self._write()
        await workflow.wait_condition(lambda: not open_disputes(self.core), timeout_summary="disputes resolved")
