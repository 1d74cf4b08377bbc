"""A manager hands a case to another social worker: the case's responsible worker, and its running processes.

The case store's `cases.allocated_practitioner_id` names the social worker responsible for the child's case
(audited in the change log with the reason). Each running process of the case that a social worker leads
(its description's reassignment names a social worker) and that the previous worker was responsible for is
reassigned too, by its own `reassign` decision, so its reminders then go to the new worker. A process that
refuses (a stage where it cannot be reassigned) is reported with its own reason; the case's change stands.
The Update ids are derived from the idempotency key, so a retried request reassigns each process once.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field
from sqlalchemy import select, update

from safeguarding.codes import Process, Role
from safeguarding.commands.reassign import ReassignToSocialWorker
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.models import Frozen, Id
from safeguarding.named_practitioners import SocialWorkerId
from safeguarding.schema import cases, process_records
from safeguarding.service.access import MANAGES, Principal, require_role, require_team
from safeguarding.service.case_gate import readable_case
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import Invalid, ServiceError
from safeguarding.service.root import Services
from safeguarding.store.change_log import as_text, record_changes
from safeguarding.store.practitioners import get_practitioner


class CaseReassignment(Frozen):
    """Who is now the case's responsible social worker, and why."""

    practitioner_id: SocialWorkerId = Field(description="An active social worker of the case's team.")
    reason: str = Field(min_length=1, max_length=4000, description="Why the case moves (required).")


class ProcessReassigned(BaseModel):
    """What became of one running process of the case."""

    workflow_id: Id
    process: Process
    reassigned: bool
    reason: str | None = Field(default=None, description="Why it was not reassigned, in the process's own words.")


class CaseReassigned(BaseModel):
    """The case's new responsible worker, and each running process that followed or did not."""

    case_id: Id
    practitioner_id: Id
    previous_practitioner_id: Id | None
    processes: list[ProcessReassigned]


def _led_by_social_workers(process: Process) -> bool:
    description = DESCRIPTIONS.get(process)
    if description is None:
        return False
    names = {d.name: d for d in description.decisions}
    return "reassign" in names and issubclass(names["reassign"].command, ReassignToSocialWorker)


async def reassign_case(
    services: Services,
    principal: Principal,
    case_id: str,
    change: CaseReassignment,
    idempotency_key: str | None = None,
) -> CaseReassigned:
    """Make `change.practitioner_id` the case's responsible social worker, and reassign what they now lead."""
    async with services.sessions.begin() as session:
        case = await readable_case(principal, case_id, session=session)
        require_role(principal, "reassign_case", MANAGES, target=case_id)
        require_team(principal, "reassign_case", case["team_id"], target=case_id)
        worker = await get_practitioner(change.practitioner_id, session=session)
        if worker is None or not worker["active"] or worker["role"] != Role.SOCIAL_WORKER:
            raise Invalid(
                f"practitioner_id: {change.practitioner_id} is no active social worker", field="practitioner_id"
            )
        if worker["team_id"] != case["team_id"]:
            raise Invalid(
                f"practitioner_id: {change.practitioner_id} is not in team {case['team_id']}", field="practitioner_id"
            )
        previous = case["allocated_practitioner_id"]
        await session.execute(
            update(cases).where(cases.c.id == case["id"]).values(allocated_practitioner_id=change.practitioner_id)
        )
        await record_changes(
            "case",
            case["id"],
            {"allocated_practitioner_id": (as_text(previous), change.practitioner_id)}
            if previous != change.practitioner_id
            else {},
            changed_by=principal.practitioner_id,
            reason=change.reason,
            session=session,
        )
        running = (
            await session.execute(
                select(process_records.c.workflow_id, process_records.c.process, process_records.c.responsible_id)
                .where(process_records.c.case_id == case["id"], process_records.c.closed_at.is_(None))
                .order_by(process_records.c.started_at)
            )
        ).all()
    key = idempotency_key or uuid.uuid4().hex
    followed = []
    for row in running:
        process = Process(row.process)
        if not _led_by_social_workers(process) or row.responsible_id not in (None, previous):
            continue
        body = {"practitioner_id": change.practitioner_id, "rationale": change.reason}
        try:
            await make_decision(services, principal, row.workflow_id, "reassign", body, f"case-{key}-{row.workflow_id}")
        except ServiceError as exc:
            followed.append(
                ProcessReassigned(workflow_id=row.workflow_id, process=process, reassigned=False, reason=exc.reason)
            )
        else:
            followed.append(ProcessReassigned(workflow_id=row.workflow_id, process=process, reassigned=True))
    return CaseReassigned(
        case_id=case["id"],
        practitioner_id=change.practitioner_id,
        previous_practitioner_id=previous,
        processes=followed,
    )
