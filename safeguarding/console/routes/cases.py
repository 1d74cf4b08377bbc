"""A case's page: the child and family (for those who may read the case), its processes, deadlines and chronology.

Read through the use cases that guard the case (`cases.read_case`, `deadlines.list_case_deadlines`,
`chronology.list_case_chronology`): whoever may not read it gets their refusal as the console's error page.
The chronology is newest first, shown as MoJ Frontend's timeline; its latest entries only (older ones are
for the API's pages).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safeguarding.api.deps import ServicesDep
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.templating import render
from safeguarding.service.cases import read_case
from safeguarding.service.chronology import list_case_chronology
from safeguarding.service.deadlines import list_case_deadlines

router = APIRouter(prefix="/console")

CHRONOLOGY_SHOWN = 50


@router.get("/cases/{case_id}")
async def case_page(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, case_id: str
) -> Response:
    """Show the case."""
    case = await read_case(services, principal, case_id)
    deadlines = await list_case_deadlines(services, principal, case_id)
    chronology = await list_case_chronology(services, principal, case_id, limit=CHRONOLOGY_SHOWN)
    context = {
        **layout,
        "title": f"Case {case.reference}",
        "case": case,
        "running": [p for p in case.processes if p.closed_at is None],
        "past": [p for p in case.processes if p.closed_at is not None],
        "deadlines": sorted(deadlines.deadlines, key=lambda d: (d.due_date, d.title)),
        "chronology": chronology,
        "errors": [],
    }
    return render(request, "case.html", context)
