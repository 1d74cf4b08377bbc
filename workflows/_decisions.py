"""The checks every decision passes in its Update's validator, and the error that refuses one.

A refusal is a clear `DecisionRejected` error raised by the validator — the workflow task never fails and
the case is never stuck: a wrong role, a wrong stage, a duplicate, a date in the future or before the
decision became possible, or a missing mandatory rationale.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from safeguarding.authority import already_decided, roles_for
from safeguarding.commands import Decision
from safeguarding.process_state import ProcessCore


def rejected(message: str) -> ApplicationError:
    """Return the error a validator raises for a decision it refuses: clear, non-retryable, never a task failure."""
    return ApplicationError(message, type="DecisionRejected", non_retryable=True)


def check_decision(
    core: ProcessCore,
    name: str,
    command: Decision,
    *,
    stages: tuple[str, ...],
    rationale_required: bool = False,
    not_before: datetime | None = None,
    once: bool = True,
) -> None:
    """Refuse `command` unless its actor may make decision `name` now, in one of `stages`."""
    allowed = roles_for(name)
    if command.actor.role not in allowed:
        raise rejected(f"{name}: a {command.actor.role} may not make this decision; it needs {' or '.join(allowed)}")
    if core.stage not in stages:
        raise rejected(f"{name}: not possible at stage {core.stage!r} (possible at {', '.join(stages)})")
    earlier = [d for d in core.decisions if d.decision == name]
    if once and earlier:
        raise rejected(f"{name}: {already_decided(earlier[0].actor_role, earlier[0].effective_at)}")
    if rationale_required and not (command.rationale and command.rationale.strip()):
        raise rejected(f"{name}: a rationale is required")
    if command.effective_at is not None:
        if command.effective_at > workflow.now():
            raise rejected(f"{name}: dated {command.effective_at.isoformat()}, which is in the future")
        floor = not_before or core.started_at
        if command.effective_at < floor:
            raise rejected(f"{name}: dated before {floor.isoformat()}, when this became possible")
