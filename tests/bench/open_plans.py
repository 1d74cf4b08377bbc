"""Resident memory of a worker holding open child protection plans in its sticky cache, and what a smaller cache costs.

A worker of its own (`tests.bench.plan_worker`, a child process) runs the real workflows with a sticky
cache large enough for every plan, so that each open plan stays in memory between its tasks, as in a
worker sized to hold them all. Plans are opened on its task queue, each for a case of its own written in
bulk, `BATCH` at a time: a batch is started, then waited for until every plan in it has settled (recorded
in the case store, no activity and no workflow task pending: it waits on its timers for its core group),
and only then is the next batch started. At each size asked for, the worker's resident set (VmRSS) is read
from /proc and the workflows in its cache from its metrics. The figure per 1,000 plans is the growth from
the resident set after a few warm-up plans (its imports and first sandboxes made) to the largest size.

Started all at once instead, the plans' first workflow tasks queued by the thousand: with a hundred of them
in the worker at a time on a busy 2-core machine each took longer than the server's 10 seconds, timed out
and was done again, and the dev server's store timed out its writes. Batches keep the work in flight to
what the worker can take, so the time grows with the plans and nothing is done twice.

What the cache trades: a second worker with a smaller cache (`small_cache`, 500 in `make bench`) takes
over the same task queue and reads the `status` of twice as many plans as it holds, one after another;
each read of a plan it does not hold makes it fetch the plan's history and replay it, and the plan
replayed pushes out the one read longest ago. Its resident set then stays at what that many plans need,
however many are open. The price is the read of a plan pushed out, timed against the read of one still
held, taking turns: `worker_query_evicted_ratio_to_cached`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select
from temporalio.client import Client, WorkflowExecutionStatus

from safeguarding.codes import CpCategory
from safeguarding.commands.conference import initial_conference_id
from safeguarding.commands.cp_plan import CpPlanInput, CpPlanResult, cp_plan_id
from safeguarding.models import ProcessContext, ProcessStatus
from safeguarding.schema import cases, people, process_records
from safeguarding.working_days import LONDON
from tests.bench.parts import free_port
from tests.bench.plan_worker import METRICS_HOST
from tests.bench.report import median, tail_lines, timed_ms
from tests.bench.scenarios import Rig
from tests.workflows.time_control import last_working_day_at

WARM_UP_PLANS = 10
BATCH = 50
"""Plans started before the bench waits for them to settle. Each brings its workflow tasks at once, and the
worker takes up to a hundred at a time (the SDK's default, as in production): a batch of 100 made some last
9 seconds on a busy 2-core machine, near the server's 10-second timeout; 50 keep them under 5."""
POLL_SECONDS = 0.5
AT_ONCE = 20
"""Starts, descriptions, queries and terminations in flight at a time."""
BATCH_SECONDS = 600
"""How long one batch may take to settle before the benchmark gives up: a hang guard only."""
CACHE_SIZE = "temporal_sticky_cache_size"
TAIL = 95


@dataclass(frozen=True)
class PlanWorker:
    """The worker's process id and the port of its metrics."""

    pid: int
    metrics_port: int

    def rss_mb(self) -> float:
        """Return the process's resident set in megabytes (VmRSS, which /proc gives in kB)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for process {self.pid}")

    async def cached(self) -> int:
        """Return how many workflows the worker's sticky cache holds (the Temporal core's own gauge)."""
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://{METRICS_HOST}:{self.metrics_port}/metrics")
        response.raise_for_status()
        values = [
            float(line.rsplit(" ", 1)[1])
            for line in response.text.splitlines()
            if line.startswith((CACHE_SIZE + "{", CACHE_SIZE + " "))
        ]
        if not values:
            raise RuntimeError(f"the plan worker reports no {CACHE_SIZE}")
        return round(sum(values))


async def worker_rss(
    rig: Rig,
    *,
    target_host: str,
    namespace: str,
    database_url: str,
    smtp_port: int,
    key: bytes,
    proof_key: bytes,
    profile: Path,
    sizes: Sequence[int],
    small_cache: int,
    queries: int,
) -> list[str]:
    """Open plans up to each of `sizes` on a worker of their own; return its memory at each, then a smaller cache's."""
    task_queue = f"bench-plans-{uuid.uuid4()}"
    spec: dict[str, Any] = {
        "target_host": target_host,
        "namespace": namespace,
        "database_url": database_url,
        "smtp_port": smtp_port,
        "key": key.hex(),
        "proof_key": proof_key.hex(),
        "profile": str(profile),
        "task_queue": task_queue,
    }
    largest = max(sizes)
    cache = largest + WARM_UP_PLANS
    small_cache = min(small_cache, largest // 2)  # it is read twice over: as many plans must be open
    if small_cache < 2:
        raise ValueError("the smaller cache's reads need at least 4 open plans")
    ids: list[str] = []
    try:
        async with _plan_worker(spec, cache) as worker:
            ids += await _open_plans(rig, task_queue, WARM_UP_PLANS)
            base = worker.rss_mb()
            figures = [f"worker_max_cached_workflows={cache}", f"worker_rss_mb_base={base:.1f}"]
            started = time.perf_counter()
            for size in sorted(sizes):
                ids += await _open_plans(rig, task_queue, size + WARM_UP_PLANS - len(ids))
                rss = worker.rss_mb()
                print(f"{size} open plans: {rss:.1f} MB, {time.perf_counter() - started:.0f} s", file=sys.stderr)
                figures.append(f"worker_rss_mb_at_{size}_open_plans={rss:.1f}")
            seconds = time.perf_counter() - started
            figures += [
                f"worker_cached_workflows={await worker.cached()}",
                f"worker_rss_mb_per_1000_open_plans={(rss - base) / largest * 1000:.1f}",
                f"worker_plans_opened_per_s={largest / seconds:.2f}",
            ]
        started = time.perf_counter()
        async with _plan_worker(spec, small_cache) as worker:
            figures += await _smaller_cache(rig, worker, ids[WARM_UP_PLANS:], small_cache, queries)
        print(f"a cache of {small_cache}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return figures
    finally:
        started = time.perf_counter()
        await _end(rig.ours, ids)
        print(f"{len(ids)} plans terminated: {time.perf_counter() - started:.0f} s", file=sys.stderr)


@contextlib.asynccontextmanager
async def _plan_worker(spec: dict[str, Any], cache: int) -> AsyncIterator[PlanWorker]:
    """Run `tests.bench.plan_worker` with a sticky cache of `cache` workflows until the context is left."""
    metrics_port = free_port()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.bench.plan_worker", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write(json.dumps({**spec, "max_cached_workflows": cache, "metrics_port": metrics_port}).encode())
        child.stdin.write(b"\n")
        await child.stdin.drain()
        if (await child.stdout.readline()).strip() != b"ready":
            raise RuntimeError("the plan worker did not start")
        yield PlanWorker(child.pid, metrics_port)
    finally:
        child.stdin.close()
        await child.wait()


async def _open_plans(rig: Rig, task_queue: str, count: int) -> list[str]:
    """Open `count` plans, `BATCH` at a time, each batch settled before the next starts; return their ids."""
    ids: list[str] = []
    while len(ids) < count:
        batch = await _start_plans(rig, task_queue, min(BATCH, count - len(ids)))
        async with asyncio.timeout(BATCH_SECONDS):
            await _settled(rig, batch)
        ids += batch
    return ids


async def _start_plans(rig: Rig, task_queue: str, count: int) -> list[str]:
    """Write `count` children and cases in bulk, then start a plan for each, `AT_ONCE` at a time."""
    held_at = last_working_day_at(datetime.now(LONDON), rig.calendar)
    keys = [uuid.uuid4().hex[:12] for _ in range(count)]
    async with rig.sessionmaker.begin() as session:
        await session.execute(
            insert(people),
            [
                {
                    "id": f"bench-plan-child-{k}",
                    "given_name": "Child",
                    "family_name": "Fictional",
                    "date_of_birth": date(2016, 4, 1),
                }
                for k in keys
            ],
        )
        await session.execute(
            insert(cases),
            [
                {
                    "id": f"bench-plan-case-{k}",
                    "reference": f"BENCH-PLAN-{k}",
                    "child_id": f"bench-plan-child-{k}",
                    "team_id": rig.team.team_id,
                    "opened_at": datetime.now(UTC),
                }
                for k in keys
            ],
        )
    gate = asyncio.Semaphore(AT_ONCE)

    async def start(key: str) -> str:
        reference = f"BENCH-PLAN-{key}"
        plan = CpPlanInput(
            context=ProcessContext(
                case_id=f"bench-plan-case-{key}",
                case_reference=reference,
                team_id=rig.team.team_id,
                profile=rig.profile,
                calendar=rig.calendar,
            ),
            conference_workflow_id=initial_conference_id(reference),
            icpc_held_at=held_at,
            category=CpCategory.NEGLECT,
            lead_social_worker_id=rig.team.social_worker_id,
            core_group_member_ids=(rig.team.social_worker_id, rig.team.health_visitor_id),
        )
        async with gate:
            handle = await rig.ours.start_workflow(
                "ChildProtectionPlan",
                plan,
                id=cp_plan_id(reference, held_at),
                task_queue=task_queue,
                result_type=CpPlanResult,
            )
        return handle.id

    return list(await asyncio.gather(*(start(key) for key in keys)))


async def _settled(rig: Rig, ids: Sequence[str]) -> None:
    """Wait until every plan has recorded itself in the case store, then has no activity or workflow task pending."""
    while True:
        async with rig.sessionmaker() as session:
            query = select(func.count()).where(process_records.c.workflow_id.in_(ids))
            if (await session.execute(query)).scalar_one() == len(ids):
                break
        await asyncio.sleep(POLL_SECONDS)
    gate = asyncio.Semaphore(AT_ONCE)

    async def idle(workflow_id: str) -> bool:
        async with gate:
            description = await rig.ours.get_workflow_handle(workflow_id).describe()
        if description.status is not WorkflowExecutionStatus.RUNNING:
            raise RuntimeError(f"plan {workflow_id} ended before it settled: {description.status}")
        raw = description.raw_description
        return not raw.pending_activities and not raw.HasField("pending_workflow_task")

    pending = list(ids)
    while pending:
        done = await asyncio.gather(*map(idle, pending))
        pending = [workflow_id for workflow_id, settled in zip(pending, done, strict=True) if not settled]
        if pending:
            await asyncio.sleep(POLL_SECONDS)


async def _smaller_cache(rig: Rig, worker: PlanWorker, plans: Sequence[str], cache: int, queries: int) -> list[str]:
    """Read twice `cache` plans on a worker holding `cache`; time reads of plans pushed out against plans held.

    The reads of the first pass are in order, so the plans read first are the ones pushed out and the last
    `cache` are held. Then, taking turns, a plan pushed out (from the first read on) and a plan held (from
    the last read back): each replayed plan pushes out the held plan read longest ago, never one still to be
    timed while `queries` is at most half the cache.
    """
    read = list(plans[: 2 * cache])
    gate = asyncio.Semaphore(AT_ONCE)

    async def status(workflow_id: str) -> None:
        async with gate:
            await rig.ours.get_workflow_handle(workflow_id).query("status", result_type=ProcessStatus)

    for start in range(0, len(read), BATCH):
        await asyncio.gather(*map(status, read[start : start + BATCH]))
    rss = worker.rss_mb()
    held = await worker.cached()
    pushed_out, kept = read[: len(read) - cache], read[len(read) - cache :][::-1]
    samples = min(queries, len(pushed_out), len(kept) // 2)
    evicted_ms, cached_ms = [], []
    for index in range(samples):
        evicted_ms.append(await timed_ms(functools.partial(status, pushed_out[index])))
        cached_ms.append(await timed_ms(functools.partial(status, kept[index])))
    return [
        f"worker_small_cache_max_cached_workflows={cache}",
        f"worker_small_cache_plans_read={len(read)}",
        f"worker_small_cache_cached_workflows={held}",
        f"worker_small_cache_rss_mb={rss:.1f}",
        *tail_lines("worker_query_cached", cached_ms, TAIL),
        *tail_lines("worker_query_evicted", evicted_ms, TAIL),
        f"worker_query_evicted_ratio_to_cached={median(evicted_ms) / median(cached_ms):.2f}",
    ]


async def _end(client: Client, ids: Sequence[str]) -> None:
    """Terminate the plans, `AT_ONCE` at a time: the benchmark is over."""
    gate = asyncio.Semaphore(AT_ONCE)

    async def end(workflow_id: str) -> None:
        async with gate:
            await client.get_workflow_handle(workflow_id).terminate(reason="benchmark finished")

    await asyncio.gather(*map(end, ids))
