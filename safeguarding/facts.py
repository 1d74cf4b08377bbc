"""What `status` tells about each process beyond its stage and deadlines: one typed model per process.

A process keeps its facts as the strings it has always kept (`ProcessCore.facts`), so continue-as-new state
and histories are unchanged; `status` turns them into the model of its process when it is queried
(`facts_for`). The models are a discriminated union on `process`, so a reader of `status` (the command line,
a test, later the API) gets dates as dates, counts as ints and codes as codes. A fact not known yet is None.
A key the model does not name (one an older version of a process set) is left out rather than failing the
query: `status` must answer for every running case. Ids and codes only, like every part of `status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator

from safeguarding.codes import (
    AgeBand,
    ConsentState,
    CpCategory,
    EmployerStrand,
    FgcConsentBasis,
    FgcReason,
    LadoOutcome,
    LadoRetention,
    LeadPractitioner,
    Process,
    StrategyReason,
)
from safeguarding.procedure_profile import IcpcAnchor


def _split(value: object) -> object:
    """Read a list the process keeps as one comma-separated string."""
    return tuple(part.strip() for part in value.split(",") if part.strip()) if isinstance(value, str) else value


class Facts(BaseModel):
    """Base of the facts models: frozen, and built from a process's string facts by `from_core`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    PROCESS: ClassVar[Process]

    @classmethod
    def from_core(cls, facts: Mapping[str, str]) -> Facts:
        """Return the typed facts of the process from the strings it keeps (`ProcessCore.facts`)."""
        return cls.model_validate({**facts, "process": cls.PROCESS})


class FrontDoorFacts(Facts):
    """The front door keeps no facts beyond its stage, deadlines and decision (statutory-rules.md §2)."""

    PROCESS = Process.FRONT_DOOR
    process: Literal[Process.FRONT_DOOR] = Process.FRONT_DOOR


class AssessmentFacts(Facts):
    """The child and family assessment (statutory-rules.md §3, §9)."""

    PROCESS = Process.ASSESSMENT
    process: Literal[Process.ASSESSMENT] = Process.ASSESSMENT
    age_band: AgeBand | None = None
    joint_visit: str | None = None
    """Where the joint visit stands (`commands.assessment.JointVisitStage`)."""
    lead_practitioner: LeadPractitioner | None = None
    census_closure_reason: str | None = None
    """The census closure code (RC8, RC9) of an outcome that closes the episode (§9)."""
    family_support_plan_lead: str | None = None
    """`health_practitioner`, or `early_help` (the early help team leads the plan)."""


class JointVisitFacts(Facts):
    """The joint visit of an assessment for a child under 5 or unborn (statutory-rules.md §3)."""

    PROCESS = Process.JOINT_VISIT
    process: Literal[Process.JOINT_VISIT] = Process.JOINT_VISIT
    lead_practitioner: LeadPractitioner | None = None
    health_practitioner_id: str | None = None
    information_sharing_consent: ConsentState | None = None
    graded_care_profile_owner_id: str | None = None


class StrategyDiscussionFacts(Facts):
    """The strategy discussion (statutory-rules.md §4)."""

    PROCESS = Process.STRATEGY_DISCUSSION
    process: Literal[Process.STRATEGY_DISCUSSION] = Process.STRATEGY_DISCUSSION
    reason: StrategyReason | None = None


class S47Facts(Facts):
    """The section 47 enquiry and the initial conference's target it shows (statutory-rules.md §4, §5)."""

    PROCESS = Process.S47_ENQUIRY
    process: Literal[Process.S47_ENQUIRY] = Process.S47_ENQUIRY
    first_discussion_at: datetime | None = None
    last_discussion_at: datetime | None = None
    s47_started_at: datetime | None = None
    joint_with_police: bool = False
    icpc_not_required: bool = False
    icpc_target_date: date | None = None
    icpc_target_basis: str | None = None


class InitialConferenceFacts(Facts):
    """The initial child protection conference and what its target is counted from (statutory-rules.md §5)."""

    PROCESS = Process.INITIAL_CONFERENCE
    process: Literal[Process.INITIAL_CONFERENCE] = Process.INITIAL_CONFERENCE
    first_discussion_at: datetime | None = None
    last_discussion_at: datetime | None = None
    s47_started_at: datetime | None = None
    icpc_anchor: IcpcAnchor | None = None
    icpc_target_date: date | None = None


