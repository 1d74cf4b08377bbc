"""What an authorised assessment found, for the Children in Need census (statutory-rules.md §3, §9).

One row per assessment process, written once: the authorisation is made once, so a retried or replayed
write finds the row and leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.schema import assessment_findings


async def record_findings(
    workflow_id: str, *, case_id: str, primary_need: str, factors: Sequence[str], session: AsyncSession
) -> None:
    """Record the assessment's primary need and factors, unless they are recorded already."""
    await session.execute(
        insert(assessment_findings)
        .values(workflow_id=workflow_id, case_id=case_id, primary_need=primary_need, factors=list(factors))
        .on_conflict_do_nothing(index_elements=[assessment_findings.c.workflow_id])
    )
