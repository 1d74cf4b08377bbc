"""Registering a child, alone or with a contact about them: the child, their family, and a likely duplicate.

A child is registered through `cases.register_child`, or with the contact that brings them to the front door
through `contacts.record_contact_about_new_child` (statutory-rules.md §2), which registers them in the same
request and starts the front door. Both refuse a child whose names and date match someone recorded already
(a Conflict on `confirm_new_person`): the page then lists the records found (`people.find_people`, with the
cases each is on that this person may see) and asks whether this is a different child, so that nobody gets
two records by mistake and a different child with the same names can still be registered.

A team-bound practitioner's case is their own team's, so only a role working across teams is asked for the
team (`access.team_for_new_case`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from safeguarding.api.deps import ServicesDep
from safeguarding.console.decision_forms import RECORD, DecisionForm, Field, answers, typed
from safeguarding.console.form_keys import new_form_key
from safeguarding.console.pages import ConsolePrincipal, FrameDep, case_url
from safeguarding.console.routes.contacts import with_cases
from safeguarding.console.routes.start import started_url
from safeguarding.console.start_forms import Section, Sent, send_form, start_form
from safeguarding.console.templating import render
from safeguarding.service.access import Principal
from safeguarding.service.case_models import ChildRegistration
from safeguarding.service.cases import register_child
from safeguarding.service.contacts import NewChildContactRequest, record_contact_about_new_child
from safeguarding.service.errors import Conflict, ServiceError
from safeguarding.service.people import find_people
from safeguarding.service.people_models import PersonSearch
from safeguarding.service.root import Services

router = APIRouter(prefix="/console/start")

CHILD = "/console/start/child"
CONTACT_NEW_CHILD = "/console/start/contact-new-child"
CONFIRMED = "yes"
DUPLICATE = (
    "A child with these names and date of birth is recorded already: check the records listed. If this is a "
    "different child, say so and send the form again"
)
SHOWN_MATCHES = 10


@router.get("/child")
async def child_page(request: Request, principal: ConsolePrincipal, layout: FrameDep) -> Response:
    """Show the registration form, empty."""
    return _child_form(request, layout, principal, typed={}, errors=[], form_key=new_form_key())


@router.post("/child")
async def child_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep
) -> Response:
    """Register the child and open their case, then show the case; on a refusal show the form again with why."""
    form = _registration_form(ChildRegistration, principal, "")
    submitted = answers(await request.form())

    async def register(body: dict[str, Any]) -> str:
        body["confirm_new_person"] = submitted.get("confirm_new_person") == CONFIRMED
        registered = await register_child(services, principal, ChildRegistration.model_validate(body))
        return case_url(registered.case_id)

    sent = await send_form(form, submitted, register, request=request, services=services, principal=principal)
    if sent.next_url is not None:
        return RedirectResponse(sent.next_url, status_code=303)
    page = await _duplicates(services, principal, sent, submitted, "")
    return _child_form(request, layout, principal, typed=typed(form, submitted), **page)


@router.get("/contact-new-child")
async def contact_new_child_page(request: Request, principal: ConsolePrincipal, layout: FrameDep) -> Response:
    """Show the form of a contact about a child not recorded yet, empty."""
    return _contact_form(request, layout, principal, typed={}, errors=[], form_key=new_form_key())


@router.post("/contact-new-child")
async def contact_new_child_sent(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep
) -> Response:
    """Register the child, record the contact and start the front door; on a refusal show the form again with why."""
    form = _registration_form(NewChildContactRequest, principal, "registration-")
    submitted = answers(await request.form())

    async def record(body: dict[str, Any]) -> str:
        registration = body.setdefault("registration", {})
        registration["confirm_new_person"] = submitted.get("confirm_new_person") == CONFIRMED
        request_body = NewChildContactRequest.model_validate(body)
        recorded = await record_contact_about_new_child(services, principal, request_body)
        return started_url(recorded.workflow_id)

    sent = await send_form(
        form, submitted, record, within=("registration-", ""), request=request, services=services, principal=principal
    )
    if sent.next_url is not None:
        return RedirectResponse(sent.next_url, status_code=303)
    page = await _duplicates(services, principal, sent, submitted, "registration-")
    return _contact_form(request, layout, principal, typed=typed(form, submitted), **page)


def _registration_form(model: type[Any], principal: Principal, under: str) -> DecisionForm:
    """Return the form of `model`, its registration under `under`; the team only for a role that names it."""
    leave_out = {f"{under}confirm_new_person"} | (set() if principal.spans_teams() else {f"{under}team_id"})
    return start_form(model, leave_out=leave_out)


async def _duplicates(
    services: Services, principal: Principal, sent: Sent, submitted: dict[str, str], under: str
) -> dict[str, Any]:
    """Return the page's errors; for a likely duplicate, the records found, and the question whether it is another."""
    page: dict[str, Any] = {"errors": sent.errors, "status_code": sent.status_code, "form_key": sent.form_key}
    if not (isinstance(sent.refused, Conflict) and sent.refused.field == "confirm_new_person"):
        return page
    page["errors"] = [{"text": DUPLICATE, "href": "#confirm_new_person", "field": "confirm_new_person"}]
    page["duplicate"] = True
    child = f"{under}child-"
    born = ("date_of_birth", "expected_birth_date")
    when = next((f"{child}{name}" for name in born if submitted.get(f"{child}{name}-year", "").strip()), None)
    try:
        search = PersonSearch(
            given_name=submitted.get(f"{child}given_name", ""),
            family_name=submitted.get(f"{child}family_name", ""),
            date_of_birth=f"{submitted.get(f'{when}-year')}-{submitted.get(f'{when}-month', '').zfill(2)}-"
            f"{submitted.get(f'{when}-day', '').zfill(2)}",
            limit=SHOWN_MATCHES,
        )
        found = await find_people(services, principal, search)
    except (ValueError, ServiceError):  # the service found the match from the same answers: this is not expected
        return page
    matches = [m for m in found.matches if m.match == "exact"] or list(found.matches)
    page["duplicates"] = await with_cases(services, principal, matches)
    return page


def _child_form(
    request: Request, layout: dict[str, Any], principal: Principal, *, status_code: int = 200, **page: Any
) -> Response:
    form = _registration_form(ChildRegistration, principal, "")
    context = {
        **layout,
        **page,
        "title": "Register a child",
        "lead": [
            "Record the child, born or not yet born, and their family, and open the child's case.",
            "To record a contact about a child as well, record a contact about a new child instead: it registers "
            "the child and starts the front door together.",
        ],
        "action": CHILD,
        "sections": [Section(None, form.fields)],
        "button": "Register the child",
    }
    return render(request, "start_form.html", context, status_code=status_code)


def _contact_form(
    request: Request, layout: dict[str, Any], principal: Principal, *, status_code: int = 200, **page: Any
) -> Response:
    form = _registration_form(NewChildContactRequest, principal, "registration-")
    registration: Field = next(f for f in form.fields if f.kind == RECORD and f.key == "registration")
    contact = tuple(f for f in form.fields if f is not registration)
    context = {
        **layout,
        **page,
        "title": "Record a contact about a new child",
        "lead": [
            "For a child not recorded yet: the child and their family are registered on a new case, the contact is "
            "recorded on it, and the front door starts (the referral decision's clock starts when the contact "
            "came in)."
        ],
        "action": CONTACT_NEW_CHILD,
        "sections": [Section("The contact", contact), Section(None, registration.groups[0], registration.name)],
        "button": "Record the contact",
    }
    return render(request, "start_form.html", context, status_code=status_code)
