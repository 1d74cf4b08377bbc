"""What the administration use cases take and give: teams, practitioners, their roles and teams.

These are the API's request and response schemas for administration. Every change is written to the change
log with the administrator who made it and the reason given.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from safeguarding.codes import Agency, Role
from safeguarding.models import Frozen, Id
from safeguarding.service.fields import Email, Name, Phone, Reason, Reply

TeamName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\t\n\r]*$"),
    Field(description="The team's name, as people know it.", examples=["North Assessment Team"]),
]


class NewTeam(Frozen):
    """A team to create."""

    team_id: Id | None = Field(
        default=None,
        description="The team's id, if chosen (a code, never a name); made up if not.",
        examples=["team-north"],
    )
    name: TeamName
    mailbox: Email | None = Field(default=None, description="The team's shared address.")
    service_manager_id: Id | None = Field(
        default=None, description="The service manager escalations reach: an active service manager or LADO manager."
    )
    reason: Reason | None = None


class TeamChange(Frozen):
    """A change of a team: only the fields given change; null clears the mailbox or the service manager."""

    reason: Reason
    name: TeamName | None = None
    mailbox: Email | None = None
    service_manager_id: Id | None = None

    @model_validator(mode="after")
    def _something_changes(self) -> TeamChange:
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be cleared: a team always has one")
        if not self.details():
            raise ValueError("say what changes: name, mailbox or service_manager_id")
        return self

    def details(self) -> dict[str, Any]:
        """Return the fields given, with their new values."""
        return {field: getattr(self, field) for field in self.model_fields_set if field != "reason"}


class TeamRecord(Reply):
    """A team."""

    team_id: str
    name: str
    mailbox: str | None
    service_manager_id: str | None
    created_at: datetime


class TeamList(Reply):
    """Every team, by name."""

    teams: tuple[TeamRecord, ...]


SsoSubject = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=320, pattern=r"^[^\x00-\x1f\x7f]*$"),
    Field(
        description="The value of the single sign-on claim (SAFEGUARDING_OIDC_SUBJECT_CLAIM) that stands for them.",
        examples=["sam.example@council.example"],
    ),
]


class NewPractitioner(Frozen):
    """A practitioner to record: who they are, their role and their team."""

    practitioner_id: Id | None = Field(
        default=None,
        description="Their id, if chosen (a code, never a name); made up if not.",
        examples=["prac-north-sw1"],
    )
    given_name: Name
    family_name: Name = Field(examples=["Example-Socialworker"])
    email: Email = Field(description="Where their reminders and alerts go.", examples=["sam@example.invalid"])
    phone: Phone | None = None
    role: Role
    agency: Agency = Field(default=Agency.SOCIAL_CARE, description="The agency they work for.")
    team_id: Id
    sso_subject: SsoSubject | None = None
    reason: Reason | None = None


class PractitionerChange(Frozen):
    """A practitioner's new role, new team, or who they are at the council's single sign-on."""

    reason: Reason
    role: Role | None = None
    team_id: Id | None = None
    sso_subject: SsoSubject | None = None

    @model_validator(mode="after")
    def _something_changes(self) -> PractitionerChange:
        if self.role is None and self.team_id is None and self.sso_subject is None:
            raise ValueError("say what changes: role, team_id, sso_subject or more than one")
        return self


class Deactivation(Frozen):
    """Why a practitioner stops acting (they left, or moved to another authority)."""

    reason: Reason


class PractitionerRecord(Reply):
    """A practitioner as the case store knows them now."""

    practitioner_id: str
    given_name: str
    family_name: str
    email: str
    phone: str | None
    role: Role
    agency: Agency
    team_id: str
    active: bool
    sso_subject: str | None = None
    created_at: datetime


class PractitionerList(Reply):
    """Practitioners, by team and name."""

    practitioners: tuple[PractitionerRecord, ...]
