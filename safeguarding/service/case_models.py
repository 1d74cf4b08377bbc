"""What the case use cases take and give: a child and family registered and their case opened; a case read.

These are the API's request and response schemas for cases. A registration carries personal data into the case
store only; what comes back to start a process is ids and the case reference.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, model_validator

from safeguarding.code_lists import Disabilities
from safeguarding.codes import CaseKind, Ethnicity, Process, Sex, UpnUnknown
from safeguarding.models import Frozen, Id
from safeguarding.service.fields import Address, BirthDate, Email, Name, NhsNumber, Phone, Relationship, Reply, Upn
from safeguarding.service.people_models import PersonDetails

MOST_FAMILY_MEMBERS = 30


class NewChild(Frozen):
    """The child: born (a date of birth) or unborn (an expected date of birth), never both."""

    given_name: Name = Field(description="Given name (for an unborn child, the name the family uses, or Unborn).")
    family_name: Name = Field(examples=["Fictional"])
    date_of_birth: BirthDate | None = Field(default=None, description="Date of birth; not in the future.")
    expected_birth_date: date | None = Field(
        default=None,
        description="For an unborn child: the expected date of birth, from today to 10 months ahead.",
        examples=["2027-02-01"],
    )
    sex: Sex = Field(description="Census code: M, F or U (not known).")
    ethnicity: Ethnicity = Field(description="Census code; NOBT while not yet obtained, REFU when refused.")
    address: Address
    upn: Upn | None = Field(default=None, description="The Unique Pupil Number, when the child has one.")
    upn_unknown: UpnUnknown | None = Field(
        default=None, description="Census code: why the child has no UPN (UN1 under 6 or unborn, ...); not with one."
    )
    disabilities: Disabilities | None = Field(
        default=None,
        description="The child's disabilities, as the census codes them: one or more, or NONE alone; "
        "left out until known.",
    )
    nhs_number: NhsNumber | None = None

    @model_validator(mode="after")
    def _born_or_expected(self) -> NewChild:
        if (self.date_of_birth is None) == (self.expected_birth_date is None):
            raise ValueError(
                "give the date of birth, or for an unborn child the expected date of birth: exactly one of them"
            )
        if self.expected_birth_date is not None and (self.upn or self.nhs_number):
            raise ValueError("an unborn child has no UPN or NHS number yet")
        if self.upn and self.upn_unknown:
            raise ValueError("upn_unknown says why a child has no UPN: not both")
        return self


class NewFamilyMember(Frozen):
    """A member of the child's family not yet known to the case store."""

    given_name: Name
    family_name: Name = Field(examples=["Fictional"])
    date_of_birth: BirthDate | None = Field(default=None, description="Date of birth, if known; not in the future.")
    address: Address | None = None
    email: Email | None = None
    phone: Phone | None = None


class FamilyMember(Frozen):
    """A member of the child's family: someone new (`person`) or someone already known (`person_id`)."""

    person: NewFamilyMember | None = Field(default=None, description="Their details, when they are new.")
    person_id: Id | None = Field(default=None, description="Their id, when the case store knows them already.")
    relationship: Relationship
    parental_responsibility: bool = Field(
        description="Whether they hold parental responsibility for the child (Children Act 1989, s3): it decides "
        "who is asked for consent (statutory-rules.md §2, §7)."
    )

    @model_validator(mode="after")
    def _new_or_known(self) -> FamilyMember:
        if (self.person is None) == (self.person_id is None):
            raise ValueError("give the member's details (person) or the id of someone known (person_id): one of them")
        return self


class ChildRegistration(Frozen):
    """A child and their family registered, and the child's case opened.

    A child whose names and date of birth (or expected date) match someone already recorded is refused (409,
    naming the ids found), so that no child gets two records; send `confirm_new_person: true` once the match
    has been checked and is someone else.
    """

    child: NewChild
    family: tuple[FamilyMember, ...] = Field(default=(), max_length=MOST_FAMILY_MEMBERS)
    team_id: Id | None = Field(
        default=None,
        description="The team the case belongs to: only a role working across teams (EDT, service manager) names "
        "it; anyone else's case is their own team's.",
    )
    confirm_new_person: bool = Field(
        default=False, description="Register the child although someone with these names and date is recorded."
    )

    @model_validator(mode="after")
    def _each_member_once(self) -> ChildRegistration:
        known = [member.person_id for member in self.family if member.person_id is not None]
        if len(set(known)) != len(known):
            raise ValueError("a family member is listed once")
        return self


class RegisteredMember(Reply):
    """A family member as recorded on the case."""

    person_id: str
    relationship: str
    parental_responsibility: bool


class Registration(Reply):
    """What was recorded: the child, their family and the case, by id and reference."""

    case_id: str = Field(examples=["case-3f9a0c12b4d1"])
    reference: str = Field(description="The case reference, made from the profile's pattern.", examples=["EX-0008"])
    team_id: str
    child_id: str
    family: tuple[RegisteredMember, ...]


class CaseMember(Reply):
    """A member of the child's family on the case."""

    person: PersonDetails
    relationship: str
    parental_responsibility: bool


class CaseProcess(Reply):
    """A process the case has had, running or finished, as the case store records it."""

    workflow_id: str
    process: Process
    stage: str
    outcome: str | None
    responsible_id: str | None = Field(description="The practitioner who leads it.")
    started_at: datetime
    closed_at: datetime | None


class CaseRecord(Reply):
    """A case: the child, their family and the processes it has had."""

    case_id: str
    reference: str
    kind: CaseKind
    team_id: str
    allocated_practitioner_id: str | None
    opened_at: datetime
    closed_at: datetime | None
    closure_reason: str | None
    child: PersonDetails | None = Field(description="None on a LADO allegation's case, which has no child.")
    family: tuple[CaseMember, ...]
    processes: tuple[CaseProcess, ...]
