"""Commands of the child and family assessment and its joint visit (statutory-rules.md §3)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from safeguarding.code_lists import AssessmentFactors
from safeguarding.codes import AgeBand, AssessmentOutcome, ConsentState, LeadPractitioner, PrimaryNeed, Role
from safeguarding.commands import Decision
from safeguarding.joint_visits import health_role_for
from safeguarding.models import AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.named_practitioners import HealthPractitionerId, PractitionerId, SocialWorkerId
from safeguarding.process_state import ProcessCore


class AssessmentInput(Frozen):
    """Start an assessment. `referral_at` starts its 45 working days, not allocation (§3)."""

    context: ProcessContext
    referral_at: AwareDatetime
    contact_id: Id | None = None
    carried: AssessmentCarried | None = None


class Allocate(Decision):
    """The team manager allocates the assessment to a social worker."""

    social_worker_id: SocialWorkerId


class RecordChildSeen(Decision):
    """The social worker records that the child was seen (effective_at is when)."""


class RecordEmergencyAction(Decision):
    """Emergency action (e.g. a joint police investigation) started or ended: defers the joint visit."""

    under_way: bool


ASSESSMENT_ID_PREFIX = "assessment-"


def assessment_id(case_reference: str) -> str:
    """Return the workflow id of the case's first child and family assessment (one is open at a time).

    A later assessment of the case takes a suffixed id of its own (`store.process_ids`): find the case's
    running assessment in the case store, never by this id alone.
    """
    return f"{ASSESSMENT_ID_PREFIX}{case_reference}"


def joint_visit_id(case_reference: str) -> str:
    """Return the workflow id of the joint visit the case's first assessment starts (§3)."""
    return joint_visit_id_of(assessment_id(case_reference))


def joint_visit_id_of(assessment_workflow_id: str) -> str:
    """Return the workflow id of the joint visit assessment `assessment_workflow_id` starts (one each, §3).

    `assessment-EX-1` starts `joint-visit-EX-1`, a later `assessment-EX-1-2` starts `joint-visit-EX-1-2`.
    """
    return f"joint-visit-{assessment_workflow_id.removeprefix(ASSESSMENT_ID_PREFIX)}"


class TellEmergencyAction(Frozen):
    """Another process of the case tells its assessment that emergency action started or ended (§3).

    `update_id` makes the telling idempotent: a retried activity delivers the same Update, taken once.
    """

    assessment_workflow_id: Id
    update_id: str = Field(min_length=1, max_length=200)
    command: RecordEmergencyAction


class EmergencyActionTold(Frozen):
    """What came of telling: no assessment running on the case, or the assessment took it or refused it."""

    found: bool
    refusal: str | None = None


class SubmitAssessment(Decision):
    """The social worker submits the assessment to the manager with a recommended outcome."""

    recommended_outcome: AssessmentOutcome


class AssessmentFindings(Frozen):
    """What the authorised assessment found, for the case store's census items (§9); keyed by the assessment."""

    workflow_id: str = Field(min_length=1)
    case_id: Id
    primary_need: PrimaryNeed
    factors: AssessmentFactors


class ReturnAssessment(Decision):
    """The manager returns a submitted assessment for more work (rationale required)."""


class Authorise(Decision):
    """The manager authorises the assessment: its completion (§3). Past 45 working days, reasons are required.

    This is the Update as every running case may have recorded it: an authorisation recorded before the
    census findings were asked for has none, so here they are optional. A decision made now is an
    `AuthoriseWithFindings`, which requires them.
    """

    outcome: AssessmentOutcome
    primary_need: PrimaryNeed | None = Field(
        default=None, description="The child's primary need, as the Children in Need census codes it (§9)."
    )
    factors: AssessmentFactors | None = Field(
        default=None,
        description="The factors the assessment identified, as the census codes them (§9): 21 alone when none were.",
    )
    reasons_for_delay: str | None = Field(default=None, max_length=4000)
    family_consents_to_health_lead: bool | None = Field(
        default=None, description="For a Family Support Plan: the family agrees to the health practitioner leading."
    )

    @model_validator(mode="after")
    def _need_stated(self) -> Authorise:
        if self.primary_need is PrimaryNeed.NOT_STATED:
            raise ValueError(f"the assessment states the child's primary need: {PrimaryNeed.NOT_STATED} is not one")
        if (self.primary_need is None) != (self.factors is None):
            raise ValueError("the primary need and the factors identified are recorded together")
        return self


