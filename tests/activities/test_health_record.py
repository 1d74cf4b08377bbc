"""Flagging a child in the health record (statutory-rules.md §3), against a real PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.health_record import HealthRecordActivities
from safeguarding.models import HealthRecordFlag
from safeguarding.schema import health_record_flags
from tests.factories import create_case

Sessionmaker = async_sessionmaker[AsyncSession]


async def test_the_child_is_flagged_once_however_often_the_workflow_asks(db: Sessionmaker) -> None:
    async with db.begin() as session:
        case = await create_case(session)
    flag = HealthRecordActivities(db).flag_vulnerable_child
    request = HealthRecordFlag(workflow_id=f"joint_visit-{case.reference}", case_id=case.case_id)

    first = await ActivityEnvironment().run(flag, request)
    again = await ActivityEnvironment().run(flag, request)

    async with db() as session:
        rows = (await session.execute(select(health_record_flags))).mappings().all()
    assert again.flagged_at == first.flagged_at
    assert [(row["person_id"], row["flag"], row["flagged_at"]) for row in rows] == [
        (case.child_id, "vulnerable_child", first.flagged_at)
    ]


async def test_flagging_the_child_of_an_unknown_case_is_a_non_retryable_error(db: Sessionmaker) -> None:
    request = HealthRecordFlag(workflow_id="joint_visit-REF-MISSING", case_id="case-missing")

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(HealthRecordActivities(db).flag_vulnerable_child, request)

    assert (raised.value.type, raised.value.non_retryable) == ("UnknownCase", True)
