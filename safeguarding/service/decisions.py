"""Make a human decision on a running process, as the practitioner entitled to make it.

Who decides comes from the credential, never from the body. Before anything reaches the workflow the body
is checked against the decision's command model (`decision_bodies`), the decision against the process
(each process takes the decisions its description lists: `safeguarding.descriptions`), the practitioner's
role against the roles this process's description names for the decision, their team against the
process's (`access.require_team`), and every practitioner the body names against the case store. The
workflow's validator then decides whether this decision is possible now (stage, once only, dates); its
refusal is returned in its own words and the process is unchanged. The Update carries a proof that it came
through here, which the client signs (`safeguarding.decision_proof`) and without which the workflow refuses
it, whatever actor it names. Sending again with the same
idempotency key is safe: the key (hashed, since Temporal shows Update ids in the clear:
`safeguarding.idempotency`) makes it the same Update, so the decision is made once and its record is
returned again.
"""

from __future__ import annotations

import uuid
from typing import Any

from temporalio.client import WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.authority import already_decided
from safeguarding.codes import Role
from safeguarding.commands import Decision
from safeguarding.commands.registry import COMMANDS
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.idempotency import update_id
from safeguarding.models import DecisionRecord
from safeguarding.named_practitioners import named_practitioners
from safeguarding.refusal import refusal_reason
from safeguarding.service.access import Principal, refuse, require_team
from safeguarding.service.decision_bodies import build_command
from safeguarding.service.errors import Conflict, Invalid, NotFound, ServiceError
from safeguarding.service.processes import ProcessOfCase, find_process
from safeguarding.service.root import Services
from safeguarding.service.temporal_outages import outage_as_unavailable
from safeguarding.service.worker_wait import answered, require_worker
from safeguarding.store.decisions import first_decision
from safeguarding.store.practitioners import named_practitioner_problems

NOTHING_SENT = "Nothing was sent."
SENT = "The decision was sent and is made once a worker takes it; send it again with the same key to see it."


async def make_decision(
    services: Services,
    principal: Principal,
    workflow_id: str,
    decision: str,
    body: dict[str, Any],
    idempotency_key: str | None,
) -> DecisionRecord:
    """Make `decision` on process `workflow_id` as `principal` and return its record.

    A malformed body raises pydantic's ValidationError (`decision_bodies.body_problem` describes it).
    Without `idempotency_key` the decision is sent once, under a key of its own.
    """
    if "actor" in body:
        raise Invalid("the body may not name its actor: who decides comes from the credential", field="actor")
    if decision not in COMMANDS:
        raise NotFound(f"no decision {decision!r}")
    command = build_command(decision, body, principal.actor)
    process = await find_process(services, workflow_id, unsent=NOTHING_SENT)
    description = DESCRIPTIONS.get(process.process)
    if description is None or decision not in {d.name for d in description.decisions}:
        raise NotFound(f"{workflow_id} is a {process.process} process: it takes no {decision}")
    # A decision several processes take (a reassignment) is checked against this process's own model.
    command = build_command(decision, body, principal.actor, description.decision(decision).command)
    _authorise(principal, decision, process, description.decision(decision).roles)
    if command.effective_at is not None and command.effective_at > await services.now():
        raise Invalid(
            f"{decision} dated {command.effective_at.isoformat()}, which is in the future", field="effective_at"
        )
    await _check_named_practitioners(services, decision, command)
    return await _send(
        services, workflow_id, decision, command, update_id(decision, idempotency_key or uuid.uuid4().hex)
    )


def _authorise(principal: Principal, decision: str, process: ProcessOfCase, allowed: tuple[Role, ...]) -> None:
    """Refuse a principal whose role does not make `decision` in this process, or who is not in its team.

    `allowed` are the roles this process's own description names: a decision several processes take (the
    reassignment) may allow fewer here than anywhere (only the LADO manager reassigns the LADO's work).
    Said as the workflow's validator says it, which stays behind this as the second line.
    """
    if principal.role not in allowed:
        raise refuse(
            principal,
            decision,
            f"{decision} refused by {process.workflow_id}: {decision}: a {principal.role} may not make this "
            f"decision; it needs {' or '.join(allowed)}",
            target=process.workflow_id,
        )
    require_team(principal, decision, process.team_id, target=process.workflow_id)


async def _check_named_practitioners(services: Services, decision: str, command: Decision) -> None:
    """Refuse a body whose ids name no practitioner, an inactive one, or one without the role the field needs."""
    named = named_practitioners(command)
    if not named:
        return
    async with services.sessions() as session:
        problems = await named_practitioner_problems(named, session=session)
    if problems:
        raise Invalid(f"the {decision} body names someone who cannot take it: {'; '.join(problems)}")


async def _send(services: Services, workflow_id: str, decision: str, command: Decision, update: str) -> DecisionRecord:
    """Send the decision as Update `update` and wait, boundedly, for the worker to make it.

    Temporal not answering, here or while asking why the Update found nothing, is `Unavailable`.
    """
    client = await services.temporal()
    with outage_as_unavailable(f"sending {decision} to {workflow_id}"):
        await require_worker(client, services.task_queue, unsent=NOTHING_SENT)
        sent = client.get_workflow_handle(workflow_id).execute_update(
            decision, command, id=update, result_type=DecisionRecord
        )
        try:
            return await answered(
                sent, client, services.task_queue, services.settings.worker_wait_seconds, unanswered=SENT
            )
        except WorkflowUpdateFailedError as exc:
            raise Conflict(f"{decision} refused by {workflow_id}: {refusal_reason(exc.cause)}") from None
        except RPCError as exc:
            if exc.status is not RPCStatusCode.NOT_FOUND:
                raise
            raise await _why_not_found(services, workflow_id, decision, exc) from None


async def _why_not_found(services: Services, workflow_id: str, decision: str, exc: RPCError) -> ServiceError:
    """Return why an Update found nothing to update: no such workflow, or one that has already finished.

    A finished process whose record holds this decision says who made it and when, as the running
    process would have.
    """
    client = await services.temporal()
    try:
        status = (await client.get_workflow_handle(workflow_id).describe()).status
    except RPCError as missing:
        if missing.status is RPCStatusCode.NOT_FOUND:
            return NotFound(f"no workflow {workflow_id!r}")
        raise
    if status is None or status is WorkflowExecutionStatus.RUNNING:
        return Conflict(f"{workflow_id}: {exc.message}")
    finished = f"{workflow_id} has finished ({status.name.lower()}); it takes no more decisions"
    async with services.sessions() as session:
        made = await first_decision(workflow_id, decision, session=session)
    if made is None:
        return Conflict(finished)
    return Conflict(
        f"{decision} refused by {workflow_id}: {already_decided(made['actor_role'], made['effective_at'])}; {finished}"
    )
