"""Cases: register a child (with their family) and open their case; read a case, its deadlines and chronology;
hand it to another social worker; record its pre-proceedings; close it with its census reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.api.idempotency import HEADER, once
from safeguarding.service import case_closure, case_reassignment, cases, chronology, deadlines, pre_proceedings
from safeguarding.service.case_models import CaseRecord, ChildRegistration, Registration
from safeguarding.service.chronology import MAX_LIMIT, ChronologyPage
from safeguarding.service.deadlines import CaseDeadlines

router = APIRouter(prefix="/cases", tags=["people and cases"])


@router.post("", status_code=201, response_model=Registration)
async def register_child(
    registration: ChildRegistration, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Register a child (born, or unborn with an expected date) and their family, and open the child's case.

    The case reference follows the profile's pattern. A child whose names and date match someone already
    recorded is refused (409, naming the existing person's id) unless `confirm_new_person` is true.
    Personal data stays in the case store: nothing of it reaches Temporal.
    """
    return await once(request, services, principal, lambda: cases.register_child(services, principal, registration))


@router.get("/{case_id}")
async def read_case(case_id: str, services: ServicesDep, principal: PrincipalDep) -> CaseRecord:
    """Return a case: its child, family members and processes (its team, or a role that spans teams)."""
    return await cases.read_case(services, principal, case_id)


@router.get("/{case_id}/deadlines")
async def list_case_deadlines(case_id: str, services: ServicesDep, principal: PrincipalDep) -> CaseDeadlines:
    """Return every deadline of the case's processes: due date, basis in words, state (met, missed, ahead)."""
    return await deadlines.list_case_deadlines(services, principal, case_id)


@router.get("/{case_id}/chronology")
async def list_case_chronology(
    case_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=200, description="`next_cursor` of the page before.")] = None,
) -> ChronologyPage:
    """Return a page of the case's chronology, newest first: what happened, when, and who did it."""
    return await chronology.list_case_chronology(services, principal, case_id, limit=limit, cursor=cursor)


@router.post("/{case_id}/responsible-worker", response_model=case_reassignment.CaseReassigned)
async def reassign_case(
    case_id: str,
    change: case_reassignment.CaseReassignment,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Hand the case to another social worker of its team (a manager, with a reason).

    The running processes the previous worker led follow, each by its own reassignment, so their
    reminders go to the new worker; one that cannot be reassigned now says why.
    """
    key = request.headers.get(HEADER)
    return await once(
        request,
        services,
        principal,
        lambda: case_reassignment.reassign_case(services, principal, case_id, change, key),
        status_code=200,
    )


@router.post("/{case_id}/closure", response_model=case_closure.CaseClosed)
async def close_case(
    case_id: str,
    closure: case_closure.CaseClosure,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Close the child's case with its census reason (RC1–RC9), a manager of its team or the head of service.

    Only a case with nothing still going on closes: no process of it running, no child protection plan open.
    A Child in Need plan still open ends with it. "Closed after assessment" (RC8, RC9) is for a case that was
    an assessment alone. A closed case is not reopened.
    """
    return await once(
        request,
        services,
        principal,
        lambda: case_closure.close_case(services, principal, case_id, closure),
        status_code=200,
    )


@router.put("/{case_id}/pre-proceedings", response_model=pre_proceedings.PrePeriodRecorded)
async def record_pre_proceedings(
    case_id: str,
    period: pre_proceedings.PrePeriod,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Record the case's pre-proceedings period and the family group decision-making offer (census 2026/27).

    The period is the one that started on `started_on`: recording it again, with what has happened since,
    replaces what it held. The case's social worker, its team manager or the head of service records it.
    """
    return await once(
        request,
        services,
        principal,
        lambda: pre_proceedings.record_pre_proceedings(services, principal, case_id, period),
        status_code=200,
    )
