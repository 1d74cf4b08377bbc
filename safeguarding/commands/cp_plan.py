"""Commands of the child protection plan and its review conferences (statutory-rules.md §5)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, model_validator

from safeguarding.codes import CpCategory, PlanEndReason, ReviewOutcome
from safeguarding.commands import Decision
from safeguarding.commands.strategy_discussion import Dissent
from safeguarding.models import AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.process_state import ProcessCore
from safeguarding.working_days import local_date


class CpPlanInput(Frozen):
    """Start a child protection plan decided at an initial conference; the plan starts on the conference date (§5, §9).

    `invited_agency_team_ids` are the teams (by mailbox) told when the plan ends.
    """

    context: ProcessContext
    conference_workflow_id: Id
    icpc_held_at: AwareDatetime
    category: CpCategory
    lead_social_worker_id: Id
    core_group_member_ids: tuple[Id, ...] = Field(min_length=1)
    invited_agency_team_ids: tuple[Id, ...] = ()
    prebirth: bool = False
    carried: CpPlanCarried | None = None


class RecordCoreGroup(Decision):
    """A core group meeting was held (effective_at is when): meets the current core-group deadline, sets the next."""


class ScheduleReview(Decision):
    """Set (or move) the date of the next review conference; reports to parents fall due before it (§5)."""

    review_at: AwareDatetime


class RecordReviewReportsShared(Decision):
    """The reports for the scheduled review conference have been shared with the parents."""


class DecideReview(Decision):
    """The chair's decision at a review conference (effective_at is when it was held).

    Continuing, the chair states the category as reviewed (the same or a new one); ending, the child is no
    longer at continuing risk and the plan steps down to a Child in Need plan. Dissent is recorded.
    """

    outcome: ReviewOutcome
    category: CpCategory | None = None
    dissent: tuple[Dissent, ...] = ()

    @model_validator(mode="after")
    def _category_reviewed(self) -> DecideReview:
        if self.outcome is ReviewOutcome.CONTINUE and self.category is None:
            raise ValueError("continuing the plan, the chair states the category as reviewed (the same or a new one)")
        if self.outcome is ReviewOutcome.END and self.category is not None:
            raise ValueError("ending the plan, no category is set")
        return self


class RecordBirth(Decision):
    """A pre-birth plan's baby was born (effective_at is when): the review falls due sooner (§5)."""


ENDINGS_WITHOUT_CONFERENCE = (
    PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY,
    PlanEndReason.TURNED_18,
    PlanEndReason.DIED,
    PlanEndReason.LEFT_UK,
)


class EndWithoutConference(Decision):
    """A manager ends the plan without a conference, for one of the reasons §5 allows (rationale required).

    A move to another authority ends the plan only after that authority's transfer-in conference.
    """

    reason: PlanEndReason
    transfer_in_conference_on: date | None = None

    @model_validator(mode="after")
    def _reason_allowed(self) -> EndWithoutConference:
        if self.reason not in ENDINGS_WITHOUT_CONFERENCE:
            raise ValueError(
                f"a plan ends without a conference only when the child {', '.join(ENDINGS_WITHOUT_CONFERENCE)}"
            )
        moved = self.reason is PlanEndReason.MOVED_TO_ANOTHER_AUTHORITY
        if moved and self.transfer_in_conference_on is None:
            raise ValueError(
                "a move to another authority ends the plan after its transfer-in conference: give its date"
            )
        if not moved and self.transfer_in_conference_on is not None:
            raise ValueError("a transfer-in conference date is given only for a move to another authority")
        return self


class CategoryChange(Frozen):
    """The plan's category from a conference on: set at the initial conference, reviewed at each review."""

    on: date
    category: CpCategory
    decided_by: str


class CpPlanState(BaseModel):
    """The plan's own state (beside the common `ProcessCore`), carried whole through continue-as-new."""

    run: int = 1
    plan_id: int | None = None
    previous_plans: int | None = None
    category_history: list[CategoryChange] = Field(default_factory=list)
    core_group_member_ids: list[str] = Field(default_factory=list)
    core_groups_held: int = 0
    last_core_group_at: datetime | None = None
    reviews_held: int = 0
    last_review_at: datetime | None = None
    review_at: datetime | None = None
    reports_deadline_key: str | None = None
    reschedules: int = 0
    born_at: datetime | None = None
    two_years_flagged: bool = False
    ending_reason: PlanEndReason | None = None
    ending_at: datetime | None = None
    lead_social_worker_id: str | None = None
    """The lead social worker named by a reassignment; until one, the conference's (`CpPlanInput`)."""


class CpPlanCarried(Frozen):
    """All of a running plan, handed to its next run by continue-as-new."""

    core: ProcessCore
    state: CpPlanState


class CpPlanResult(Frozen):
    """How the plan ended: when, why, after how many reviews, and whether it stepped down to a CIN plan."""

    ended_on: date
    reason: PlanEndReason
    reviews_held: int
    stepped_down_to_cin: bool


def cp_plan_id(case_reference: str, icpc_held_at: datetime) -> str:
    """Return the workflow id of the plan decided at the initial conference of `icpc_held_at`."""
    return f"cp-plan-{case_reference}-{local_date(icpc_held_at).strftime('%Y%m%d')}"


CpPlanInput.model_rebuild()
