"""Notifying an allegation to the LADO: the notification recorded as an allegation case, the LADO's process started.

`lado.start_lado` (statutory-rules.md §6) decides who may take a notification (the LADO, or their manager) and
checks the reference against the procedure profile's pattern: a reference becomes a workflow id and an
e-mail subject, so it is a code, never a name; the hint shows the pattern. The person the allegation is about
is named in the case store only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safeguarding.api.deps import ServicesDep
from safeguarding.console.decision_forms import DecisionForm, answers, typed
from safeguarding.console.form_keys import new_form_key
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.routes.start import started_url
from safeguarding.console.start_forms import Section, send_form, start_form, with_hint
from safeguarding.console.templating import render
from safeguarding.service.lado import AllegationRequest, start_lado
from safeguarding.service.root import Services

router = APIRouter(prefix="/console/start")

ALLEGATION = "/console/start/allegation"


@router.get("/allegation")
async def allegation_page(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep
) -> Response:
    """Show the notification form, empty."""
    return _form(request, services, layout, typed={}, errors=[], form_key=new_form_key())


@router.post("/allegation")
async def allegation_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep
) -> Response:
    """Record the allegation and start the LADO's process; on a refusal show the form again with why."""
    form = _notification_form(services)
    submitted = answers(await request.form())

    async def record(body: dict[str, Any]) -> str:
        recorded = await start_lado(services, principal, AllegationRequest.model_validate(body))
        return started_url(recorded.workflow_id)

    sent = await send_form(form, submitted, record, request=request, services=services, principal=principal)
    if sent.next_url is not None:
        return RedirectResponse(sent.next_url, status_code=303)
    page = {"typed": typed(form, submitted), "errors": sent.errors, "form_key": sent.form_key}
    return _form(request, services, layout, status_code=sent.status_code, **page)


def _notification_form(services: Services) -> DecisionForm:
    pattern = services.profile.references.allegation.removeprefix("^").removesuffix("$")
    hint = (
        f"In your authority's pattern, {pattern}: a code, never a name (it is used in e-mail subjects and "
        "process names)."
    )
    return with_hint(start_form(AllegationRequest), "reference", hint)


def _form(
    request: Request, services: Services, layout: dict[str, Any], *, status_code: int = 200, **page: Any
) -> Response:
    form = _notification_form(services)
    context = {
        **layout,
        **page,
        "title": "Notify an allegation to the LADO",
        "lead": [
            "An allegation that someone who works with children has harmed a child, or may have. It is recorded as "
            "an allegation case of its own, and the LADO's process starts on it."
        ],
        "action": ALLEGATION,
        "sections": [Section(None, form.fields)],
        "button": "Record the allegation",
    }
    return render(request, "start_form.html", context, status_code=status_code)
