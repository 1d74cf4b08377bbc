"""The start-work forms: each made from its use case's request model, as a decision's form is (`decision_forms`).

A request model's field names are the API's (`upn`, `received_at`); the form asks for them in a person's words
(`LABELS`), leaves out what the page sets itself (the process a disagreement is about, a duplicate's
confirmation), and shows `FAMILY_SHOWN` family members. What is sent is read back into the request by
`read_body`, checked by the model, then by the use case; every refusal comes back beside its field with what
was typed kept (`form_errors`), so a start-work page and a decision's page refuse alike. Each form is sent once
(`form_keys`): sent again, it goes where it went the first time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError

from safeguarding.console.decision_forms import (
    RECORDS,
    DecisionForm,
    Field,
    Unreadable,
    decision_form,
    read_body,
)
from safeguarding.console.form_errors import service_entry, unreadable_entry, validation_entries
from safeguarding.console.form_keys import (
    FIELD,
    NOT_OURS,
    SENT_ALREADY,
    STILL_RECORDING,
    form_hash,
    form_key_problem,
    new_form_key,
)
from safeguarding.service.access import Principal
from safeguarding.service.errors import ServiceError
from safeguarding.service.root import Services
from safeguarding.store.idempotency import Claim, Earlier, claim_key, keep_answer, release_key

log = logging.getLogger("safeguarding.refusals")

FAMILY_SHOWN = 3
"""How many family members a registration form asks for: more are added through the API."""

LABELS: Mapping[str, str] = {
    "child": "The child",
    "address": "Address",
    "email": "Email address",
    "phone": "Phone number",
    "date_of_birth": "Date of birth",
    "expected_birth_date": "Expected date of birth, for a child not yet born",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "upn": "Unique Pupil Number (UPN)",
    "upn_unknown": "Why the child has no UPN",
    "disabilities": "Disabilities",
    "nhs_number": "NHS number",
    "family": "Family members",
    "person": "Their details, if they are not recorded yet",
    "person_id": "Or their person ID, if they are recorded already",
    "relationship": "Relationship to the child",
    "parental_responsibility": "Do they hold parental responsibility?",
    "team_id": "Team ID of the team the case belongs to",
    "received_at": "When the contact came in",
    "source": "Who made contact",
    "summary": "What the referrer said",
    "referrer_name": "Referrer's name",
    "referrer_email": "Referrer's email address",
    "referrer_organisation": "Referrer's organisation",
    "referral_source": "Referral source, as the census codes it",
    "case_reference": "Case reference",
    "reference": "Allegation reference",
    "subject": "The person the allegation is about",
    "role": "Their job or role",
    "is_teacher": "Are they a teacher?",
    "employer": "Their employer",
    "setting": "Where they work with children",
    "agency": "The agency that placed them",
    "what_happened": "What happened",
    "happened_on": "When it happened",
    "came_to_attention_at": "When it came to the employer's attention",
    "action_taken": "What has been done since",
    "children": "Case references of the children involved",
    "notifier_kind": "Who notified the LADO",
    "notifier_name": "Notifier's name",
    "notifier_organisation": "Notifier's organisation",
    "notifier_email": "Notifier's email address",
    "notifier_phone": "Notifier's phone number",
    "method": "How the LADO was notified",
    "notified_at": "When the LADO was notified",
    "proposed_at": "When it was proposed",
    "reason": "What offers it",
    "source_workflow_id": "The process that offers it",
    "offer_letter_at": "When the letter before proceedings was sent",
    "raised_at": "When it was raised",
    "disagrees_with": "What you disagree with, and why",
    "proposes": "What you propose instead",
    "immediate_risk": "Is the child at immediate risk?",
    "counterpart_id": "Practitioner ID of the person you disagree with",
}
"""A request field's label, by its name in the request; "(optional)" is added to those that may be left out."""


def start_form(model: type[BaseModel], *, leave_out: Collection[str] = ()) -> DecisionForm:
    """Return the form asking for `model`, without the inputs named in `leave_out` (`registration-team_id`)."""
    made = decision_form(model, rationale_required=False, rationale_when=None)
    return DecisionForm(tuple(_shaped(f, leave_out) for f in made.fields if f.name not in leave_out))


def _shaped(f: Field, leave_out: Collection[str]) -> Field:
    label = LABELS.get(f.key, f.label.removesuffix(" (optional)"))
    groups = f.groups[:FAMILY_SHOWN] if f.kind == RECORDS and f.key == "family" else f.groups
    return replace(
        f,
        label=label if f.required else f"{label} (optional)",
        groups=tuple(tuple(_shaped(inner, leave_out) for inner in g if inner.name not in leave_out) for g in groups),
    )


