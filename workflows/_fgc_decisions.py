"""What every step of the family group conference shares: how a decision is made (statutory-rules.md §7).

The base of `workflows.fgc.FamilyGroupConferenceWorkflow` and of its steps (`_fgc_referral`,
`_fgc_preparation`, `_fgc_meeting`): the stages, who may record a decision and when, how a decision waits
for the case store (one at a time, so two never interleave), how notices are queued for the run loop to
send, and how the process closes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from safeguarding.activity_names import ActivityName
    from safeguarding.codes import FgcOutcome, FgcParticipantKind, Role
    from safeguarding.commands import Decision
    from safeguarding.commands.fgc import ArrangeFgcConference, FgcInput, FgcParticipant, ReferToFgc
    from safeguarding.commands.reassign import Reassign
    from safeguarding.fgc_records import FgcStored
    from safeguarding.models import Recipient
    from workflows._process import ACTIVITY_TIMEOUT, STORE_RETRY, ProcessWorkflow, rejected

QueuedNotice = tuple[str, str, Recipient, dict[str, str]]


class FgcDecisions(ProcessWorkflow):
    """The machinery of the family group conference's decisions (not a workflow itself)."""

    input: FgcInput
    referral: ReferToFgc | None
    referrer_id: str | None
    coordinator_id: str | None
    participants: tuple[FgcParticipant, ...]
    invitations: int
    arrangement: ArrangeFgcConference | None
    outbox: list[QueuedNotice]
    deciding: str | None

    def _check(self, name: str, command: Decision, *, rationale_required: bool | None = None) -> None:
        if self.deciding is not None:
            raise rejected(f"{name}: {self.deciding} is being recorded; try again in a moment")
        self.check_decision(name, command, rationale_required=rationale_required, not_before=self.input.proposed_at)
        if command.actor.role is Role.FGC_COORDINATOR and command.actor.practitioner_id != self.coordinator_id:
            raise rejected(f"{name}: only the coordinator allocated to this conference may record it")

    def reassignment_problem(self, command: Reassign) -> str | None:
        """Refuse a coordinator who is not independent of this referral, as at allocation; one decision at a time."""
        if self.deciding is not None:
            return f"{self.deciding} is being recorded; try again in a moment"
        if command.practitioner_id in {d.actor_id for d in self.core.decisions}:
            return f"{command.practitioner_id} has decided on this referral; the coordinator must be independent"
        return None

    def take_reassignment(self, practitioner_id: str) -> None:
        """The coordinator's tasks and clocks go to the coordinator now named."""
        self.coordinator_id = practitioner_id
        self.core.facts["coordinator_id"] = practitioner_id

    @contextlib.contextmanager
    def _one_at_a_time(self, name: str) -> Iterator[None]:
        """Hold other decisions off while this one awaits the case store, so two can never interleave."""
        self.deciding = name
        try:
            yield
        finally:
            self.deciding = None

    async def _store(self, name: str, activity: ActivityName, arg: Any, result_type: type = FgcStored) -> Any:
        """Run a case-store activity for decision `name`; a refusal by the store refuses the decision."""
        try:
            return await workflow.execute_activity(
                activity,
                arg,
                result_type=result_type,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            raise rejected(f"{name}: {getattr(err.cause, 'message', err.message)}") from err

    def _queue(self, key: str, template: str, recipient: Recipient, **fields: str) -> None:
        self.outbox.append((key, template, recipient, fields))

    def _queue_to_participants(self, template: str, only_meeting: int | None = None, **fields: str) -> None:
        """Queue `template` to each participant (of one meeting); the child hears through their advocate."""
        for p in self.participants:
            if p.kind is not FgcParticipantKind.CHILD and only_meeting in (None, p.meeting):
                kind, who = ("person", p.person_id) if p.person_id else ("practitioner", p.practitioner_id)
                assert who is not None
                self._queue(f"{template}:{self.invitations}:{p.key}", template, Recipient(kind=kind, id=who), **fields)

    async def _close(self, outcome: FgcOutcome) -> None:
        if self.arrangement is not None and outcome is FgcOutcome.CONSENT_WITHDRAWN:
            self._queue_to_participants("fgc_cancelled")
        await self.close(str(outcome))

    def _decided(self, name: str) -> bool:
        return any(d.decision == name for d in self.core.decisions)
