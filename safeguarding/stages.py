"""The stages of each process: one StrEnum per process, and the only place each stage is spelled.

A stage's value is what the case store, the search attribute `CaseStage`, the histories and `status` show:
never change a value once it has shipped; add a member instead. Every process also passes through the
shared stages (`SharedStage`), which the base of the processes sets. The disagreement's stages are the
profile's levels (`codes.DisagreementStage`).

A stage prints as its value (`repr` included), as the plain strings it replaces did, so a refusal that names
a stage reads the same whether the stage was set in this run or carried through continue-as-new.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Base of the stage enums: a stage's repr is its value's, as it was when stages were strings."""

    def __repr__(self) -> str:
        return repr(self.value)


class SharedStage(Stage):
    """Stages every process can reach."""

    DISPUTED = "disputed"
    """An outcome is disputed: the process waits until every dispute is resolved (statutory-rules.md §8)."""
    CLOSED = "closed"


class FrontDoorStage(Stage):
    """The front door's stages (statutory-rules.md §2): screened by day, or by the emergency duty team."""

    SCREENING = "screening"
    EDT = "edt"


class AssessmentStage(Stage):
    """The child and family assessment's stages (statutory-rules.md §3)."""

    ALLOCATION = "allocation"
    IN_PROGRESS = "in_progress"
    AUTHORISATION = "authorisation"


class JointVisitStep(Stage):
    """The joint visit's steps, in order (statutory-rules.md §3); then each reports to their own manager.

    Named a step because `commands.assessment.JointVisitStage` is the assessment's view of the visit.
    """

    TELL_FAMILY = "tell_family"
    BACKGROUND_REVIEW = "background_review"
    PRE_MEET = "pre_meet"
    VISIT = "visit"
    DEBRIEF = "debrief"
    REPORTING = "reporting"


class StrategyDiscussionStage(Stage):
    """The strategy discussion's stages (statutory-rules.md §4): held, then its record circulated."""

    DISCUSSION = "discussion"
    CIRCULATION = "circulation"


class S47Stage(Stage):
    """The section 47 enquiry's stage (statutory-rules.md §4)."""

    ENQUIRY = "enquiry"


class InitialConferenceStage(Stage):
    """The initial child protection conference's stages (statutory-rules.md §5)."""

    SCHEDULING = "scheduling"
    SCHEDULED = "scheduled"


class CpPlanStage(Stage):
    """The child protection plan's stages (statutory-rules.md §5)."""

    ACTIVE = "active"
    ENDING = "ending"


class LadoStage(Stage):
    """The LADO process's stages (statutory-rules.md §6); paused while the police investigate."""

    INITIAL_CONSIDERATION = "initial_consideration"
    ALLEGATION_MANAGEMENT = "allegation_management"
    PAUSED = "paused_police_investigation"
    REFERRALS = "referrals"


class FgcStage(Stage):
    """The family group conference's stages (statutory-rules.md §7)."""

    REFERRAL = "referral"
    ALLOCATION = "allocation"
    PREPARATION = "preparation"
    CONFERENCE = "conference"
    PLAN_AGREEMENT = "plan_agreement"
    PLAN_REVISION = "plan_revision"
    REVIEW = "review"
