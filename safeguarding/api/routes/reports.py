"""The reports: the LADO's, the partnership's escalation log, timeliness; and the due-date calculator."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import AwareDatetime

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.census.period import CensusSpec
from safeguarding.service import census, due, escalation_log, lado_report, timeliness
from safeguarding.timeliness.report import TimelinessReport

router = APIRouter(tags=["reports"])


@router.get("/reports/lado")
async def read_lado_report(services: ServicesDep, principal: PrincipalDep) -> lado_report.LadoReport:
    """Return the LADO's open caseload and the share of allegations resolved within each target (§6).

    For the LADO, the LADO manager and service managers. Ids and references only.
    """
    return await lado_report.read_lado_report(services, principal)


@router.get(
    "/reports/census/{year}",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "The census return (DfE XML)."}},
)
async def export_census(
    services: ServicesDep,
    principal: PrincipalDep,
    year: Annotated[int, Path(ge=2000, le=2100, description="The census year: 2026 is 1 April 2026 - 31 March 2027.")],
    spec: Annotated[CensusSpec | None, Query(description="The DfE specification (default: the year's own).")] = None,
) -> Response:
    """Return the Children in Need census return of a census year, as the DfE's XML (statutory-rules.md §9).

    For the head of service only: it holds every child's identifiers.
    """
    exported = await census.export_census(services, principal, year=year, spec=spec)
    disposition = f'attachment; filename="cin-census-{exported.year}-{exported.spec}.xml"'
    return Response(exported.xml, media_type="application/xml", headers={"Content-Disposition": disposition})


@router.get("/reports/escalations")
async def read_escalation_log(
    services: ServicesDep,
    principal: PrincipalDep,
    partnership_id: Annotated[str, Query(description="The safeguarding partnership, as the profile names it.")],
    first_day: Annotated[date, Query(alias="from", description="The first day of the period (included).")],
    last_day: Annotated[date, Query(alias="to", description="The last day of the period (included).")],
) -> escalation_log.EscalationLog:
    """Return the partnership's log of professional disagreements raised in a period (§8).

    For the partnership's chair and designated professionals and service managers; a team manager sees
    their own team's lines.
    """
    return await escalation_log.read_escalation_log(services, principal, partnership_id, first_day, last_day)


@router.get("/reports/timeliness")
async def read_timeliness(
    services: ServicesDep,
    principal: PrincipalDep,
    year: Annotated[
        int | None,
        Query(description="The census year's first year: 2026 for 1 April 2026 to 31 March 2027. Default: today's."),
    ] = None,
    team: Annotated[
        str | None, Query(description="One team's cases; a team manager's own team when they name none.")
    ] = None,
) -> TimelinessReport:
    """Return the timeliness indicators of a census year: the DfE's definitions and bands, and ours where they differ.

    Each indicator gives its numerator, denominator, share and bands, says whose definition it is (`dfe` or
    `ours`), what it counts, where the definition comes from and how ours differs. Working days are the bank
    holidays of England and Wales only (local closures are not excluded, as in national reporting). For
    service managers (the authority or any team) and team managers (their own team). Ids only.
    """
    return await timeliness.read_timeliness(services, principal, year=year, team_id=team)


@router.get("/due-dates/{rule_id}")
async def calculate_due_date(
    rule_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    trigger_at: Annotated[AwareDatetime, Query(description="The moment counted from, with its offset.")],
) -> due.DueDate:
    """Return when rule `rule_id` falls due from `trigger_at`, and why, on today's calendar and profile."""
    return await due.due_date(services, principal, rule_id, trigger_at)
