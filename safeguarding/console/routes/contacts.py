"""A contact about a child already known: find the child's case, then record the contact and start the front door.

The search is `people.find_people` (both names and the date of birth; it finds near misses too, best first),
each match shown with the cases this person may see (`people.read_person`); a case links to the contact form
with its reference filled in. Someone who knows the reference goes to the form directly. The contact is
`contacts.record_contact` (statutory-rules.md §2): on its open case, its front door started, the referral
decision's deadline shown on the page it goes to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from safeguarding.api.deps import ServicesDep
from safeguarding.console.decision_forms import DecisionForm, Unreadable, answers, read_body, typed
from safeguarding.console.form_errors import service_entry, unreadable_entry, validation_entries
from safeguarding.console.form_keys import new_form_key
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.routes.start import started_url
from safeguarding.console.start_forms import Section, send_form, start_form
from safeguarding.console.templating import render
from safeguarding.service.access import Principal
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.errors import ServiceError
from safeguarding.service.people import find_people, read_person
from safeguarding.service.people_models import PersonCase, PersonMatch, PersonSearch
from safeguarding.service.root import Services

router = APIRouter(prefix="/console/start/contact")

CONTACT = "/console/start/contact"
SEARCH = start_form(PersonSearch, leave_out={"limit", "offset"})
FORM = DecisionForm(tuple(sorted(start_form(ContactRequest).fields, key=lambda f: f.key != "case_reference")))
"""The contact's form, its case first."""


async def with_cases(services: Services, principal: Principal, matches: Sequence[PersonMatch]) -> list[dict[str, Any]]:
    """Return each person found with the cases they are on that `principal` may see (none when they may see none)."""
    found = []
    for match in matches:
        try:
            cases: tuple[PersonCase, ...] = (await read_person(services, principal, match.person_id)).cases
        except ServiceError:
            cases = ()
        found.append({**match.model_dump(), "cases": cases})
    return found


@router.get("/find")
async def find_page(request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep) -> Response:
    """Show the search; once it is filled in, the children found and their cases."""
    submitted = answers(request.query_params)
    errors: list[dict[str, str]] = []
    found: list[dict[str, Any]] | None = None
    if any(value.strip() for value in submitted.values()):
        try:
            search = PersonSearch.model_validate(read_body(SEARCH, submitted))
            matches = (await find_people(services, principal, search)).matches
        except Unreadable as unreadable:
            errors = [unreadable_entry(SEARCH, unreadable)]
        except ValidationError as invalid:
            errors = validation_entries(SEARCH, invalid)
        except ServiceError as refused:
            errors = [service_entry(SEARCH, refused)]
        else:
            found = await with_cases(services, principal, matches)
    context = {
        **layout,
        "title": "Find the child",
        "fields": SEARCH.fields,
        "typed": typed(SEARCH, submitted),
        "found": found,
        "errors": errors,
    }
    return render(request, "find_child.html", context, status_code=422 if errors else 200)


@router.get("")
async def contact_page(
    request: Request, principal: ConsolePrincipal, layout: FrameDep, case_reference: str = ""
) -> Response:
    """Show the contact form, with the case's reference when it was chosen."""
    return _form(request, layout, typed={"case_reference": case_reference}, errors=[], form_key=new_form_key())


@router.post("")
async def contact_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep
) -> Response:
    """Record the contact and start its front door; on a refusal show the form again with why, beside the field."""
    submitted = answers(await request.form())

    async def record(body: dict[str, Any]) -> str:
        recorded = await record_contact(services, principal, ContactRequest.model_validate(body))
        return started_url(recorded.workflow_id)

    sent = await send_form(FORM, submitted, record, request=request, services=services, principal=principal)
    if sent.next_url is not None:
        return RedirectResponse(sent.next_url, status_code=303)
    page = {"typed": typed(FORM, submitted), "errors": sent.errors, "form_key": sent.form_key}
    return _form(request, layout, status_code=sent.status_code, **page)


def _form(request: Request, layout: dict[str, Any], *, status_code: int = 200, **page: Any) -> Response:
    context = {
        **layout,
        **page,
        "title": "Record a contact",
        "lead": [
            "About a child whose case is open. The front door starts on it: the referral decision's clock "
            "starts when the contact came in."
        ],
        "back_url": f"{CONTACT}/find",
        "action": CONTACT,
        "sections": [Section(None, FORM.fields)],
        "button": "Record the contact",
    }
    return render(request, "start_form.html", context, status_code=status_code)