class ChildProtectionPlanFacts(Facts):
    """The child protection plan (statutory-rules.md §5)."""

    PROCESS = Process.CP_PLAN
    process: Literal[Process.CP_PLAN] = Process.CP_PLAN
    category: CpCategory | None = None
    category_history: str | None = None
    """Each category with the day it was set, oldest first: `2026-12-01 NEG, 2027-03-02 EMO`."""
    core_group_members: tuple[str, ...] = ()
    lead_social_worker_id: str | None = None
    core_groups_held: int = 0
    reviews_held: int = 0
    runs: int = 1
    """The run of the plan: continue-as-new starts the next."""
    prebirth: bool = False
    two_years_flagged: bool = False
    two_years_on: date | None = None
    previous_plans: int | None = None
    born_on: date | None = None
    review_scheduled_at: datetime | None = None
    review_governed_by: str | None = None
    """The deadline key of the review that falls first."""
    stepped_down_to_cin: bool | None = None

    @field_validator("core_group_members", mode="before")
    @classmethod
    def _members(cls, value: object) -> object:
        return _split(value)


class LadoFacts(Facts):
    """The LADO process (statutory-rules.md §6). Ids and codes only: never the person's or the child's details."""

    PROCESS = Process.LADO
    process: Literal[Process.LADO] = Process.LADO
    harm_test: Literal["met", "not_met"] | None = None
    police_referral: Literal["made"] | None = None
    paused: str | None = None
    """Why the case is paused (a police investigation), while it is."""
    outcome: LadoOutcome | None = None
    retention: LadoRetention | None = None
    retention_basis: str | None = None
    dbs_referral: Literal["required", "not_required", "made"] | None = None
    regulator_referral: Literal["required", "not_required"] | None = None
    teaching_regulator_referral: Literal["made"] | None = None
    strategy_discussions: dict[str, str] = Field(default_factory=dict)
    """The strategy discussion started for each child, by the child's case reference."""
    employer: dict[EmployerStrand, str] = Field(default_factory=dict)
    """What the employer reported on each strand (`suspended`, `not_suspended`, `reported`)."""

    @classmethod
    def from_core(cls, facts: Mapping[str, str]) -> Facts:
        """Gather the per-child and per-strand facts (`strategy_discussion.<case ref>`, `employer.<strand>`)."""
        grouped: dict[str, Any] = {"strategy_discussions": {}, "employer": {}}
        for key, value in facts.items():
            prefix, _, rest = key.partition(".")
            if rest and prefix == "strategy_discussion":
                grouped["strategy_discussions"][rest] = value
            elif rest and prefix == "employer":
                grouped["employer"][rest] = value
            else:
                grouped[key] = value
        return cls.model_validate({**grouped, "process": cls.PROCESS})


class FgcFacts(Facts):
    """The family group conference (statutory-rules.md §7)."""

    PROCESS = Process.FGC
    process: Literal[Process.FGC] = Process.FGC
    reason: FgcReason | None = None
    source_workflow_id: str | None = None
    referrer_id: str | None = None
    urgent: bool = False
    consent: str | None = None
    """`given`, `refused`, or `withdrawn` later."""
    consent_basis: FgcConsentBasis | None = None
    consenting_person_id: str | None = None
    s31za_offer: str | None = None
    s31za_offer_made_on: date | None = None
    s31za_meeting_held_on: date | None = None
    coordinator_id: str | None = None
    split_conference: bool = False
    interpreters: tuple[str, ...] = ()
    plan_id: str | None = None
    plan_version: int | None = None
    agreed_plan_id: str | None = None
    plan_working: bool | None = None
    child_voice_entries: int = 0

    @field_validator("interpreters", mode="before")
    @classmethod
    def _languages(cls, value: object) -> object:
        return _split(value)


class DisagreementFacts(Facts):
    """A professional disagreement (statutory-rules.md §8)."""

    PROCESS = Process.DISAGREEMENT
    process: Literal[Process.DISAGREEMENT] = Process.DISAGREEMENT
    about_closed_at: datetime | None = None
    """When the process it is about had already closed, the moment it closed."""
    changed_to: str | None = None
    carried_out: str | None = None


ProcessFacts = Annotated[
    FrontDoorFacts
    | AssessmentFacts
    | JointVisitFacts
    | StrategyDiscussionFacts
    | S47Facts
    | InitialConferenceFacts
    | ChildProtectionPlanFacts
    | LadoFacts
    | FgcFacts
    | DisagreementFacts,
    Field(discriminator="process"),
]
"""The facts of any process, told apart by `process`."""

_BY_PROCESS: dict[Process, type[Facts]] = {kind.PROCESS: kind for kind in Facts.__subclasses__()}


def facts_for(process: Process, facts: Mapping[str, str]) -> ProcessFacts:
    """Return the typed facts of `process` from the strings it keeps."""
    return cast("ProcessFacts", _BY_PROCESS[process].from_core(facts))


F = TypeVar("F", bound=Facts)


def facts_of(kind: type[F], facts: Facts) -> F:
    """Return `facts` as the facts of `kind`, for a reader that knows which process it asked about."""
    if not isinstance(facts, kind):
        raise TypeError(f"expected the facts of a {kind.PROCESS} process, not of a {facts.PROCESS} one")
    return facts
