"""The Start work page: what the signed-in person's role may start; and the page a process started goes to.

Which role starts what is the use cases' to say, and they are asked again when a form is sent: the list here
only leaves out what a role is refused anyway, so nobody is offered a form that cannot work for them. A
process started goes to its own confirmation page (POST-redirect-GET), which reads the process's `status`:
the case and process it runs as, and the deadline its start set (the referral decision's, for a contact).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safeguarding.api.deps import ServicesDep
from safeguarding.authority import DISAGREEMENT_RAISERS
from safeguarding.codes import DeadlineState, Process, Role
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.templating import render
from safeguarding.service.access import RECORDS_PEOPLE
from safeguarding.service.contacts import RECORDS_CONTACTS
from safeguarding.service.fgc import CLOCKS_START, PROPOSES_CONFERENCES
from safeguarding.service.lado import TAKES_NOTIFICATIONS
from safeguarding.service.status import process_status
from safeguarding.working_days import LONDON

router = APIRouter(prefix="/console")

START = "/console/start"


@dataclass(frozen=True)
class Startable:
    """One kind of work the Start work page offers, to the roles its use case lets start it."""

    title: str
    href: str | None
    description: str
    roles: frozenset[Role]


STARTABLE = (
    Startable(
        "Record a contact about a child already known",
        "/console/start/contact/find",
        "Find the child's case and record the contact: the front door starts on it.",
        frozenset(RECORDS_CONTACTS),
    ),
    Startable(
        "Record a contact about a new child",
        "/console/start/contact-new-child",
        "Register the child and their family and record the contact together: the front door starts on the new case.",
        frozenset(RECORDS_CONTACTS) & RECORDS_PEOPLE,
    ),
    Startable(
        "Register a child",
        "/console/start/child",
        "Record a child, born or not yet born, and their family, and open the child's case.",
        RECORDS_PEOPLE,
    ),
    Startable(
        "Notify an allegation to the LADO",
        "/console/start/allegation",
        "Record an allegation against someone who works with children: the LADO's process starts on it.",
        frozenset(TAKES_NOTIFICATIONS),
    ),
    Startable(
        "Refer to a family group conference",
        "/console/start/conference",
        "Propose a family group conference on an open case.",
        frozenset(PROPOSES_CONFERENCES),
    ),
    Startable(
        "Raise a professional disagreement",
        None,
        "Open the process the decision is in (from your work tray or the case), and choose "
        "‘Disagree with this decision’ beside the decision or the open question.",
        frozenset(DISAGREEMENT_RAISERS),
    ),
)

STARTED = {
    Process.FRONT_DOOR: "Contact recorded",
    Process.LADO: "Allegation recorded",
    Process.FGC: "Family group conference proposed",
    Process.DISAGREEMENT: "Disagreement raised",
}


def started_url(workflow_id: str) -> str:
    """Return the address of the page saying a process was started."""
    return f"/console/started/{quote(workflow_id, safe='')}"


@router.get("/start")
async def start_page(request: Request, principal: ConsolePrincipal, layout: FrameDep) -> Response:
    """List what the signed-in person's role may start."""
    offered = [startable for startable in STARTABLE if principal.role in startable.roles]
    context = {**layout, "title": "Start work", "offered": offered, "errors": []}
    return render(request, "start.html", context)


@router.get("/started/{workflow_id}")
async def started_page(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, workflow_id: str
) -> Response:
    """Say what was started: its case, its process and the deadline its start set."""
    status = await process_status(services, principal, workflow_id)
    context = {
        **layout,
        "title": STARTED.get(status.process, "Started"),
        "status": status,
        "deadlines": [d for d in status.deadlines if d.state is DeadlineState.PENDING],
        "clocks_start": CLOCKS_START if status.process is Process.FGC else None,
        "london": LONDON,
        "errors": [],
    }
    return render(request, "started.html", context)
