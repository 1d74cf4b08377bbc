"""The plans register: a child's CIN and CP plans, which never overlap (statutory-rules.md §3, §5, §9).

Plans belong to the child (a child may have more than one case over the years), so overlap and the
census count of previous CP plans are judged by child, not by case. A partial unique index keeps at most
one open plan per child; these functions check first so the refusal can say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import RowMapping, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import CpCategory, PlanKind
from safeguarding.schema import plans


async def get_plan(workflow_id: str, kind: PlanKind, *, session: AsyncSession) -> RowMapping | None:
    """Return the plan of `kind` that `workflow_id` started, or None."""
    query = select(plans).where(plans.c.workflow_id == workflow_id, plans.c.kind == str(kind))
    return (await session.execute(query)).mappings().one_or_none()


async def get_open_plan(child_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the child's open plan (CIN or CP), or None; there is never more than one."""
    query = select(plans).where(plans.c.child_id == child_id, plans.c.ended_on.is_(None)).with_for_update()
    return (await session.execute(query)).mappings().one_or_none()


async def count_cp_plans(child_id: str, *, session: AsyncSession) -> int:
    """Return how many CP plans the child has had (census: the number of previous plans, §9)."""
    query = select(func.count()).where(plans.c.child_id == child_id, plans.c.kind == str(PlanKind.CP))
    return (await session.execute(query)).scalar_one()


async def is_superseding(workflow_id: str, *, session: AsyncSession) -> bool:
    """Return whether the CP plan of `workflow_id` ended a CIN plan when it started."""
    query = select(func.count()).where(plans.c.superseded_by == workflow_id)
    return (await session.execute(query)).scalar_one() > 0


async def insert_plan(
    *,
    workflow_id: str,
    kind: PlanKind,
    case_id: str,
    child_id: str,
    started_on: date,
    category: CpCategory | None,
    previous_plans: int,
    session: AsyncSession,
) -> int:
    """Insert an open plan and return its id."""
    statement = (
        insert(plans)
        .values(
            workflow_id=workflow_id,
            kind=str(kind),
            case_id=case_id,
            child_id=child_id,
            started_on=started_on,
            category=str(category) if category else None,
            previous_plans=previous_plans,
        )
        .returning(plans.c.id)
    )
    return (await session.execute(statement)).scalar_one()


async def close_plan(
    plan_id: int, ended_on: date, reason: str, *, superseded_by: str | None = None, session: AsyncSession
) -> None:
    """End an open plan on `ended_on` with `reason` (a plan already ended keeps its first end)."""
    await session.execute(
        update(plans)
        .where(plans.c.id == plan_id, plans.c.ended_on.is_(None))
        .values(ended_on=ended_on, end_reason=reason, superseded_by=superseded_by)
    )


async def set_latest_category(workflow_id: str, category: CpCategory, *, session: AsyncSession) -> int | None:
    """Set the CP plan's latest category, as a review conference set it (census, §9); return its id, or None."""
    query = (
        update(plans)
        .where(plans.c.workflow_id == workflow_id, plans.c.kind == str(PlanKind.CP))
        .values(latest_category=str(category))
        .returning(plans.c.id)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_case_plans(case_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the plans started on the case, oldest first, open ones held against other changes."""
    query = select(plans).where(plans.c.case_id == case_id).order_by(plans.c.started_on, plans.c.id).with_for_update()
    return (await session.execute(query)).mappings().all()
