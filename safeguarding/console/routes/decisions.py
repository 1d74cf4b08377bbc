"""A decision's page: its form, made from its command model (`decision_forms`), sent through `make_decision`.

The form is shown to those who may read the process's case; whether this person may make this decision
now is `make_decision`'s to say, and a refusal (their role, the stage, the body) comes back as a GOV.UK
error summary beside the field it concerns, with what was typed kept. A decision made goes to the process
page (POST-redirect-GET), which says so in a notification banner. Each form carries an idempotency key of
its own, so a form sent twice (a double click, a resent page) makes the decision once.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from safeguarding.api.deps import ServicesDep
from safeguarding.console.decision_forms import (
    PRACTITIONER,
    DecisionForm,
    Unreadable,
    answers,
    decision_form,
    read_body,
    typed,
)
from safeguarding.console.form_errors import service_entry, unreadable_entry, validation_entries
from safeguarding.console.pages import ConsolePrincipal, FrameDep, decision_url, process_url
from safeguarding.console.templating import render, words
from safeguarding.descriptions.description import DecisionDescription
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.service.access import Principal
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import NotFound, ServiceError
from safeguarding.service.root import Services
from safeguarding.service.status import process_status
from safeguarding.store.practitioners import list_practitioners

router = APIRouter(prefix="/console")


@router.get("/processes/{workflow_id}/decisions/{name}")
async def decision_page(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, workflow_id: str, name: str
) -> Response:
    """Show the decision's form, empty, with a fresh idempotency key."""
    context = await _context(services, principal, workflow_id, name)
    return render(request, "decision.html", {**layout, **context, "typed": {}, "key": uuid.uuid4().hex, "errors": []})


@router.post("/processes/{workflow_id}/decisions/{name}")
async def decision_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, workflow_id: str, name: str
) -> Response:
    """Make the decision; on a refusal show the form again with why, beside the field, keeping what was typed."""
    context = await _context(services, principal, workflow_id, name)
    form: DecisionForm = context["form"]
    submitted = answers(await request.form())
    key = submitted.get("idempotency_key") or uuid.uuid4().hex
    status_code = 422
    try:
        body = read_body(form, submitted)
        await make_decision(services, principal, workflow_id, name, body, key[:200])
    except Unreadable as unreadable:
        errors = [unreadable_entry(form, unreadable)]
    except ValidationError as invalid:
        errors = validation_entries(form, invalid)
    except ServiceError as refused:
        status_code = refused.status
        errors = [service_entry(form, refused)]
    else:
        return RedirectResponse(f"{process_url(workflow_id)}?decided={quote(name)}", status_code=303)
    page = {**layout, **context, "typed": typed(form, submitted), "key": key, "errors": errors}
    return render(request, "decision.html", page, status_code=status_code)


async def _context(services: Services, principal: Principal, workflow_id: str, name: str) -> dict[str, Any]:
    """Return what the decision's page shows; NotFound for a process that takes no such decision."""
    status = await process_status(services, principal, workflow_id)
    description = DESCRIPTIONS[status.process]
    decision: DecisionDescription | None = next((d for d in description.decisions if d.name == name), None)
    if decision is None:
        raise NotFound(f"{workflow_id} is a {status.process} process: it takes no {name}")
    form = decision_form(
        decision.command, rationale_required=decision.rationale_required, rationale_when=decision.rationale_when
    )
    return {
        "status": status,
        "decision": decision,
        "form": form,
        "options": await _practitioner_options(services, form),
        "process_url": process_url(workflow_id),
        "action": decision_url(workflow_id, name),
        "title": decision.title or words(decision.name),
    }


async def _practitioner_options(services: Services, form: DecisionForm) -> dict[str, list[dict[str, str]]]:
    """Return, for each practitioner field, the active practitioners holding a role it needs, as select items."""
    wanted = [f for f in form.fields if f.kind == PRACTITIONER]
    if not wanted:
        return {}
    async with services.sessions() as session:
        everyone = await list_practitioners(session=session)
    return {
        f.name: [{"value": "", "text": "Choose a practitioner"}]
        + [
            {"value": row["id"], "text": f"{row['given_name']} {row['family_name']} ({words(row['role'])})"}
            for row in everyone
            if not f.roles or row["role"] in f.roles
        ]
        for f in wanted
    }
