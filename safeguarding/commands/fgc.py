"""Commands of the family group conference (statutory-rules.md §7), and what its workflow starts with and returns.

The texts a family group conference produces — the referrer's questions and bottom lines, the family's
plan, the child's own words — are personal data. They arrive in these commands (the Update payload, which
the payload codec encrypts in the workflow history), go straight to the case store through an activity,
and the workflow keeps only the ids the store gives back. Participants are people (`people.id`) or
practitioners by id, with codes: never a name.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, model_validator

from safeguarding.codes import ConsentState, FgcMeetingStage, FgcOutcome, FgcParticipantKind, FgcReason
from safeguarding.commands import Decision
from safeguarding.models import AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.named_practitioners import FgcCoordinatorId, PractitionerId

Text = str
QUESTIONS = (3, 4)
"""The referrer sets 3–4 clear questions for the family (§7)."""
_FAMILY = (FgcParticipantKind.FAMILY_MEMBER, FgcParticipantKind.FRIEND, FgcParticipantKind.CHILD)


class FgcInput(Frozen):
    """Start a family group conference for a case: offered from another process, or before proceedings.

    `proposed_at` is when the conference was proposed (no decision may be dated earlier). For the
    s31ZA offer before proceedings, `offer_letter_at` is the letter before proceedings that made it.
    """

    context: ProcessContext
    proposed_at: AwareDatetime
    reason: FgcReason
    source_workflow_id: Id | None = None
    offer_letter_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _offer_only_before_proceedings(self) -> FgcInput:
        if (self.reason is FgcReason.PRE_PROCEEDINGS) != (self.offer_letter_at is not None):
            raise ValueError("offer_letter_at is given for, and only for, the offer before proceedings (s31ZA)")
        if self.reason is not FgcReason.PRE_PROCEEDINGS and self.source_workflow_id is None:
            raise ValueError(f"a conference offered from {self.reason} names the process it came from")
        return self


def fgc_workflow_id(case_reference: str, proposed_at: datetime) -> str:
    """Return the workflow id of the conference about `case_reference` proposed on `proposed_at`'s date."""
    return f"fgc-{case_reference}-{proposed_at.strftime('%Y%m%d')}"


class ReferToFgc(Decision):
    """The referrer sets 3–4 clear questions for the family and the authority's bottom lines."""

    questions: tuple[Text, ...] = Field(min_length=QUESTIONS[0], max_length=QUESTIONS[1])
    bottom_lines: tuple[Text, ...] = Field(min_length=1, max_length=10)
    urgent: bool = False

    @model_validator(mode="after")
    def _texts_are_clear(self) -> ReferToFgc:
        for text in (*self.questions, *self.bottom_lines):
            if not text.strip() or len(text) > 1000:
                raise ValueError("each question and bottom line is a clear sentence of at most 1000 characters")
        return self


class RecordFgcConsent(Decision):
    """A person with parental responsibility, or a competent young person of 16–17, consents or refuses.

    The case store says which the person is; the workflow never sees a date of birth.
    """

    person_id: Id
    consent: ConsentState = Field(description="given or refused")
    competence_confirmed: bool = Field(
        default=False, description="For a young person of 16–17: the referrer judges them competent to decide."
    )

    @model_validator(mode="after")
    def _given_or_refused(self) -> RecordFgcConsent:
        if self.consent not in (ConsentState.GIVEN, ConsentState.REFUSED):
            raise ValueError("consent to a family group conference is either given or refused")
        return self


class AgreeFgcReferral(Decision):
    """The referrer's manager agrees the referral, or not (with reasons)."""

    agreed: bool


class AllocateFgcCoordinator(Decision):
    """The manager allocates an independent coordinator: never the referrer or anyone deciding on the case."""

    coordinator_id: FgcCoordinatorId


class RecordFgcFirstContact(Decision):
    """The coordinator made first contact with the family."""


class RecordFgcBaselineMeeting(Decision):
    """The coordinator met the child and family and mapped the network."""


