"""Pre-proceedings periods of the Public Law Outline and their family group decision-making offer (census §9).

One row per period of a case, keyed by the day it started: recording it again with what happened since
(the decision to step down or to issue, the court application) replaces the row, so a retried request, or
one with more to say, leaves one period.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import pre_proceedings


async def record_period(case_id: str, items: Mapping[str, Any], *, session: AsyncSession) -> RowMapping:
    """Record the case's pre-proceedings period starting `items["started_on"]`, or replace what it holds."""
    values = insert(pre_proceedings).values(case_id=case_id, **items)
    query = values.on_conflict_do_update(
        constraint="uq_pre_proceedings_case_started",
        set_={name: values.excluded[name] for name in items if name != "started_on"},
    ).returning(pre_proceedings)
    return (await session.execute(query)).mappings().one()
