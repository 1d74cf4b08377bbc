"""A case's processes and their workflow ids, from the case store: what a practitioner acts on next.

The ids are what a decision, a status read and a disagreement take. Running and finished processes are
listed, oldest first, each with its stage and outcome; Temporal is not asked. Ids and codes only.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from safeguarding.codes import Process
from safeguarding.service.access import READS_CASES, Principal, require_case_reader, require_role
from safeguarding.service.errors import NotFound
from safeguarding.service.root import Services
from safeguarding.store.case_processes import list_case_processes
from safeguarding.store.cases import get_case_by_reference


class CaseProcess(BaseModel):
    """One process of a case, as its record stands."""

    model_config = ConfigDict(frozen=True)

    workflow_id: str
    process: Process
    stage: str
    outcome: str | None
    responsible_id: str | None
    started_at: datetime
    closed_at: datetime | None
    running: bool


class CaseProcesses(BaseModel):
    """A case (by reference), whether it is closed, and its processes, oldest first."""

    model_config = ConfigDict(frozen=True)

    case: str
    closed: bool
    processes: tuple[CaseProcess, ...]


async def case_processes(services: Services, principal: Principal, case_reference: str) -> CaseProcesses:
    """Return the case's processes to someone entitled to read the case; refuse an unknown case."""
    require_role(principal, "read_case", READS_CASES, target=case_reference)
    async with services.sessions() as session:
        case = await get_case_by_reference(case_reference, session=session)
        if case is None:
            raise NotFound(f"no case with reference {case_reference!r}")
        require_case_reader(principal, case["team_id"], target=case_reference)
        rows = await list_case_processes(case["id"], session=session)
    return CaseProcesses(
        case=case["reference"],
        closed=case["closed_at"] is not None,
        processes=tuple(CaseProcess.model_validate({**row, "running": row["closed_at"] is None}) for row in rows),
    )
