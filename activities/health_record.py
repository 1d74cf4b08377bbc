"""The health record, as safeguarding processes reach it: flag a child as vulnerable.

This is the integration point with the health record system. On a joint visit the health practitioner
flags the child as vulnerable in the health record (statutory-rules.md §3). Until a health record
interface is connected, the flag is kept in the case store's `health_record_flags` table, which stands in
for that system: connecting the real one changes this module and nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.case_store import unknown_case
from safeguarding.activity_names import ActivityName
from safeguarding.models import Flagged, HealthRecordFlag
from safeguarding.schema import health_record_flags
from safeguarding.store.cases import get_case


class HealthRecordActivities:
    """Activities on the health record, built around the session factory the worker creates at start-up."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @activity.defn(name=ActivityName.FLAG_VULNERABLE_CHILD)
    async def flag_vulnerable_child(self, request: HealthRecordFlag) -> Flagged:
        """Flag the case's child in the health record, once per workflow; return when it was first flagged."""
        async with self._sessionmaker.begin() as session:
            case = await get_case(request.case_id, session=session)
            if case is None:
                raise unknown_case(request.case_id)
            # One flag per workflow id: a retry or replay finds the first flag and reports its time.
            await session.execute(
                insert(health_record_flags)
                .values(
                    workflow_id=request.workflow_id,
                    case_id=request.case_id,
                    person_id=case["child_id"],
                    flag=request.flag,
                    flagged_at=datetime.now(UTC),
                )
                .on_conflict_do_nothing(index_elements=["workflow_id"])
            )
            flagged_at = (
                await session.execute(
                    select(health_record_flags.c.flagged_at).where(
                        health_record_flags.c.workflow_id == request.workflow_id
                    )
                )
            ).scalar_one()
        return Flagged(flagged_at=flagged_at)
