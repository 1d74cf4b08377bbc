"""The gate of every read of one case: the case must exist, and the principal must be entitled to read it.

Entitlement is the case's team (`access.require_case_reader`): its own team's practitioners and the roles
that span teams read it; the partner agencies' practitioners and the administrators read no case.
"""

from __future__ import annotations

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.service.access import Principal, require_case_reader
from safeguarding.service.errors import NotFound
from safeguarding.service.ids import checked_id
from safeguarding.store.cases import get_case
from safeguarding.store.process_records import get_process_record


async def readable_case(principal: Principal, case_id: str, *, session: AsyncSession) -> RowMapping:
    """Return the case row; refuse (logged) a principal who may not read it, or say there is no such case."""
    case = await get_case(checked_id(case_id, "case_id"), session=session)
    if case is None:
        raise NotFound(f"no case {case_id!r}")
    require_case_reader(principal, case["team_id"], target=case_id)
    return case


async def readable_process(principal: Principal, workflow_id: str, *, session: AsyncSession) -> RowMapping:
    """Return the process's record (with `case_reference`), gated by its case's team as `readable_case` is."""
    record = await get_process_record(checked_id(workflow_id, "workflow_id"), session=session)
    if record is None:
        raise NotFound(f"no process {workflow_id!r}")
    await readable_case(principal, record["case_id"], session=session)
    return record