@dataclass(frozen=True)
class Sent:
    """What became of a form sent: where to go next, or the errors to show with the form again (and the status)."""

    next_url: str | None
    errors: list[dict[str, str]]
    status_code: int = 303
    refused: ServiceError | None = None
    """The use case's refusal, when it was one (a page may say more about it: a likely duplicate)."""
    form_key: str = ""
    """The key the form shown again carries (`form_keys`): its own, unless it had none the console made."""


async def send_form(
    form: DecisionForm,
    submitted: Mapping[str, str],
    start: Callable[[dict[str, Any]], Awaitable[str]],
    *,
    request: Request,
    services: Services,
    principal: Principal,
    within: tuple[str, ...] = ("",),
) -> Sent:
    """Read the form's answers into a body and give it to `start` (which returns the page to go to next), once.

    The form's key is claimed for `principal` first (`form_keys`): the same form sent again is not given to
    `start` but goes where the first went, or is told the first is still being recorded (until the claim is
    older than `idempotency_claim_minutes`: then that sending died, and this one runs). Only work recorded
    keeps the key. `within` says under which prefixes the use case's field names are this form's inputs
    (`service_entry`).
    """
    key = submitted.get(FIELD)
    problem = form_key_problem(key)
    if key is None or problem is not None:
        log.warning("refused POST %s: its form key %s", request.url.path, problem)
        return Sent(None, [_form_entry(NOT_OURS)], 422, form_key=new_form_key())
    claim = Claim(principal.practitioner_id, key)
    digest = form_hash(request.url.path, request.url.query, submitted)
    stale_after = timedelta(minutes=services.settings.idempotency_claim_minutes)
    async with services.sessions.begin() as session:
        first = await claim_key(
            claim, method="POST", path=request.url.path, request_hash=digest, stale_after=stale_after, session=session
        )
    if isinstance(first, Earlier):
        return _sent_again(first, request.url.path, digest, key)
    try:
        sent = replace(await _send(form, submitted, start, within), form_key=key)
    except BaseException:
        async with services.sessions.begin() as session:
            await release_key(first, session=session)
        raise
    # Work recorded whose answer cannot be kept leaves the claim unanswered: the form sent again is told it is
    # still being recorded, not recorded twice, until the claim is old enough to be taken for a dead sending's.
    async with services.sessions.begin() as session:
        if sent.next_url is None:
            await release_key(first, session=session)
        elif not await keep_answer(first, sent.status_code, {"next_url": sent.next_url}, session=session):
            log.warning(
                "the answer to POST %s by %s was not kept: the form sent again took its key over after %s",
                request.url.path,
                principal.practitioner_id,
                stale_after,
            )
    return sent


async def _send(
    form: DecisionForm,
    submitted: Mapping[str, str],
    start: Callable[[dict[str, Any]], Awaitable[str]],
    within: tuple[str, ...],
) -> Sent:
    try:
        next_url = await start(read_body(form, submitted))
    except Unreadable as unreadable:
        return Sent(None, [unreadable_entry(form, unreadable)], 422)
    except ValidationError as invalid:
        return Sent(None, validation_entries(form, invalid), 422)
    except ServiceError as refused:
        return Sent(None, [service_entry(form, refused, within=within)], refused.status, refused)
    return Sent(next_url, [])


def _sent_again(first: Earlier, path: str, digest: str, key: str) -> Sent:
    """Return what the same form sent again comes to, from what became of it the first time."""
    if first.method != "POST" or first.path != path:
        log.warning("refused POST %s: its form key was used for another request", path)
        return Sent(None, [_form_entry(NOT_OURS)], 422, form_key=new_form_key())
    if first.status_code is None:
        return Sent(None, [_form_entry(STILL_RECORDING)], 409, form_key=key)
    next_url = str(first.response_body["next_url"])
    if first.request_hash != digest:
        return Sent(None, [_form_entry(SENT_ALREADY, next_url)], 409, form_key=new_form_key())
    return Sent(next_url, [], form_key=key)


def _form_entry(text: str, href: str | None = None) -> dict[str, str]:
    """Return an error summary entry about the whole form, shown at its top only (a link when `href` is given)."""
    return {"text": text, "field": ""} | ({"href": href} if href else {})


@dataclass(frozen=True)
class Section:
    """A part of a start-work form: its heading (or none), its fields, and the input name its own errors are under.

    A record whose fields are asked for section by section (a contact's registration) has no input of its own:
    an error about the whole of it (a family member listed twice) is shown at the top of its section.
    """

    heading: str | None
    fields: tuple[Field, ...]
    name: str | None = None


def with_hint(form: DecisionForm, name: str, hint: str) -> DecisionForm:
    """Return the form with the top-level field `name` given `hint` (one the page knows better than the model)."""
    return DecisionForm(tuple(replace(f, hint=hint) if f.name == name else f for f in form.fields))
