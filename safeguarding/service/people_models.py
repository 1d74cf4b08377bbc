"""What the people use cases take and give: a person's details, a search for a person, a change and its log.

These are the API's request and response schemas for people. Personal data travels in them only between the
case store and a practitioner entitled to it (`safeguarding.service.access`); it never reaches Temporal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from safeguarding.code_lists import Disabilities
from safeguarding.codes import CaseKind, Ethnicity, Sex, UpnUnknown
from safeguarding.models import AwareDatetime, Frozen
from safeguarding.service.fields import Address, BirthDate, Email, Name, NhsNumber, Phone, Reason, Reply, Upn
from safeguarding.store.person_search import MatchKind


class PersonDetails(Reply):
    """A person as the case store records them now."""

    person_id: str = Field(examples=["person-3f9a0c12b4d1"])
    given_name: str
    family_name: str
    date_of_birth: date | None
    expected_birth_date: date | None = Field(description="For an unborn child: when they are expected.")
    sex: Sex | None = Field(description="Census code (children).")
    ethnicity: Ethnicity | None = Field(description="Census code (children).")
    upn: str | None = Field(description="Unique Pupil Number.")
    former_upn: str | None = Field(description="A UPN the child had before (census).")
    upn_unknown: UpnUnknown | None = Field(description="Census code: why a child has no UPN.")
    disabilities: tuple[str, ...] | None = Field(
        description="Census codes (codes.Disability); NONE alone when the child has none; null until recorded."
    )
    date_of_death: date | None
    nhs_number: str | None
    address: str | None
    email: str | None
    phone: str | None
    updated_at: datetime = Field(
        description="When the record last changed: send it back as `expected_updated_at` with a change."
    )


class PersonCase(Reply):
    """A case a person is on, and how."""

    case_id: str
    reference: str
    team_id: str
    kind: CaseKind
    part: Literal["child", "family", "allegation_subject", "fgc_participant"] = Field(
        description="How they are on it: the child, a member of the child's family, the adult a LADO allegation "
        "is about, or a participant in a family group conference."
    )
    relationship: str | None = Field(description="A family member's relationship to the child.", examples=["mother"])


class PersonRecord(PersonDetails):
    """A person and the cases they are on (those the reader may see)."""

    cases: tuple[PersonCase, ...]


class PersonSearch(Frozen):
    """Who is being looked for: both names and the date of birth (or an unborn child's expected date)."""

    given_name: Name = Field(description="Given name, or its start (Sam finds Samantha).")
    family_name: Name = Field(description="Family name, or its start.", examples=["Fictional"])
    date_of_birth: date = Field(
        description="Date of birth, or an unborn child's expected date of birth.", examples=["2019-03-14"]
    )
    limit: int = Field(default=20, ge=1, le=100, description="How many candidates at most in this page.")
    offset: int = Field(default=0, ge=0, le=10_000, description="How many candidates to skip (earlier pages).")


class PersonMatch(Reply):
    """A candidate for the person looked for, and how well they match."""

    match: MatchKind = Field(
        description="exact; similar_names (same date, one name the start of the other); day_month_swapped; "
        "year_off_by_one; no_date_recorded (same names, no date of birth known)."
    )
    person_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    expected_birth_date: date | None


class PersonMatches(Reply):
    """One page of candidates, best match first."""

    matches: tuple[PersonMatch, ...]
    total: int = Field(description="How many candidates there are in all pages.")
    limit: int
    offset: int


class PersonChange(Frozen):
    """A correction of a person's details: only the fields given change; null clears a field that may be empty.

    `expected_updated_at` is the record's `updated_at` as the sender read it: if someone else changed the
    record since, the change is refused (409) and nothing is written, so no correction overwrites another
    unseen. Every field that changes is written to the change log with `reason`.
    """

    expected_updated_at: AwareDatetime = Field(description="The `updated_at` of the record as last read.")
    reason: Reason
    given_name: Name | None = None
    family_name: Name | None = None
    date_of_birth: BirthDate | None = None
    expected_birth_date: date | None = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    upn: Upn | None = None
    former_upn: Upn | None = None
    upn_unknown: UpnUnknown | None = Field(
        default=None, description="Census code: why a child has no UPN (UN1 under 6, ...); only without a UPN."
    )
    disabilities: Disabilities | None = Field(
        default=None, description="A child's disabilities, as the census codes them: one or more, or NONE alone."
    )
    date_of_death: BirthDate | None = Field(default=None, description="Not in the future, nor before their birth.")
    nhs_number: NhsNumber | None = None
    address: Address | None = None
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _names_stay(self) -> PersonChange:
        for name in ("given_name", "family_name"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be cleared: a person always has one")
        if not self.details():
            raise ValueError("say what changes: no field of the person is given")
        return self

    def details(self) -> dict[str, Any]:
        """Return the fields given, with their new values."""
        return {
            field: getattr(self, field)
            for field in self.model_fields_set
            if field not in ("expected_updated_at", "reason")
        }


class ChangeRecord(Reply):
    """One changed field: its old and new value (as text), who changed it, when and why."""

    field: str
    old_value: str | None
    new_value: str | None
    changed_by: str = Field(description="The practitioner who made the change.")
    changed_at: datetime
    reason: str | None


class ChangeLog(Reply):
    """Every change of one record, oldest first."""

    record_kind: str = Field(examples=["person"])
    record_id: str
    changes: tuple[ChangeRecord, ...]
