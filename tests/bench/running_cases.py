"""A manager's decision while hundreds of cases are running, beside a bare Update in the same conditions.

`running` front doors are started and left waiting for the manager's decision, as a busy authority's are,
with as many bare workflows waiting for their Update beside them; then `samples` of each are decided one
at a time, bare and ours taking turns: a sample is one Update's round trip as the client sees it, from
sending `decide_contact` (no further action) to the workflow's answer, which it gives once the decision
is recorded in the case store. More than `running` are started, so that `running` still run at the last.
"""

from __future__ import annotations

import asyncio
import uuid
from functools import partial

from sqlalchemy import func, select
from temporalio.client import WorkflowHandle

from safeguarding.codes import ContactOutcome, Role
from safeguarding.commands.front_door import DecideContact, FrontDoorResult
from safeguarding.schema import process_records
from tests.bench.bare import Approval, TrivialInput, TrivialWorkflow
from tests.bench.report import tail_lines, timed_ms
from tests.bench.scenarios import Rig, new_contact

STARTING_AT_ONCE = 50
"""Processes started at once while the cases are set up: enough to keep the worker busy, few enough to queue."""
SETTLE_SECONDS = 600
"""How long the running cases may take to settle before the benchmark gives up: a hang guard only."""


async def decision_latency(rig: Rig, bare_queue: str, *, running: int, samples: int) -> list[str]:
    """Start `running + samples` cases of each kind, time `samples` decisions of each; return the figures."""
    total = running + samples
    gate = asyncio.Semaphore(STARTING_AT_ONCE)

    async def front_door() -> WorkflowHandle:
        async with gate:
            front_door_input, workflow_id = await new_contact(rig)
            return await rig.ours.start_workflow(
                "FrontDoor",
                front_door_input,
                id=workflow_id,
                task_queue=rig.front_door_queue,
                result_type=FrontDoorResult,
            )

    async def bare() -> WorkflowHandle:
        async with gate:
            return await rig.bare.start_workflow(
                TrivialWorkflow.run, TrivialInput(activities=0), id=f"bench-{uuid.uuid4()}", task_queue=bare_queue
            )

    bare_ms: list[float] = []
    ours_ms: list[float] = []
    ours = await asyncio.gather(*(front_door() for _ in range(total)))
    bares = await asyncio.gather(*(bare() for _ in range(total)))
    try:
        await _settled(rig, ours)
        decision = DecideContact(
            actor=rig.actor(Role.TEAM_MANAGER, rig.team.team_manager_id),
            outcome=ContactOutcome.NFA_ADVICE,
            rationale="Advice given to the referrer; no further action.",
        )
        for bare_handle, our_handle in zip(bares[:samples], ours[:samples], strict=True):
            bare_ms.append(
                await timed_ms(partial(bare_handle.execute_update, "approve", Approval(approved_by="bench")))
            )
            ours_ms.append(await timed_ms(partial(our_handle.execute_update, "decide_contact", decision)))
    finally:
        await asyncio.gather(*(_end(handle) for handle in ours[len(ours_ms) :] + bares[len(bare_ms) :]))
        # The decided ones finish by themselves: their last notices and records run after the answer.
        await asyncio.gather(*(handle.result() for handle in ours[: len(ours_ms)] + bares[: len(bare_ms)]))
    return [
        f"decision_latency_running_cases={running}",
        *tail_lines("decision_latency", ours_ms, 99, bare_ms),
        *tail_lines("bare_update_latency", bare_ms, 99),
    ]


async def _settled(rig: Rig, handles: list[WorkflowHandle]) -> None:
    """Wait until every front door has recorded itself and has no task pending: it waits for a person."""
    ids = [handle.id for handle in handles]
    async with asyncio.timeout(SETTLE_SECONDS):
        while True:
            async with rig.sessionmaker() as session:
                query = select(func.count()).where(process_records.c.workflow_id.in_(ids))
                if (await session.execute(query)).scalar_one() == len(ids):
                    break
            await asyncio.sleep(1)
        pending = list(handles)
        while pending:
            idle = await asyncio.gather(*map(_idle, pending))
            pending = [handle for handle, done in zip(pending, idle, strict=True) if not done]
            if pending:
                await asyncio.sleep(1)


async def _idle(handle: WorkflowHandle) -> bool:
    raw = (await handle.describe()).raw_description
    return not raw.pending_activities and not raw.HasField("pending_workflow_task")


async def _end(handle: WorkflowHandle) -> None:
    """Terminate a case waiting for its decision: the benchmark is over, and the worker's cache is for the next."""
    await handle.terminate(reason="benchmark finished")
