"""Raising a professional disagreement with a decision, or an open question, of a process (statutory-rules.md §8).

Reached from the process's page ("Disagree with this decision" beside each decision and open question), so
what it is about (the process and the key) is the page's, not typed. `disagreements.raise_disagreement`
decides who may raise one and checks the key; the page shows what is disputed from the process's `status`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safeguarding.api.deps import ServicesDep
from safeguarding.console.decision_forms import answers, typed
from safeguarding.console.form_keys import new_form_key
from safeguarding.console.pages import ConsolePrincipal, FrameDep, process_url
from safeguarding.console.routes.start import started_url
from safeguarding.console.start_forms import Section, send_form, start_form
from safeguarding.console.templating import render, words
from safeguarding.models import ProcessStatus
from safeguarding.service.access import Principal
from safeguarding.service.disagreements import DisagreementRequest, raise_disagreement
from safeguarding.service.root import Services
from safeguarding.service.status import process_status

router = APIRouter(prefix="/console")

FORM = start_form(DisagreementRequest, leave_out={"about_workflow_id", "about_key"})


def disagreement_url(workflow_id: str, key: str) -> str:
    """Return the address of the form disagreeing with `key` (a decision's or an open task's) of a process."""
    return f"{process_url(workflow_id)}/disagree?key={quote(key, safe='')}"


@router.get("/processes/{workflow_id}/disagree")
async def disagreement_page(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, workflow_id: str, key: str
) -> Response:
    """Show the disagreement's form, empty, under what it is about."""
    page: dict[str, Any] = {"typed": {}, "errors": [], "form_key": new_form_key()}
    return await _form(request, services, principal, layout, workflow_id, key, **page)


@router.post("/processes/{workflow_id}/disagree")
async def disagreement_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, workflow_id: str, key: str
) -> Response:
    """Raise the disagreement; on a refusal show the form again with why, keeping what was typed."""
    submitted = answers(await request.form())

    async def raise_it(body: dict[str, Any]) -> str:
        raised = DisagreementRequest.model_validate({**body, "about_workflow_id": workflow_id, "about_key": key})
        return started_url((await raise_disagreement(services, principal, raised)).workflow_id)

    sent = await send_form(FORM, submitted, raise_it, request=request, services=services, principal=principal)
    if sent.next_url is not None:
        return RedirectResponse(sent.next_url, status_code=303)
    page = {"typed": typed(FORM, submitted), "errors": sent.errors, "form_key": sent.form_key}
    return await _form(request, services, principal, layout, workflow_id, key, status_code=sent.status_code, **page)


async def _form(
    request: Request,
    services: Services,
    principal: Principal,
    layout: dict[str, Any],
    workflow_id: str,
    key: str,
    *,
    status_code: int = 200,
    **page: Any,
) -> Response:
    status = await process_status(services, principal, workflow_id)
    context = {
        **layout,
        **page,
        "title": "Disagree with this decision",
        "caption": f"{words(status.process)} for {status.case_reference}",
        "lead": [
            "Say what you disagree with and what you propose. The process keeps running and its clocks keep "
            "counting while the disagreement is resolved."
        ],
        "about": _about(status, key),
        "back_url": process_url(workflow_id),
        "action": disagreement_url(workflow_id, key),
        "sections": [Section(None, FORM.fields)],
        "button": "Raise the disagreement",
    }
    return render(request, "start_form.html", context, status_code=status_code)


def _about(status: ProcessStatus, key: str) -> list[dict[str, Any]]:
    """Return the summary rows of what is disputed: the decision made, or the question still open."""
    made = next((d for d in status.decisions if d.key == key), None)
    task = next((t for t in status.open_tasks if t.key == key), None)
    if made is not None:
        what = f"{words(made.decision)}: {words(made.outcome)}, by {made.actor_id} ({words(made.actor_role)})"
    elif task is not None:
        what = f"{task.title} (not decided yet)"
    else:
        what = f"{key} (not a decision of this process)"
    return [
        {"key": {"text": "Process"}, "value": {"text": f"{words(status.process)} for {status.case_reference}"}},
        {"key": {"text": "Disagreeing with"}, "value": {"text": what}},
    ]
