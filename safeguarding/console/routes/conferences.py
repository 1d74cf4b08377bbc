"""Referring a case to a family group conference: `fgc.start_fgc` on an open case (statutory-rules.md §7).

A conference is offered from another process of the case (an assessment, a plan) or before proceedings; its
clocks start only once the manager has agreed the referral and the family consented, which the page it goes
to says.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safeguarding.api.deps import ServicesDep
from safeguarding.console.decision_forms import answers, typed
from safeguarding.console.form_keys import new_form_key
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.routes.start import started_url
from safeguarding.console.start_forms import Section, send_form, start_form
from safeguarding.console.templating import render
from safeguarding.service.fgc import ConferenceRequest, start_fgc

router = APIRouter(prefix="/console/start")

CONFERENCE = "/console/start/conference"
FORM = start_form(ConferenceRequest)


@router.get("/conference")
async def conference_page(
    request: Request, principal: ConsolePrincipal, layout: FrameDep, case_reference: str = ""
) -> Response:
    """Show the referral form, with the case's reference when it was given."""
    return _form(request, layout, typed={"case_reference": case_reference}, errors=[], form_key=new_form_key())


@router.post("/conference")
async def conference_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep
) -> Response:
    """Propose the conference; on a refusal show the form again with why, beside the field."""
    submitted = answers(await request.form())

    async def propose(body: dict[str, Any]) -> str:
        proposed = await start_fgc(services, principal, ConferenceRequest.model_validate(body))
        return started_url(proposed.workflow_id)

    sent = await send_form(FORM, submitted, propose, request=request, services=services, principal=principal)
    if sent.next_url is not None:
        return RedirectResponse(sent.next_url, status_code=303)
    page = {"typed": typed(FORM, submitted), "errors": sent.errors, "form_key": sent.form_key}
    return _form(request, layout, status_code=sent.status_code, **page)


def _form(request: Request, layout: dict[str, Any], *, status_code: int = 200, **page: Any) -> Response:
    context = {
        **layout,
        **page,
        "title": "Refer to a family group conference",
        "lead": [
            "On an open case. A conference is voluntary: no deadline runs until the manager has agreed the referral "
            "and the family has consented."
        ],
        "action": CONFERENCE,
        "sections": [Section(None, FORM.fields)],
        "button": "Make the referral",
    }
    return render(request, "start_form.html", context, status_code=status_code)
