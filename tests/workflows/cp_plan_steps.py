"""Steps that drive a child protection plan in tests: start it, name an independent chair, act on its tasks."""

from __future__ import annotations

from datetime import datetime

from temporalio.client import WorkflowHandle

from safeguarding.codes import CpCategory, Role
from safeguarding.commands.conference import initial_conference_id
from safeguarding.commands.cp_plan import CpPlanInput, CpPlanResult, cp_plan_id
from safeguarding.models import Actor, ProcessStatus
from tests.factories import CaseIds, create_team
from tests.fixtures.temporal import Harness

CHAIRS_TEAM = "team-conference-chairs"


def chair(practitioner_id: str = "chair-1") -> Actor:
    """Return a conference chair from the independent reviewing service, outside the case's line management."""
    return Actor(practitioner_id=practitioner_id, role=Role.CONFERENCE_CHAIR, team_id=CHAIRS_TEAM)


async def agency_teams(harness: Harness, *names: str) -> tuple[str, ...]:
    """Create partner agencies' teams, each with its own mailbox, and return their ids."""
    async with harness.sessionmaker.begin() as session:
        return tuple([await create_team(session, name=f"Fictional {name}") for name in names])


async def start_plan(
    harness: Harness,
    case: CaseIds,
    icpc_held_at: datetime,
    *,
    category: CpCategory = CpCategory.NEGLECT,
    agencies: tuple[str, ...] = (),
    prebirth: bool = False,
) -> WorkflowHandle:
    """Start the plan an initial conference at `icpc_held_at` decided, as the conference would."""
    plan = CpPlanInput(
        context=harness.context(case),
        conference_workflow_id=initial_conference_id(case.reference),
        icpc_held_at=icpc_held_at,
        category=category,
        lead_social_worker_id=harness.team.social_worker_id,
        core_group_member_ids=(harness.team.social_worker_id, harness.team.health_visitor_id),
        invited_agency_team_ids=agencies,
        prebirth=prebirth,
    )
    return await harness.start(
        "ChildProtectionPlan", plan, cp_plan_id(case.reference, icpc_held_at), result_type=CpPlanResult
    )


async def status(handle: WorkflowHandle) -> ProcessStatus:
    """Return the plan's `status` query."""
    return await handle.query("status", result_type=ProcessStatus)


def due(status: ProcessStatus, key: str):
    """Return the deadline `key` of a status."""
    return next(d for d in status.deadlines if d.key == key)
