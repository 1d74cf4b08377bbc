"""What the dev server and the worker spend on one search-attribute upsert and on one `workflow.patched`.

A lifecycle of ours does both where bare does neither (`tests.bench.lifecycle`): it upserts its stage and next
due date at each change, and each patch it meets records a marker and, added by the SDK's core, an upsert of
`TemporalChangeVersion`. Three kinds of `tests.bench.bare.StepsWorkflow` take the same activity
steps, plain, with an upsert before each, or with a patch before each, in turns, many at once; each command's
price is the processor time per workflow over the plain kind's, divided by the steps.
"""

from __future__ import annotations

import asyncio
import uuid

from temporalio.client import Client

from tests.bench.bare import Steps, StepsWorkflow
from tests.bench.cpu import NO_CPU, Cpu, cpu_by_process

STEPS = 8
KINDS = {"plain": Steps(STEPS), "upsert": Steps(STEPS, upsert=True), "patch": Steps(STEPS, patch=True)}


async def lines(client: Client, task_queue: str, *, workflows: int, concurrency: int, rounds: int = 2) -> list[str]:
    """Run `rounds` turns of `workflows` of each kind; return each command's processor time as figures."""
    used = dict.fromkeys(KINDS, NO_CPU)
    await _phase(client, task_queue, KINDS["plain"], concurrency, concurrency)  # untimed: the sandbox's first load
    for _ in range(rounds):
        for kind, steps in KINDS.items():
            used[kind] += await _phase(client, task_queue, steps, workflows, concurrency)
    per_step = {kind: _per_step(cpu - used["plain"], rounds * workflows) for kind, cpu in used.items()}
    return [
        f"{kind}_{part}_cpu_ms={per_step[kind][part]:.3g}"
        for kind in ("upsert", "patch")
        for part in ("server", "worker")
    ]


async def _phase(client: Client, task_queue: str, steps: Steps, workflows: int, concurrency: int) -> Cpu:
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            await client.execute_workflow(
                StepsWorkflow.run, steps, id=f"bench-steps-{uuid.uuid4()}", task_queue=task_queue
            )

    before = cpu_by_process()
    await asyncio.gather(*(one() for _ in range(workflows)))
    return Cpu.since(before)


def _per_step(extra: Cpu, workflows: int) -> dict[str, float]:
    """Milliseconds of processor time per command, the server's and this process's (the worker's)."""
    return {"server": 1000 * extra.server / workflows / STEPS, "worker": 1000 * extra.bench / workflows / STEPS}
