"""Starting processes (a contact, an assessment, a strategy discussion, an allegation, an FGC, a disagreement),
and reading where a process stands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.api.idempotency import once
from safeguarding.models import ProcessStatus
from safeguarding.service import assessments, contacts, deadlines, disagreements, fgc, lado, status
from safeguarding.service import strategy_discussions as discussions
from safeguarding.service.deadlines import ProcessDeadlines
from safeguarding.service.starting import ProcessStarted

router = APIRouter(tags=["processes"])


@router.post("/contacts", status_code=201, response_model=contacts.ContactRecorded)
async def record_contact(
    contact: contacts.ContactRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Record a contact about a child whose case is open, and start its front door (§2).

    Returns the front door's workflow id and the referral decision's deadline with its basis. Each contact
    runs its own clock. Taken by business support, social workers, managers and, out of hours, the EDT.
    """
    return await once(request, services, principal, lambda: contacts.record_contact(services, principal, contact))


@router.post("/contacts/new-child", status_code=201, response_model=contacts.NewChildContactRecorded)
async def record_contact_about_new_child(
    contact: contacts.NewChildContactRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Register a child not yet known (and their family), open their case, and record the contact on it (§2)."""
    return await once(
        request, services, principal, lambda: contacts.record_contact_about_new_child(services, principal, contact)
    )


@router.post("/assessments", status_code=201, response_model=ProcessStarted)
async def start_assessment(
    start: assessments.AssessmentRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Start a child and family assessment from a referral (§3): 45 working days from the referral."""
    return await once(request, services, principal, lambda: assessments.start_assessment(services, principal, start))


@router.post("/strategy-discussions", status_code=201, response_model=ProcessStarted)
async def start_strategy_discussion(
    start: discussions.StrategyDiscussionRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Convene a strategy discussion on an open case when new information arrives (§4)."""
    return await once(
        request, services, principal, lambda: discussions.start_strategy_discussion(services, principal, start)
    )


@router.post("/lado-allegations", status_code=201, response_model=lado.AllegationRecorded)
async def notify_allegation(
    notification: lado.AllegationRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Record an allegation against a person who works with children and start the LADO's process (§6).

    The person's details stay in the case store; the answer carries ids and the response deadline.
    """
    return await once(request, services, principal, lambda: lado.start_lado(services, principal, notification))


@router.post("/fgc-referrals", status_code=201, response_model=fgc.ConferenceProposed)
async def propose_fgc(
    proposal: fgc.ConferenceRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Propose a family group conference on an open case (§7); its clocks start once referral and consent are in."""
    return await once(request, services, principal, lambda: fgc.start_fgc(services, principal, proposal))


@router.post("/disagreements", status_code=201, response_model=disagreements.DisagreementRaised)
async def raise_disagreement(
    raised: disagreements.DisagreementRequest, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Raise a professional disagreement about a decision or open task of a process (§8)."""
    return await once(
        request, services, principal, lambda: disagreements.raise_disagreement(services, principal, raised)
    )


@router.get("/processes/{workflow_id}")
async def read_status(workflow_id: str, services: ServicesDep, principal: PrincipalDep) -> ProcessStatus:
    """Return where a process stands: stage, open tasks, every deadline with its basis, the decisions made."""
    return await status.process_status(services, principal, workflow_id)


@router.get("/processes/{workflow_id}/deadlines")
async def list_process_deadlines(workflow_id: str, services: ServicesDep, principal: PrincipalDep) -> ProcessDeadlines:
    """Return a process's deadlines from the case store (met, missed, ahead or extended), without asking Temporal."""
    return await deadlines.list_process_deadlines(services, principal, workflow_id)
