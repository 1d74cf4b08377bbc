"""Commands of the front door (statutory-rules.md §2)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from safeguarding.codes import ConsentState, ContactOutcome, Process
from safeguarding.commands import Decision
from safeguarding.models import AwareDatetime, Frozen, Id, ProcessContext


class ConsentOverrideGround(StrEnum):
    """The only grounds on which consent may be overridden or not sought (§2)."""

    RISK_OF_SIGNIFICANT_HARM = "risk_of_significant_harm"
    UNDERMINE_CRIMINAL_INVESTIGATION = "undermine_criminal_investigation"


def front_door_id(contact_id: str) -> str:
    """Return the workflow id of the front door's handling of a contact (one per contact)."""
    return f"front-door-{contact_id}"


class FrontDoorInput(Frozen):
    """A contact received at the front door. `received_at` starts the referral clock."""

    context: ProcessContext
    contact_id: Id
    received_at: AwareDatetime


class RecordConsent(Decision):
    """Record whether those with parental responsibility consent to information gathering."""

    consent: ConsentState = Field(description="given or refused")


class OverrideConsent(Decision):
    """The manager decides to gather information without consent, with the reasons (§2)."""

    ground: ConsentOverrideGround


class DecideContact(Decision):
    """The day team manager's decision on the response to the referral (§2)."""

    outcome: ContactOutcome


class DecideOutOfHours(Decision):
    """The Emergency Duty Team's decision out of hours: immediate protection only; the rest waits."""

    outcome: ContactOutcome = ContactOutcome.IMMEDIATE_PROTECTION


class FrontDoorResult(Frozen):
    """How the front door ended, and where the case went."""

    outcome: ContactOutcome
    decided_at: datetime
    handed_to: Process | None = None
