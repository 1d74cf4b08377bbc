"""Where a process stands, as the process itself says: for those entitled to read its case.

The process's own `status` query: process, case reference, stage, open human tasks, every deadline with
its rule id, due date, basis, state and the day it was met, the decisions made, and the facts of its kind
(`safeguarding.facts`). Ids and codes only; names stay in the case store. Who may read it is settled by the
process's team (statutory-rules.md §1: a manager sees each team's work; `access.require_case_reader`).
"""

from __future__ import annotations

from safeguarding.models import ProcessStatus
from safeguarding.service.access import READS_CASES, Principal, require_case_reader, require_role
from safeguarding.service.processes import process_of_status, process_on_record, query_status
from safeguarding.service.root import Services


async def process_status(services: Services, principal: Principal, workflow_id: str) -> ProcessStatus:
    """Return the process's `status`, once the principal is found entitled to read its case.

    A process on record is checked before it is asked; one too new to have a record is asked first (its
    answer names its case), and its answer is returned only to a reader of that case.
    """
    require_role(principal, "read_case", READS_CASES, target=workflow_id)
    on_record = await process_on_record(services, workflow_id)
    if on_record is not None:
        require_case_reader(principal, on_record.team_id, target=workflow_id)
    status = await query_status(services, workflow_id)
    if on_record is None:
        require_case_reader(principal, (await process_of_status(services, status)).team_id, target=workflow_id)
    return status
