"""Record a contact and start the front door on it (statutory-rules.md §2).

Each contact runs its own front door as `front-door-<contact id>`, so several contacts on one case each
run their own clock. The contact is written to the case store before the process starts (its first
activities read it) and taken out again if the start fails, so a refused contact leaves nothing behind.
The referrer's details stay in the case store; what is returned carries ids, codes and the deadline.
"""

from __future__ import annotations

from pydantic import Field

from safeguarding.codes import Process, ReferralSource, Role
from safeguarding.commands.front_door import FrontDoorInput, front_door_id
from safeguarding.models import AwareDatetime, Frozen
from safeguarding.service.access import Principal
from safeguarding.service.case_models import ChildRegistration, Registration
from safeguarding.service.cases import register_child
from safeguarding.service.errors import ServiceError
from safeguarding.service.root import Services
from safeguarding.service.starting import (
    ProcessStarted,
    case_context,
    check_moment,
    first_deadline,
    open_team_case,
    require_starter,
    start_process,
)
from safeguarding.store.contacts import delete_contact, insert_contact

RECORDS_CONTACTS: tuple[Role, ...] = (
    Role.BUSINESS_SUPPORT,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.EDT_WORKER,
)
"""Who takes a contact at the front door: its business support, social workers and managers, and out of hours
the Emergency Duty Team (§1, §2)."""


class ContactDetails(Frozen):
    """What a contact says: when it came in, from whom, and what was said."""

    received_at: AwareDatetime = Field(description="When it came in: starts the referral clock; not in the future.")
    source: str = Field(min_length=1, max_length=200, description="Who made contact, e.g. school, police, health.")
    summary: str = Field(min_length=1, max_length=4000, description="What the referrer said.")
    referrer_name: str | None = Field(default=None, max_length=200)
    referrer_email: str | None = Field(
        default=None,
        max_length=320,
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="Where the acknowledgement and the outcome are sent.",
    )
    referrer_organisation: str | None = Field(default=None, max_length=400)
    referral_source: ReferralSource | None = Field(
        default=None, description="Who referred, as the Children in Need census codes it (statutory-rules.md §9)."
    )


class ContactRequest(ContactDetails):
    """A contact as the front door takes it, about a child whose case is open."""

    case_reference: str = Field(min_length=1, max_length=64, description="The case it concerns, e.g. EX-0007.")


class ContactRecorded(ProcessStarted):
    """The contact recorded and its front door started, with the referral decision's deadline."""

    contact_id: str


async def record_contact(services: Services, principal: Principal, request: ContactRequest) -> ContactRecorded:
    """Record the contact on its open case and start `front-door-<contact id>`; take the contact out if that fails."""
    require_starter(principal, "record_contact", RECORDS_CONTACTS, "a contact is taken")
    await check_moment(services, "received_at", request.received_at)
    async with services.sessions.begin() as session:
        case = await open_team_case(principal, "record_contact", request.case_reference, session=session)
        context = await case_context(services, case, session=session)
        deadline = first_deadline(context, "referral_decision", request.received_at)
        contact_id = await insert_contact(
            case_id=context.case_id,
            received_at=request.received_at,
            source=request.source,
            summary=request.summary,
            referrer_name=request.referrer_name,
            referrer_email=request.referrer_email,
            referrer_organisation=request.referrer_organisation,
            referral_source=request.referral_source,
            session=session,
        )
    # Committed before the start, so the workflow's first activities find the contact; taken out again if
    # the process does not start, so a refused start leaves nothing behind.
    workflow_id = front_door_id(contact_id)
    try:
        started = FrontDoorInput(context=context, contact_id=contact_id, received_at=request.received_at)
        await start_process(services, "FrontDoor", started, workflow_id, Process.FRONT_DOOR)
    except Exception:
        async with services.sessions.begin() as session:
            await delete_contact(contact_id, session=session)
        raise
    return ContactRecorded(
        workflow_id=workflow_id, contact_id=contact_id, case_reference=context.case_reference, deadline=deadline
    )


class NewChildContactRequest(ContactDetails):
    """A contact about a child the case store does not know yet: the child (and family) registered with it."""

    registration: ChildRegistration = Field(description="The child, their family, and the team of the new case.")


class NewChildContactRecorded(ContactRecorded):
    """The child registered on a new case, the contact recorded and its front door started."""

    registration: Registration


async def record_contact_about_new_child(
    services: Services, principal: Principal, request: NewChildContactRequest
) -> NewChildContactRecorded:
    """Register the child and open their case, then record the contact on it and start its front door.

    Both are checked before either is written: who may take a contact, and the moment it came in. Should the
    front door not start after the child is registered, the registration stands (a child once recorded is
    not removed) and the error says which case it is on, so the contact can be recorded on it.
    """
    require_starter(principal, "record_contact", RECORDS_CONTACTS, "a contact is taken")
    await check_moment(services, "received_at", request.received_at)
    registration = await register_child(services, principal, request.registration)
    contact = ContactRequest(
        case_reference=registration.reference,
        **request.model_dump(exclude={"registration"}),
    )
    try:
        recorded = await record_contact(services, principal, contact)
    except ServiceError as exc:
        exc.reason = f"the child was registered on case {registration.reference}, but {exc.reason}"
        exc.args = (exc.reason,)
        raise
    return NewChildContactRecorded(**recorded.model_dump(), registration=registration)
