"""The work tray: my open tasks and my team's, soonest due first, each red, amber or green against its deadline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.service import tray
from safeguarding.service.tray_models import TrayCounts, TrayPage, TrayQuery

router = APIRouter(prefix="/tray", tags=["work tray"])


@router.get("/mine")
async def my_tray(services: ServicesDep, principal: PrincipalDep, query: Annotated[TrayQuery, Query()]) -> TrayPage:
    """Return your open tasks: those assigned to you, and unassigned ones your role may take.

    Soonest due first (undated last); each with its deadline, the deadline's basis in words and its
    red/amber/green state (red: passed; amber: due within the profile's `[tray]` working days). Filter by
    process, stage, a due window or a date range; pass `next_cursor` back as `cursor` for the next page.
    """
    return await tray.list_my_tasks(services, principal, query)


@router.get("/mine/counts")
async def my_counts(services: ServicesDep, principal: PrincipalDep) -> TrayCounts:
    """Return how many of your open tasks are overdue, due today and due this week."""
    return await tray.count_my_tasks(services, principal)


@router.get("/teams/{team_id}")
async def team_tray(
    team_id: str, services: ServicesDep, principal: PrincipalDep, query: Annotated[TrayQuery, Query()]
) -> TrayPage:
    """Return a team's open tasks, as `/tray/mine` does (its team manager, or a role that spans teams)."""
    return await tray.list_team_tasks(services, principal, team_id, query)


@router.get("/teams/{team_id}/counts")
async def team_counts(team_id: str, services: ServicesDep, principal: PrincipalDep) -> TrayCounts:
    """Return how many of a team's open tasks are overdue, due today and due this week."""
    return await tray.count_team_tasks(services, principal, team_id)
