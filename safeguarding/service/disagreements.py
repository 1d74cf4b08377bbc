"""Raise a professional disagreement about a process's decision or open question (statutory-rules.md §8).

What is disputed is a decision of a process (its key in that process's `status`, e.g. `submit_assessment:1`)
or an open question of a running one (an open task's key, e.g. `authorise`). A process that has finished is
disputed through its record in the case store (its decisions' keys are those of its record): a step-down to
a Family Support Plan can be disputed after the assessment has closed. Only the roles of
`authority.DISAGREEMENT_RAISERS` may raise one, and a team-bound practitioner only on their own team's case.
The disagreement runs on the case of the process it concerns as `disagreement-<case ref>-<raised at>`; that
process keeps running and its clocks keep counting. It starts at the profile's first stage, or, for a child
said to be at immediate risk, at the profile's higher stage. Everything is checked before anything starts,
so a refused disagreement writes nothing. A process that stopped without closing (terminated) has no
complete record and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.authority import DISAGREEMENT_RAISERS
from safeguarding.codes import Process
from safeguarding.commands.disagreement import RAISED, DisagreementInput, RaiseDisagreement, disagreement_id
from safeguarding.models import AwareDatetime, Frozen
from safeguarding.service.access import Principal, refuse, require_team
from safeguarding.service.errors import Conflict, Invalid, NotFound
from safeguarding.service.processes import query_status
from safeguarding.service.root import Services
from safeguarding.service.starting import (
    ProcessStarted,
    case_context,
    check_moment,
    first_deadline,
    open_case,
    start_process,
)
from safeguarding.service.temporal_outages import read_or_unavailable
from safeguarding.store.practitioners import get_practitioner
from safeguarding.store.process_records import get_process_record, list_decisions


class DisagreementRequest(Frozen):
    """A disagreement with a decision or open question of a process, and what the raiser proposes instead."""

    about_workflow_id: str = Field(min_length=1, max_length=200, description="The process, e.g. assessment-EX-0007.")
    about_key: str = Field(
        min_length=1, max_length=200, description="A decision's key in its status (authorise:1), or an open task's."
    )
    raised_at: AwareDatetime = Field(description="When it was raised: starts the first stage's time limit.")
    disagrees_with: str = Field(min_length=1, max_length=4000, description="What is disagreed with, and why.")
    proposes: str = Field(min_length=1, max_length=4000, description="What is proposed instead.")
    immediate_risk: bool = Field(
        default=False, description="The child is at immediate risk: start at the profile's higher stage."
    )
    counterpart_id: str | None = Field(
        default=None, max_length=64, description="The practitioner disagreed with, if not the one who decided."
    )


class DisagreementRaised(ProcessStarted):
    """The disagreement started at its first stage, with that stage's time limit."""

    about_workflow_id: str
    about_key: str
    stage: str


@dataclass(frozen=True)
class _About:
    """The process a disagreement is about: what it is, its case, and the keys that can be disputed."""

    workflow_id: str
    process: Process
    case_reference: str
    keys: frozenset[str]


async def raise_disagreement(
    services: Services, principal: Principal, request: DisagreementRequest
) -> DisagreementRaised:
    """Check the raiser, the process and the key, then start `disagreement-<case ref>-<raised at>`."""
    if principal.role not in DISAGREEMENT_RAISERS:
        raise refuse(
            principal,
            "raise_disagreement",
            f"{principal.practitioner_id} is a {principal.role}: a {principal.role} may not raise a disagreement",
            target=request.about_workflow_id,
        )
    await check_moment(services, "raised_at", request.raised_at)
    about = await _about(services, request.about_workflow_id)
    async with services.sessions() as session:
        case = await open_case(about.case_reference, session=session)
        require_team(principal, "raise_disagreement", case["team_id"], target=about.workflow_id)
        context = await case_context(services, case, session=session)
        if request.counterpart_id is not None:
            counterpart = await get_practitioner(request.counterpart_id, session=session)
            if counterpart is None:
                raise Invalid(f"no practitioner {request.counterpart_id!r}", field="counterpart_id")
            if not counterpart["active"]:
                raise Invalid(f"practitioner {request.counterpart_id} is inactive", field="counterpart_id")
    procedure = context.profile.disagreement
    if procedure is None:
        raise Conflict(f"profile {context.profile.ref} has no [disagreement] procedure")
    _check_key(about, request.about_key)
    stage = procedure.immediate_risk_starts_at if request.immediate_risk else procedure.stages[0].id
    deadline = first_deadline(context, procedure.stage(stage).rule_id, request.raised_at, RAISED)
    raised = RaiseDisagreement(
        actor=principal.actor,
        effective_at=request.raised_at,
        about_workflow_id=about.workflow_id,
        about_key=request.about_key,
        disagrees_with=request.disagrees_with,
        proposes=request.proposes,
        immediate_risk=request.immediate_risk,
        counterpart_id=request.counterpart_id,
    )
    workflow_id = disagreement_id(context.case_reference, request.raised_at)
    started = DisagreementInput(context=context, raised=raised)
    await start_process(services, "Disagreement", started, workflow_id, Process.DISAGREEMENT)
    return DisagreementRaised(
        workflow_id=workflow_id,
        about_workflow_id=about.workflow_id,
        about_key=request.about_key,
        case_reference=context.case_reference,
        stage=stage,
        deadline=deadline,
    )


async def _about(services: Services, workflow_id: str) -> _About:
    """Return the process, from its closed record once it has finished, else from its `status` while it runs.

    The record is asked first: a finished process may no longer be known to Temporal at all.
    """
    async with services.sessions() as session:
        record = await get_process_record(workflow_id, session=session)
        made = await list_decisions(workflow_id, session=session)
    if record is not None and record["closed_at"] is not None:
        keys = frozenset(decision["decision_key"] for decision in made)
        return _About(workflow_id, Process(record["process"]), record["case_reference"], keys)
    await _refuse_unless_running(services, workflow_id)
    status = await query_status(services, workflow_id)
    keys = frozenset({decision.key for decision in status.decisions} | {task.key for task in status.open_tasks})
    return _About(workflow_id, status.process, status.case_reference, keys)


async def _refuse_unless_running(services: Services, workflow_id: str) -> None:
    """Refuse an unknown process, or one that stopped without closing (asked first: it may not answer)."""
    client = await services.temporal()
    try:
        description = await read_or_unavailable(
            f"describing {workflow_id}", client.get_workflow_handle(workflow_id).describe
        )
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise NotFound(f"no workflow {workflow_id!r}") from None
        raise
    if description.status is not WorkflowExecutionStatus.RUNNING:
        how = description.status.name.lower() if description.status else "stopped"
        raise Conflict(f"{workflow_id} stopped without closing ({how}): it has no record to dispute")


def _check_key(about: _About, key: str) -> None:
    """Refuse what the process would refuse to mark disputed: a disagreement itself, or a key it does not have."""
    if about.process is Process.DISAGREEMENT:
        raise Conflict(f"{about.workflow_id} is a disagreement: escalate it instead of disputing it")
    if key not in about.keys:
        raise Invalid(
            f"{key!r} is neither a decision nor an open question of {about.workflow_id} "
            f"(it has: {', '.join(sorted(about.keys)) or 'nothing yet'})",
            field="about_key",
        )
