"""The plans register's messages: start and end a child's CIN or CP plan (statutory-rules.md §3, §5, §9).

A CIN plan and a CP plan never overlap for the same child: starting a CP plan ends the child's open CIN
plan that day, and starting a CIN plan while a CP plan is open is refused. A CP plan records how many CP
plans the child had before (a census item, §9). Each plan is keyed by the workflow that started it and
its kind, so a retried or replayed activity starts or ends it once.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from safeguarding.codes import CpCategory, PlanKind
from safeguarding.models import Frozen, Id

PLAN_OVERLAP = "PlanOverlap"
"""The error type of a plan refused because the child already has an open plan it may not overlap."""
PLAN_NOT_FOUND = "PlanNotFound"
"""The error type of an end asked for a plan this workflow never started."""
SUPERSEDED_BY_CP_PLAN = "superseded_by_cp_plan"
"""The end reason recorded on a CIN plan ended because a CP plan started (§3: they never overlap)."""


class PlanStart(Frozen):
    """Start a plan of the case's child on `started_on`; a CP plan names its category (§5)."""

    case_id: Id
    workflow_id: str = Field(min_length=1)
    kind: PlanKind
    started_on: date
    category: CpCategory | None = None

    @model_validator(mode="after")
    def _category_only_for_cp(self) -> PlanStart:
        if self.kind is PlanKind.CP and self.category is None:
            raise ValueError("a child protection plan needs its category")
        if self.kind is PlanKind.CIN and self.category is not None:
            raise ValueError("a Child in Need plan has no category")
        return self


class PlanStarted(Frozen):
    """The plan started (or found started by this workflow before).

    `previous_plans` is the number of earlier CP plans of the child (census; always 0 for a CIN plan);
    `ended_cin` says whether starting this CP plan ended an open CIN plan.
    """

    plan_id: int
    previous_plans: int
    ended_cin: bool


class PlanEnd(Frozen):
    """End the plan this workflow started, on `ended_on`, with the reason recorded."""

    case_id: Id
    workflow_id: str = Field(min_length=1)
    kind: PlanKind
    ended_on: date
    reason: str = Field(min_length=1, max_length=200)


class PlanEnded(Frozen):
    """The plan ended; `ended_on` is the first recorded end (a retry does not move it)."""

    plan_id: int
    ended_on: date


class PlanCategoryReviewed(Frozen):
    """A review conference set the CP plan's category (the same or a new one): its latest category (census, §9)."""

    workflow_id: str = Field(min_length=1)
    category: CpCategory
