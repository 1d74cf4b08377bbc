"""The checks every decision passes in its Update's validator, and the error that refuses one.

A refusal is a clear `DecisionRejected` error raised by the validator — the workflow task never fails and
the case is never stuck: a wrong role, a wrong stage, a duplicate, a date in the future or before the
decision became possible, or a missing mandatory rationale. Who, where, once and whether a rationale is
needed are the decision's description (`safeguarding.descriptions`); what depends on the moment (the date
it became possible, whether this command needs a rationale) the process passes in.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from safeguarding.authority import already_decided
from safeguarding.commands import Decision
from safeguarding.descriptions.description import DecisionDescription
from safeguarding.process_state import ProcessCore


def rejected(message: str) -> ApplicationError:
    """Return the error a validator raises for a decision it refuses: clear, non-retryable, never a task failure."""
    return ApplicationError(message, type="DecisionRejected", non_retryable=True)


def check_decision(
    core: ProcessCore,
    decision: DecisionDescription,
    command: Decision,
    *,
    rationale_required: bool | None = None,
    not_before: datetime | None = None,
) -> None:
    """Refuse `command` unless its actor may make `decision` now, at one of its stages.

    `rationale_required` says whether this command needs a rationale, for a decision described as needing one
    only in some cases (`rationale_when`).
    """
    name = decision.name
    assert rationale_required is None or decision.rationale_when, f"{name}: its description says when a rationale"
    if command.actor.role not in decision.roles:
        raise rejected(
            f"{name}: a {command.actor.role} may not make this decision; it needs {' or '.join(decision.roles)}"
        )
    if core.stage not in decision.stages:
        raise rejected(f"{name}: not possible at stage {core.stage!r} (possible at {', '.join(decision.stages)})")
    earlier = [d for d in core.decisions if d.decision == name]
    if decision.once and earlier:
        raise rejected(f"{name}: {already_decided(earlier[0].actor_role, earlier[0].effective_at)}")
    needed = decision.rationale_required if rationale_required is None else rationale_required
    if needed and not (command.rationale and command.rationale.strip()):
        raise rejected(f"{name}: a rationale is required")
    if command.effective_at is not None:
        if command.effective_at > workflow.now():
            raise rejected(f"{name}: dated {command.effective_at.isoformat()}, which is in the future")
        floor = not_before or core.started_at
        if command.effective_at < floor:
            raise rejected(f"{name}: dated before {floor.isoformat()}, when this became possible")
