"""The largest workflow history a simulated year made, against Temporal's limit of 51,200 events per run.

The time-skipping server the simulation runs on has no visibility list (ListWorkflowExecutions is
unimplemented there), so the runs are found from the case store instead: every process records its
workflow id (`process_records`), and a run that continued as new (a plan at each review) names the run
before it in its first event. Every run of every process is therefore read, not only the latest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from safeguarding.schema import process_records

AT_ONCE = 8
"""Histories fetched at a time: enough to keep the server busy, few enough not to starve the worker."""


async def recorded_workflow_ids(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    """Return the workflow id of every process the case store holds a record of."""
    async with sessionmaker() as session:
        return list((await session.scalars(select(process_records.c.workflow_id))).all())


async def largest_history(client: Client, workflow_ids: Sequence[str]) -> tuple[int, str]:
    """Return the most events of one run among every run of `workflow_ids`, and that workflow's id."""
    limit = asyncio.Semaphore(AT_ONCE)

    async def most_of_its_runs(workflow_id: str) -> int:
        most, run_id = 0, None
        while True:
            async with limit:
                history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
            most = max(most, len(history.events))
            started = history.events[0].workflow_execution_started_event_attributes
            if not started.continued_execution_run_id:
                return most
            run_id = started.continued_execution_run_id

    sizes = await asyncio.gather(*(most_of_its_runs(workflow_id) for workflow_id in workflow_ids))
    return max(zip(sizes, workflow_ids, strict=True), default=(0, ""))
