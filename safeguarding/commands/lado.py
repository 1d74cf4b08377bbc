"""Commands of the LADO process, and what it exchanges with its activities (statutory-rules.md §6).

Every decision is the LADO's (or their manager's, covering): the LADO advises and records; the employer
acts (suspension, investigation, discipline) and the LADO records what the employer reports. No
command reaches the person the allegation is about: the LADO never contacts them. Ids and codes only:
the notification form's personal content stays in the case store (`safeguarding.store.lado`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from safeguarding.codes import BarringReferral, EmployerStrand, LadoNotifier, LadoOutcome, LadoRetention
from safeguarding.commands import Decision
from safeguarding.models import AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.process_state import ProcessCore

NO_DBS_GROUND = (LadoOutcome.FALSE, LadoOutcome.MALICIOUS, LadoOutcome.UNFOUNDED)
"""Outcomes that cannot ground a removal from regulated activity, so never a DBS referral (§6)."""
ONE_WEEK_OUTCOMES = (LadoOutcome.UNFOUNDED, LadoOutcome.MALICIOUS)
"""Outcomes measured against the 1-week target for clearly unfounded or malicious allegations (§6)."""
RESOLUTION_TARGETS = {
    "resolution_1_month": "lado_resolution_1_month",
    "resolution_3_months": "lado_resolution_3_months",
    "resolution_12_months": "lado_resolution_12_months",
}
"""The resolution targets every allegation that meets the harm test is measured against: deadline key -> rule id."""
ONE_WEEK_TARGET = ("resolution_unfounded", "lado_resolution_unfounded")
"""The target of a clearly unfounded or malicious allegation: deadline key, rule id."""


def lado_workflow_id(reference: str) -> str:
    """Return the workflow id of the LADO process on the allegation whose case reference is `reference`.

    Not `lado_id`: that is the LADO practitioner who took the notification (`LadoInput.lado_id`).
    """
    return f"lado-{reference}"


class LadoInput(Frozen):
    """Start the LADO's process on an allegation already recorded in the case store (`lado-<reference>`).

    `context.case_id` is the allegation's own case. The notification clock counts from
    `came_to_attention_at` (when the concern reached the employer) and is judged at `notified_at`.
    """

    context: ProcessContext
    came_to_attention_at: AwareDatetime
    notified_at: AwareDatetime
    notifier: LadoNotifier
    children: tuple[Id, ...] = Field(default=(), description="The cases of the children involved.")
    subject_is_teacher: bool = False
    lado_id: Id | None = Field(default=None, description="The LADO who took the notification; reminded.")
    carried: LadoCarried | None = None


class HarmLimb(Frozen):
    """One limb of the harm test: whether it is met, and why the LADO thinks so."""

    met: bool
    note: str = Field(min_length=1, max_length=2000)


class HarmTest(Frozen):
    """The four limbs of the harm test (§6); the test is met when any limb is."""

    harmed_a_child: HarmLimb = Field(description="Has harmed or may have harmed a child.")
    possible_offence: HarmLimb = Field(
        description="Possibly committed a criminal offence against or related to a child."
    )
    risk_of_harm: HarmLimb = Field(
        description="Behaved in a way that indicates they may pose a risk of harm to children."
    )
    unsuitable: HarmLimb = Field(description="May not be suitable to work with children (transferable risk).")

    @property
    def met(self) -> bool:
        """Return whether any limb is met."""
        return any(
            limb.met for limb in (self.harmed_a_child, self.possible_offence, self.risk_of_harm, self.unsuitable)
        )


class RespondToNotification(Decision):
    """The LADO responds to the notifier (rule `lado_response`): the employer must not investigate first."""

    advice: str = Field(min_length=1, max_length=4000)


class ConsiderAllegation(Decision):
    """The LADO's initial consideration against the harm test, and what follows from it (§6)."""

    harm_test: HarmTest
    advice_to_employer: str = Field(min_length=1, max_length=4000)
    low_level_concern: bool = Field(default=False, description="Harm test not met: handle as a low-level concern.")
    refer_to_childrens_social_care: tuple[Id, ...] = Field(
        default=(), description="The cases of the children at risk: each gets a strategy discussion."
    )
    refer_to_police: bool = False
    clearly_unfounded_or_malicious: bool = Field(
        default=False, description="Sets the 1-week resolution target (rule lado_resolution_unfounded)."
    )

    @model_validator(mode="after")
    def _follows_the_harm_test(self) -> ConsiderAllegation:
        if self.harm_test.met:
            if self.low_level_concern:
                raise ValueError("the harm test is met, so this is an allegation, not a low-level concern")
        elif self.refer_to_childrens_social_care or self.refer_to_police or self.clearly_unfounded_or_malicious:
            raise ValueError("the harm test is not met: nothing is referred; give advice or record a low-level concern")
        if len(set(self.refer_to_childrens_social_care)) != len(self.refer_to_childrens_social_care):
            raise ValueError("a child is referred once")
        return self


