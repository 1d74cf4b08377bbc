"""A case's deadlines and a process's deadlines, as the case store holds them (statutory-rules.md §1).

Each deadline carries its rule, due date, the moment it passes, its state and the basis of its count in
plain English ("45 working days after the referral on ..."), so a practitioner can check it by hand.
Read by those who may read the case (`case_gate`).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from safeguarding.codes import DeadlineState, Process
from safeguarding.service.access import Principal
from safeguarding.service.case_gate import readable_case, readable_process
from safeguarding.service.root import Services
from safeguarding.store import deadlines as deadline_store


class DeadlineItem(BaseModel):
    """One statutory or local deadline of a process."""

    workflow_id: str
    process: Process
    key: str
    rule_id: str
    title: str
    due_date: date
    due_at: datetime | None = Field(description="Set for an hours clock: the moment it is due.")
    passes_at: datetime = Field(description="When it is missed: the end of its due date, or its due moment.")
    basis: str
    citation: str
    state: DeadlineState
    met_on: date | None
    reasons: str | None = Field(description="The reasons recorded for a late decision, if any.")
    responsible_id: str | None


class CaseDeadlines(BaseModel):
    """Every deadline of a case's processes, the one that passes first first."""

    case_id: str
    case_reference: str
    deadlines: list[DeadlineItem]


class ProcessDeadlines(BaseModel):
    """A process's deadlines, the one that passes first first."""

    workflow_id: str
    process: Process
    case_id: str
    case_reference: str
    deadlines: list[DeadlineItem]


async def list_case_deadlines(services: Services, principal: Principal, case_id: str) -> CaseDeadlines:
    """Return the deadlines of every process of the case, running and finished."""
    async with services.sessions() as session:
        case = await readable_case(principal, case_id, session=session)
        rows = await deadline_store.list_case_deadlines(case_id, session=session)
    return CaseDeadlines(
        case_id=case_id,
        case_reference=case["reference"],
        deadlines=[_item(row, Process(row["process"])) for row in rows],
    )


async def list_process_deadlines(services: Services, principal: Principal, workflow_id: str) -> ProcessDeadlines:
    """Return the deadlines of one process."""
    async with services.sessions() as session:
        record = await readable_process(principal, workflow_id, session=session)
        rows = await deadline_store.list_deadlines(workflow_id, session=session)
    process = Process(record["process"])
    return ProcessDeadlines(
        workflow_id=workflow_id,
        process=process,
        case_id=record["case_id"],
        case_reference=record["case_reference"],
        deadlines=[_item(row, process) for row in rows],
    )


def _item(row: RowMapping, process: Process) -> DeadlineItem:
    return DeadlineItem(
        workflow_id=row["workflow_id"],
        process=process,
        key=row["deadline_key"],
        rule_id=row["rule_id"],
        title=row["title"],
        due_date=row["due_date"],
        due_at=row["due_at"],
        passes_at=row["passes_at"],
        basis=row["basis"],
        citation=row["citation"],
        state=DeadlineState(row["state"]),
        met_on=row["met_on"],
        reasons=row["reasons"],
        responsible_id=row["responsible_id"],
    )
