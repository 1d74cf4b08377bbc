"""A process's record: its chronology, its decisions, its stage, and the one write that takes them to the store.

Every change reaches the case store through one idempotent activity (`record_process`), written under a
lock so an older snapshot never lands after a newer one. Each write carries only what changed since the
last one that succeeded in this run: the tasks when they changed, the deadlines and hand-offs that
changed, the decisions and chronology entries not yet written. What was written is known from this run's
own state, so a replay computes the same writes, and a run continued as new starts with a full one.
The search attributes (process, stage, team, reference, next due date) are the record's index on the
Temporal side and move with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from safeguarding import search_attributes as sa
from safeguarding.activity_names import ActivityName
from safeguarding.codes import DeadlineState, Process
from safeguarding.commands import Decision
from safeguarding.models import (
    ChronologyEntry,
    DeadlineView,
    DecisionRecord,
    HandOff,
    ProcessContext,
    ProcessSnapshot,
    Recipient,
    Recorded,
    TaskView,
)
from safeguarding.process_state import ProcessCore
from safeguarding.text import REFUSED_DATA, scrubbed
from workflows._activity_options import ACTIVITY_TIMEOUT, STORE_RETRY

Send = Callable[..., Awaitable[bool]]


def _refused_data(err: ActivityError) -> bool:
    """Return whether an activity failed on data it was given (retrying cannot help), not on an outage."""
    return isinstance(err.cause, ApplicationError) and err.cause.type == REFUSED_DATA


class CaseRecord:
    """The chronology and decisions of one process, and their write to the case store."""

    def __init__(
        self,
        process: Process,
        context: ProcessContext,
        core: ProcessCore,
        open_tasks: Callable[[], list[TaskView]],
        send: Send,
    ) -> None:
        self.process = process
        self.context = context
        self.core = core
        self._open_tasks = open_tasks
        self._send = send
        self._lock = asyncio.Lock()
        # What the case store holds from this run's writes: a write sends only what differs from it.
        self._written_tasks: tuple[TaskView, ...] | None = None
        self._written_deadlines: dict[str, DeadlineView] = {}
        self._written_hand_offs: dict[Process, HandOff] = {}

    @property
    def writing(self) -> bool:
        """Whether a write to the case store is under way."""
        return self._lock.locked()

    def note(self, event: str, summary: str, *, actor_id: str | None = None, at: datetime | None = None) -> None:
        """Queue a chronology entry; it reaches the case store with the next `record`."""
        self.core.chronology_seq += 1
        self.core.unrecorded_chronology.append(
            ChronologyEntry(
                key=f"{self.core.chronology_seq:05d}",
                event=event,
                occurred_at=at or workflow.now(),
                summary=summary,
                actor_id=actor_id,
            )
        )

    def record_decision(self, name: str, command: Decision, outcome: str) -> DecisionRecord:
        """Record a decision that passed its validator, with its chronology entry."""
        now = workflow.now()
        record = DecisionRecord(
            key=f"{name}:{sum(d.decision == name for d in self.core.decisions) + 1}",
            decision=name,
            actor_id=command.actor.practitioner_id,
            actor_role=command.actor.role,
            effective_at=command.effective_at or now,
            recorded_at=now,
            outcome=outcome,
            rationale=command.rationale,
        )
        self.core.decisions.append(record)
        self.core.unrecorded_decisions.append(record)
        self.note(
            f"decision.{name}", f"{name.replace('_', ' ')}: {outcome}", actor_id=record.actor_id, at=record.effective_at
        )
        return record

    def set_stage(self, stage: str) -> None:
        """Move to `stage`, noting it and updating the search attributes."""
        if stage == self.core.stage:
            return
        self.note("stage", f"stage {self.core.stage} -> {stage}")
        self.core.stage = stage
        self.upsert_search_attributes()

    def upsert_search_attributes(self) -> None:
        """Show the process, its stage and its next due date to visibility queries (the managers' lists)."""
        pending = [d.due.passes_at for d in self.core.deadlines.values() if d.state is DeadlineState.PENDING]
        workflow.upsert_search_attributes(
            [
                sa.CASE_PROCESS.value_set(str(self.process)),
                sa.CASE_STAGE.value_set(self.core.stage),
                sa.CASE_TEAM.value_set(self.context.team_id),
                sa.CASE_REFERENCE.value_set(self.context.case_reference),
                sa.NEXT_DUE.value_set(min(pending)) if pending else sa.NEXT_DUE.value_unset(),
            ]
        )

    async def record(self) -> None:
        """Write the current state to the case store (idempotent; one writer at a time).

        Data the store refuses can never wedge the case (`activities.refusals` fails such a write at once):
        the pending entries are cleaned of what the store cannot hold, the refusal is noted in the
        chronology, the team manager is told once, and the write is tried again. If the store still refuses,
        the entries stay pending for the next write and the process carries on regardless.
        """
        async with self._lock:
            try:
                await self._write()
            except ActivityError as err:
                if not _refused_data(err):
                    raise
                await self._after_refusal(getattr(err.cause, "message", err.message))

    async def _write(self) -> None:
        chronology = list(self.core.unrecorded_chronology)
        decisions = list(self.core.unrecorded_decisions)
        tasks = tuple(self._open_tasks())
        views = [deadline.view() for deadline in self.core.deadlines.values()]
        deadlines = [view for view in views if self._written_deadlines.get(view.key) != view]
        # The store keeps one hand-off per process handed to, the last one listed.
        hand_offs = {hand_off.to_process: hand_off for hand_off in self.core.hand_offs}
        changed_hand_offs = [h for to, h in hand_offs.items() if self._written_hand_offs.get(to) != h]
        snapshot = ProcessSnapshot(
            workflow_id=workflow.info().workflow_id,
            process=self.process,
            case_id=self.context.case_id,
            team_id=self.context.team_id,
            stage=self.core.stage,
            profile_ref=self.context.profile.ref,
            started_at=self.core.started_at,
            closed_at=self.core.closed_at,
            outcome=self.core.outcome,
            responsible_id=self.core.responsible_id,
            tasks=None if tasks == self._written_tasks else tasks,
            deadlines=tuple(deadlines),
            decisions=tuple(decisions),
            chronology=tuple(chronology),
            hand_offs=tuple(changed_hand_offs),
        )
        await workflow.execute_activity(
            ActivityName.RECORD_PROCESS,
            snapshot,
            result_type=Recorded,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        del self.core.unrecorded_chronology[: len(chronology)]
        del self.core.unrecorded_decisions[: len(decisions)]
        self._written_tasks = tasks
        self._written_deadlines.update((view.key, view) for view in deadlines)
        self._written_hand_offs.update((h.to_process, h) for h in changed_hand_offs)
        self.core.store_refused = False

    async def _after_refusal(self, reason: str) -> None:
        self.core.unrecorded_chronology[:] = [scrubbed(entry) for entry in self.core.unrecorded_chronology]
        self.core.unrecorded_decisions[:] = [scrubbed(record) for record in self.core.unrecorded_decisions]
        if not self.core.store_refused:
            self.core.store_refused = True
            self.note("record.refused", f"the case store refused part of this record: {reason}")
            await self._send(
                f"record-refused:{self.core.chronology_seq}",
                "record_refused",
                Recipient(kind="team_manager", id=self.context.team_id),
                reason=reason,
                process=str(self.process),
            )
        try:
            await self._write()
        except ActivityError as err:
            if not _refused_data(err):
                raise