class RecordAllegationMeeting(Decision):
    """An allegation management meeting (the first) or a review meeting was held (effective_at is when)."""

    summary: str = Field(min_length=1, max_length=4000)


class RecordPoliceInvestigation(Decision):
    """The police investigation started (the case pauses) or ended (it resumes)."""

    under_way: bool


class RecordEmployerAction(Decision):
    """What the employer reports on one strand; suspension is never automatic (§6)."""

    strand: EmployerStrand
    report: str = Field(min_length=1, max_length=4000, description="What the employer did or decided.")
    suspended: bool | None = Field(default=None, description="Suspension strand: whether the person is suspended.")
    alternatives_considered: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _suspension_is_reasoned(self) -> RecordEmployerAction:
        if self.strand is EmployerStrand.SUSPENSION:
            if self.suspended is None:
                raise ValueError("record whether the person is suspended")
            if not (self.alternatives_considered and self.alternatives_considered.strip()):
                raise ValueError("suspension is not automatic: record the alternatives considered")
        elif self.suspended is not None or self.alternatives_considered is not None:
            raise ValueError("suspended and alternatives_considered belong to the suspension strand")
        return self


class RecordAllegationOutcome(Decision):
    """The outcome, with whether the employer removed (or would have removed) the person from regulated activity."""

    outcome: LadoOutcome
    removed_from_regulated_activity: bool = Field(
        description="Was, or would have been, removed from regulated activity because the harm test is met."
    )
    resigned: bool = Field(default=False, description="Resigning does not end the duty to refer to the DBS.")

    @model_validator(mode="after")
    def _removal_needs_a_ground(self) -> RecordAllegationOutcome:
        if self.removed_from_regulated_activity and self.outcome in NO_DBS_GROUND:
            raise ValueError(f"an allegation found {self.outcome} cannot ground a removal from regulated activity")
        return self


class RecordBarringReferral(Decision):
    """The referral to the DBS or the teaching regulator has been made."""

    referral: BarringReferral


class LadoResult(Frozen):
    """How the LADO's process ended."""

    outcome: str
    harm_test_met: bool
    referrals: tuple[BarringReferral, ...] = ()


class LadoState(BaseModel):
    """The LADO process's own state (beside the common `ProcessCore`), carried through continue-as-new."""

    responded: bool = False
    harm_test_met: bool | None = None
    police_investigation: bool = False
    meetings: int = 0
    outcome: LadoOutcome | None = None
    outcome_pending: bool = False
    referrals_required: list[BarringReferral] = Field(default_factory=list)
    referrals_made: list[BarringReferral] = Field(default_factory=list)
    strategy_discussions: dict[str, str] = Field(default_factory=dict)


class LadoCarried(Frozen):
    """All of a running LADO process, handed to its next run by continue-as-new."""

    core: ProcessCore
    state: LadoState


# -- what the process asks of the case store ------------------------------------------------------------


class ChildReferralRequest(Frozen):
    """Record that the LADO referred these children to children's social care, and return their cases."""

    allegation_case_id: Id
    child_case_ids: tuple[Id, ...]
    referred_at: AwareDatetime


class ChildReferral(Frozen):
    """A child referred: their case, its team, and the strategy discussion's workflow id."""

    case_id: str
    case_reference: str
    team_id: str
    strategy_discussion_workflow_id: str


class ChildReferrals(Frozen):
    """The children referred, in the order asked."""

    children: tuple[ChildReferral, ...]


class OutcomeRecord(Frozen):
    """Record the outcome; the retention date is worked out in the case store, from the person's date of birth."""

    case_id: Id
    workflow_id: str
    outcome: LadoOutcome
    decided_at: AwareDatetime
    dbs_referral_required: bool
    regulator_referral_required: bool
    normal_retirement_age: int


class OutcomeRecorded(Frozen):
    """What happens to the record: removed, or kept. The date stays in the case store: it can reveal the DOB."""

    retention: LadoRetention
    summary: str


LadoInput.model_rebuild()