class AuthoriseWithFindings(Authorise):
    """The manager authorises the assessment with what it found: the child's primary need and the factors (§3, §9).

    The authorise decision as it is made now (the API, the console and the command line take this model);
    the census reads the findings (`assessment_findings`).
    """

    primary_need: PrimaryNeed = Field(
        description="The child's primary need, as the Children in Need census codes it (§9); N9 when not in need."
    )
    factors: AssessmentFactors = Field(
        description="The factors the assessment identified, as the census codes them (§9): 21 alone when none were."
    )


class JointVisitInput(Frozen):
    """Start the joint visit of an assessment for a child under 5 or unborn (§3)."""

    context: ProcessContext
    assessment_workflow_id: str
    social_worker_id: Id
    age_band: AgeBand

    @property
    def health_role(self) -> Role:
        """Return who joins from health: the midwife before birth, the health visitor after."""
        return health_role_for(self.age_band)


class RecordFamilyTold(Decision):
    """The family has been told a joint visit will be arranged."""


class RecordBackgroundReview(Decision):
    """The case record and chronology have been reviewed before the visit."""


class RecordPreMeet(Decision):
    """The pre-meet planned the visit; who knows the family decides the lead practitioner (§3)."""

    health_practitioner_id: HealthPractitionerId
    social_worker_knows_family: bool
    health_practitioner_knows_family: bool


class RecordVisit(Decision):
    """The joint visit took place; consent and information sharing were explained and recorded."""

    consent_explained: bool
    information_sharing_consent: ConsentState

    @model_validator(mode="after")
    def _consent_recorded(self) -> RecordVisit:
        if not self.consent_explained:
            raise ValueError("consent and information sharing must be explained at the visit")
        if self.information_sharing_consent not in (ConsentState.GIVEN, ConsentState.REFUSED):
            raise ValueError("record whether the family gave or refused consent to information sharing")
        return self


class DebriefAction(Frozen):
    """An action agreed at the debrief, with its owner."""

    description: str = Field(min_length=1, max_length=1000)
    owner_id: PractitionerId


class RecordDebrief(Decision):
    """The debrief agreed actions and owners, and who does a Graded Care Profile where neglect is the concern."""

    actions: tuple[DebriefAction, ...] = Field(min_length=1)
    neglect_concern: bool = False
    graded_care_profile_owner_id: PractitionerId | None = None

    @model_validator(mode="after")
    def _gcp_owner_when_neglect(self) -> RecordDebrief:
        if self.neglect_concern and not self.graded_care_profile_owner_id:
            raise ValueError("name who does the Graded Care Profile when neglect is the concern")
        return self


class JointVisitResult(Frozen):
    """What the joint visit gave the assessment."""

    lead: LeadPractitioner
    visited_at: datetime
    information_sharing_consent: ConsentState
    actions: int


class JointVisitStage(StrEnum):
    """Where the joint visit of an assessment stands."""

    NOT_NEEDED = "not_needed"
    DEFERRED = "deferred_for_emergency_action"
    UNDER_WAY = "under_way"
    DONE = "done"
    SKIPPED = "skipped"


class AssessmentState(BaseModel):
    """The assessment's own state (beside the common `ProcessCore`), carried through continue-as-new."""

    age_band: AgeBand | None = None
    social_worker_id: str | None = None
    child_seen_at: datetime | None = None
    emergency_under_way: bool = False
    joint_visit: JointVisitStage = JointVisitStage.NOT_NEEDED
    joint_visit_result: JointVisitResult | None = None
    recommended_outcome: AssessmentOutcome | None = None


class AssessmentCarried(Frozen):
    """All of a running assessment, handed to its next run by continue-as-new."""

    core: ProcessCore
    state: AssessmentState


AssessmentInput.model_rebuild()
