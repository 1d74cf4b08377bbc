"""The plans register as processes use it: start and end a child's CIN or CP plan (statutory-rules.md §3, §5).

Each method owns its transaction and is idempotent by (workflow id, plan kind): a retry or replay finds
the plan it started or ended and reports it again. A refusal that retrying cannot change (the child
already has a plan this one may not overlap; no such plan to end) is a non-retryable application error;
an overlap is an expected answer (a benign error: the worker logs it without a stack at its level).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.case_store import unknown_case
from safeguarding.activity_names import ActivityName
from safeguarding.codes import PlanKind
from safeguarding.plans import (
    PLAN_NOT_FOUND,
    PLAN_OVERLAP,
    SUPERSEDED_BY_CP_PLAN,
    PlanCategoryReviewed,
    PlanEnd,
    PlanEnded,
    PlanStart,
    PlanStarted,
)
from safeguarding.store import plans
from safeguarding.store.cases import get_case


class PlanActivities:
    """Activities over the plans register, built around the session factory the worker creates at start-up."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @activity.defn(name=ActivityName.START_PLAN)
    async def start_plan(self, start: PlanStart) -> PlanStarted:
        """Start the plan; a CP plan ends the child's open CIN plan that day and counts the child's earlier CP plans.

        Refused (type `PlanOverlap`) when the child already has an open CP plan, or an open CIN plan and
        this is another CIN plan: plans of one child never overlap (§3, §5).
        """
        async with self._sessionmaker.begin() as session:
            existing = await plans.get_plan(start.workflow_id, start.kind, session=session)
            if existing is not None:
                ended_cin = start.kind is PlanKind.CP and await plans.is_superseding(start.workflow_id, session=session)
                return PlanStarted(
                    plan_id=existing["id"], previous_plans=existing["previous_plans"], ended_cin=ended_cin
                )
            case = await get_case(start.case_id, session=session)
            if case is None:
                raise unknown_case(start.case_id)
            child_id = case["child_id"]
            open_plan = await plans.get_open_plan(child_id, session=session)
            ended_cin = False
            if open_plan is not None:
                if not (start.kind is PlanKind.CP and open_plan["kind"] == PlanKind.CIN):
                    raise _overlap(start, open_plan["kind"], open_plan["workflow_id"])
                ended_on = max(start.started_on, open_plan["started_on"])
                await plans.close_plan(
                    open_plan["id"], ended_on, SUPERSEDED_BY_CP_PLAN, superseded_by=start.workflow_id, session=session
                )
                ended_cin = True
            previous = await plans.count_cp_plans(child_id, session=session) if start.kind is PlanKind.CP else 0
            plan_id = await plans.insert_plan(
                workflow_id=start.workflow_id,
                kind=start.kind,
                case_id=start.case_id,
                child_id=child_id,
                started_on=start.started_on,
                category=start.category,
                previous_plans=previous,
                session=session,
            )
        activity.logger.info("plan %s started: %s of case %s", plan_id, start.kind, start.case_id)
        return PlanStarted(plan_id=plan_id, previous_plans=previous, ended_cin=ended_cin)

    @activity.defn(name=ActivityName.END_PLAN)
    async def end_plan(self, end: PlanEnd) -> PlanEnded:
        """End the plan this workflow started, with its reason; a plan already ended keeps its first end."""
        async with self._sessionmaker.begin() as session:
            plan = await plans.get_plan(end.workflow_id, end.kind, session=session)
            if plan is None:
                raise ApplicationError(
                    f"{end.workflow_id} has no {end.kind} plan to end", type=PLAN_NOT_FOUND, non_retryable=True
                )
            if plan["ended_on"] is not None:
                return PlanEnded(plan_id=plan["id"], ended_on=plan["ended_on"])
            if end.ended_on < plan["started_on"]:
                raise ApplicationError(
                    f"plan {plan['id']} cannot end on {end.ended_on}, before it started on {plan['started_on']}",
                    type="PlanEndBeforeStart",
                    non_retryable=True,
                )
            await plans.close_plan(plan["id"], end.ended_on, end.reason, session=session)
        return PlanEnded(plan_id=plan["id"], ended_on=end.ended_on)

    @activity.defn(name=ActivityName.RECORD_PLAN_CATEGORY)
    async def record_plan_category(self, reviewed: PlanCategoryReviewed) -> None:
        """Set the CP plan's latest category as its review set it (census, §9); the same again changes nothing."""
        async with self._sessionmaker.begin() as session:
            plan_id = await plans.set_latest_category(reviewed.workflow_id, reviewed.category, session=session)
        if plan_id is None:
            raise ApplicationError(
                f"{reviewed.workflow_id} has no child protection plan to review",
                type=PLAN_NOT_FOUND,
                non_retryable=True,
            )


def _overlap(start: PlanStart, open_kind: str, open_workflow_id: str) -> ApplicationError:
    return ApplicationError(
        f"case {start.case_id}: the child already has an open {open_kind} plan ({open_workflow_id}); "
        f"a {start.kind} plan may not overlap it",
        type=PLAN_OVERLAP,
        non_retryable=True,
        category=ApplicationErrorCategory.BENIGN,
    )