class FgcParticipant(Frozen):
    """One person invited, by id: a person of the case store (family, friend, child) or a practitioner."""

    kind: FgcParticipantKind
    person_id: Id | None = None
    practitioner_id: PractitionerId | None = None
    meeting: int = Field(default=1, ge=1, le=2, description="Which meeting of a split conference (1 or 2).")
    interpreter_language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$", description="ISO 639 code.")
    excluded_from_private_time: bool = False
    exclusion_reason: str | None = Field(default=None, max_length=1000)

    @property
    def key(self) -> str:
        """Return the participant's key: their kind of id, the id and the meeting."""
        who = f"person:{self.person_id}" if self.person_id else f"practitioner:{self.practitioner_id}"
        return f"{who}:{self.meeting}"

    @model_validator(mode="after")
    def _one_identity_and_reasons(self) -> FgcParticipant:
        if (self.person_id is None) == (self.practitioner_id is None):
            raise ValueError("a participant is either a person (person_id) or a practitioner (practitioner_id)")
        if self.kind in _FAMILY and self.person_id is None:
            raise ValueError(f"a {self.kind} is a person of the case store (person_id)")
        if self.kind is FgcParticipantKind.PROFESSIONAL and self.practitioner_id is None:
            raise ValueError("a professional is a practitioner (practitioner_id)")
        if self.excluded_from_private_time:
            if self.kind not in _FAMILY:
                raise ValueError("professionals leave private family time anyway; only family can be excluded")
            if not (self.exclusion_reason and self.exclusion_reason.strip()):
                raise ValueError("an exclusion from private family time needs its reason")
        return self


class InviteFgcParticipants(Decision):
    """The invitees, chosen with the family; a split conference where domestic abuse makes one meeting unsafe."""

    participants: tuple[FgcParticipant, ...] = Field(min_length=2, max_length=60)
    agreed_with_family: bool
    split_for_domestic_abuse: bool = False

    @model_validator(mode="after")
    def _a_workable_invitation(self) -> InviteFgcParticipants:
        if not self.agreed_with_family:
            raise ValueError("the family chooses who is invited: agree the invitees with the family")
        keys = [p.key for p in self.participants]
        if len(set(keys)) != len(keys):
            raise ValueError("a participant is invited once to each meeting")
        meetings = {p.meeting for p in self.participants}
        if meetings != ({1, 2} if self.split_for_domestic_abuse else {1}):
            raise ValueError("a split conference has meetings 1 and 2; a single conference only meeting 1")
        family = [p.person_id for p in self.participants if p.kind in _FAMILY]
        if len(set(family)) != len(family):
            raise ValueError("each family member attends one meeting only")
        for meeting in meetings:
            here = [p for p in self.participants if p.meeting == meeting]
            kinds = {p.kind for p in here}
            if not kinds & {FgcParticipantKind.FAMILY_MEMBER, FgcParticipantKind.CHILD}:
                raise ValueError(f"meeting {meeting} has no family member")
            if FgcParticipantKind.CHILD in kinds and FgcParticipantKind.ADVOCATE not in kinds:
                raise ValueError(f"the child attends meeting {meeting} with an advocate: invite one")
        return self


class FgcMeeting(Frozen):
    """When and where one meeting is held: a neutral venue (a family hub, say), never a home address."""

    meeting: int = Field(ge=1, le=2)
    at: AwareDatetime
    venue: str = Field(min_length=1, max_length=200)


class ArrangeFgcConference(Decision):
    """The venue and date of each meeting; this completes the preparation and sends the invitations."""

    meetings: tuple[FgcMeeting, ...] = Field(min_length=1, max_length=2)


class RecordFgcConferenceStage(Decision):
    """A stage of a meeting held: information sharing, then private family time (professionals leave)."""

    meeting: int = Field(default=1, ge=1, le=2)
    stage: FgcMeetingStage

    @model_validator(mode="after")
    def _held_stage(self) -> RecordFgcConferenceStage:
        if self.stage is FgcMeetingStage.PLAN_AGREEMENT:
            raise ValueError("the plan is shared and agreed with submit_fgc_plan and agree_fgc_plan")
        return self


class SubmitFgcPlan(Decision):
    """The family's plan, in the family's words, as the coordinator writes it down."""

    plan: str = Field(min_length=1, max_length=20000)


class AgreeFgcPlan(Decision):
    """The referrer agrees the family's plan unless it places the child at risk (then the reason is required)."""

    agreed: bool


class RecordFgcChildVoice(Decision):
    """The child's wishes and feelings, in their own words (directly, or through their advocate)."""

    words: str = Field(min_length=1, max_length=10000)
    through_advocate: bool = False


class RecordFgcReview(Decision):
    """The review meeting with the family: is the plan working?"""

    plan_working: bool


class WithdrawFgcConsent(Decision):
    """The family withdraws consent: the conference is voluntary, so the process closes."""

    person_id: Id


class FgcResult(Frozen):
    """How the family group conference ended, and the id of the agreed plan in the case store, if any."""

    outcome: FgcOutcome
    plan_id: int | None = None
    closed_at: datetime
