"""A process's page: where it stands on its path, what it waits for, its deadlines, and the decisions made.

Everything comes from the process's own `status` query (`service.status.process_status`, for those who
may read its case) and its description's stages (`safeguarding.descriptions`). An open task links to its
decision's form only for someone whose role may make it: the others see who it waits for.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safeguarding.api.deps import ServicesDep
from safeguarding.authority import DISAGREEMENT_RAISERS
from safeguarding.codes import Process
from safeguarding.console.pages import ConsolePrincipal, FrameDep, decision_url
from safeguarding.console.paths import path_of
from safeguarding.console.routes.disagreements import disagreement_url
from safeguarding.console.templating import render
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import words
from safeguarding.service.status import process_status

router = APIRouter(prefix="/console")


@router.get("/processes/{workflow_id}")
async def process_page(
    request: Request,
    services: ServicesDep,
    principal: ConsolePrincipal,
    layout: FrameDep,
    workflow_id: str,
    decided: str | None = None,
) -> Response:
    """Show the process; after a decision made here, say so in a notification banner."""
    status = await process_status(services, principal, workflow_id)
    description = DESCRIPTIONS[status.process]
    tasks = [
        {
            "task": task,
            "href": decision_url(workflow_id, task.decision) if principal.role in task.allowed_roles else None,
        }
        for task in status.open_tasks
    ]
    made = decided if decided in {d.name for d in description.decisions} else None
    context = {
        **layout,
        "title": f"{words(status.process)} for {status.case_reference}",
        "status": status,
        "path": path_of(status.process, status.stage),
        "tasks": tasks,
        "decided": made,
        "may_disagree": principal.role in DISAGREEMENT_RAISERS and status.process is not Process.DISAGREEMENT,
        "disagreement_url": disagreement_url,
        "errors": [],
    }
    return render(request, "process.html", context)
