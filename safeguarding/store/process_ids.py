"""Which workflow id a process of a kind takes on a case: the running one's, or a new one of its own.

A case has one assessment (one section 47 enquiry, one initial conference) at a time, but may have several in
its life: a child re-referred months after the first assessment closed is assessed again. The case store keys
a process's record, decisions and chronology by its workflow id, so a later process must never reuse an
earlier one's id, or it would overwrite that record (its start date, its history). The first process of a
kind keeps the id it always had (`assessment-<case ref>`); each later one takes the next suffix
(`assessment-<case ref>-2`, `-3`, ...). While one is open, its id is returned, so a second start joins it.

The choice is made under a lock on the case's row (`FOR NO KEY UPDATE`). A process just started has no record
until its first write; two starts racing then choose the same id, and Temporal refuses the second (it joins).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import Process
from safeguarding.schema import cases, process_records


async def process_id_on_case(case_id: str, process: Process, first_id: str, *, session: AsyncSession) -> str:
    """Return the id of the case's open `process`, else `first_id` for its first, else the next free suffix.

    `first_id` is the id the first process of the kind on the case takes (e.g. `assessment_id(reference)`).
    """
    # FOR NO KEY UPDATE: choices on one case wait for each other, but rows that merely refer to the case (a
    # process's record, a contact) are still written meanwhile.
    await session.execute(select(cases.c.id).where(cases.c.id == case_id).with_for_update(key_share=True))
    query = select(process_records.c.workflow_id, process_records.c.closed_at).where(
        process_records.c.case_id == case_id, process_records.c.process == str(process)
    )
    records = (await session.execute(query)).all()
    running = sorted(record.workflow_id for record in records if record.closed_at is None)
    if running:
        return running[0]
    taken = {record.workflow_id for record in records}
    if first_id not in taken:
        return first_id
    sequence = len(taken) + 1
    while f"{first_id}-{sequence}" in taken:
        sequence += 1
    return f"{first_id}-{sequence}"
