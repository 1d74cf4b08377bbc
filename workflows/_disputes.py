"""Disputes about a process's decisions, as pure functions over its state (statutory-rules.md §8).

A professional disagreement never stops the process it concerns: that process keeps running and its
clocks keep counting. The disputed decision (or open question) is marked in its `status`; before the
process closes it holds in stage `disputed` until every dispute about it is resolved, so that a change
agreed in the disagreement can still be applied to it. The Updates that do this live on
`workflows._process.ProcessWorkflow`, which hands them to `workflows._dispute_desk`; the rules are here.
"""

from __future__ import annotations

from datetime import datetime

from safeguarding.codes import DisputeState
from safeguarding.commands.disagreement import PROCESS_CLOSING, ApplyResolution, RecordDispute
from safeguarding.models import DecisionRecord, Dispute
from safeguarding.process_state import ProcessCore


def open_disputes(core: ProcessCore) -> list[Dispute]:
    """Return the disputes not yet resolved."""
    return [dispute for dispute in core.disputes if dispute.state is DisputeState.OPEN]


def find_open(core: ProcessCore, disagreement_workflow_id: str) -> Dispute | None:
    """Return the open dispute raised by disagreement `disagreement_workflow_id`, if any."""
    return next((d for d in open_disputes(core) if d.disagreement_workflow_id == disagreement_workflow_id), None)


def disputed_decision(core: ProcessCore, key: str) -> DecisionRecord | None:
    """Return the decision whose key is `key`, if `key` names a decision rather than an open question."""
    return next((decision for decision in core.decisions if decision.key == key), None)


def dispute_problem(core: ProcessCore, request: RecordDispute, open_task_keys: set[str]) -> str | None:
    """Return why `request` cannot be recorded as a dispute now, or None when it can."""
    if core.closed_at is not None:
        return PROCESS_CLOSING
    if find_open(core, request.disagreement_workflow_id) is not None:
        return f"already recorded for {request.disagreement_workflow_id}"
    if disputed_decision(core, request.about_key) is None and request.about_key not in open_task_keys:
        known = sorted({decision.key for decision in core.decisions} | open_task_keys)
        return (
            f"{request.about_key!r} is neither a decision nor an open question of this process "
            f"(it has: {', '.join(known) or 'nothing yet'})"
        )
    return None


def dispute_from(request: RecordDispute) -> Dispute:
    """Return the open dispute `request` records."""
    return Dispute(
        disagreement_workflow_id=request.disagreement_workflow_id,
        about_key=request.about_key,
        raised_by_id=request.raised_by.practitioner_id,
        raised_by_role=request.raised_by.role,
        raised_at=request.raised_at,
        immediate_risk=request.immediate_risk,
    )


def settle(core: ProcessCore, resolution: ApplyResolution, at: datetime) -> Dispute:
    """Mark the dispute `resolution` answers as resolved at `at`, and return it as it now stands."""
    dispute = find_open(core, resolution.disagreement_workflow_id)
    assert dispute is not None, "the validator refuses a resolution without an open dispute"
    settled = dispute.model_copy(
        update={
            "state": DisputeState.RESOLVED,
            "resolved_at": at,
            "resolved_at_stage": str(resolution.stage),
            "changed_to": resolution.new_outcome,
        }
    )
    core.disputes[core.disputes.index(dispute)] = settled
    return settled
