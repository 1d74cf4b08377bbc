"""Administration: teams, practitioners and their roles (the administrator role only); every change audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.api.idempotency import once
from safeguarding.service import admin
from safeguarding.service.admin_models import (
    Deactivation,
    NewPractitioner,
    NewTeam,
    PractitionerChange,
    PractitionerList,
    PractitionerRecord,
    TeamChange,
    TeamList,
    TeamRecord,
)

router = APIRouter(prefix="/admin", tags=["administration"])


@router.get("/teams")
async def list_teams(services: ServicesDep, principal: PrincipalDep) -> TeamList:
    """Return every team."""
    return await admin.list_teams(services, principal)


@router.post("/teams", status_code=201, response_model=TeamRecord)
async def create_team(team: NewTeam, request: Request, services: ServicesDep, principal: PrincipalDep) -> Response:
    """Create a team."""
    return await once(request, services, principal, lambda: admin.create_team(services, principal, team))


@router.patch("/teams/{team_id}")
async def update_team(team_id: str, change: TeamChange, services: ServicesDep, principal: PrincipalDep) -> TeamRecord:
    """Change a team's name, service manager or mailbox."""
    return await admin.update_team(services, principal, team_id, change)


@router.get("/practitioners")
async def list_practitioners(
    services: ServicesDep,
    principal: PrincipalDep,
    team_id: Annotated[str | None, Query(max_length=64)] = None,
    include_inactive: bool = False,
) -> PractitionerList:
    """Return the practitioners (of one team, if given), active ones unless asked otherwise."""
    return await admin.list_practitioners(services, principal, team_id=team_id, include_inactive=include_inactive)


@router.post("/practitioners", status_code=201, response_model=PractitionerRecord)
async def create_practitioner(
    practitioner: NewPractitioner, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Create a practitioner in a team, with their role."""
    return await once(
        request, services, principal, lambda: admin.create_practitioner(services, principal, practitioner)
    )


@router.patch("/practitioners/{practitioner_id}")
async def change_practitioner(
    practitioner_id: str, change: PractitionerChange, services: ServicesDep, principal: PrincipalDep
) -> PractitionerRecord:
    """Change a practitioner's role, team or contact details, with a reason."""
    return await admin.change_practitioner(services, principal, practitioner_id, change)


@router.post("/practitioners/{practitioner_id}/deactivation", response_model=PractitionerRecord)
async def deactivate_practitioner(
    practitioner_id: str, deactivation: Deactivation, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Deactivate a practitioner: their credentials stop working at once; what they did stays recorded."""
    return await once(
        request,
        services,
        principal,
        lambda: admin.deactivate_practitioner(services, principal, practitioner_id, deactivation),
        status_code=200,
    )
