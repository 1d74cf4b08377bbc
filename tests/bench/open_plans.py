"""Resident memory of a worker holding open child protection plans in its sticky cache, and what a smaller cache costs.

A worker of its own (`tests.bench.plan_worker`, a child process) runs the real workflows with a sticky
cache large enough for every plan, so that each open plan stays in memory between its tasks, as in a
worker sized to hold them all. Plans are opened on its task queue, each for a case of its own written in
bulk, with at most `IN_FLIGHT` started and not yet settled (settled: recorded in the case store, nothing
pending, waiting on its timers for its core group); as each settles, the next starts. At each size asked
for, the worker's resident set (VmRSS) is read from /proc and the workflows in its cache from its metrics.
The figure per 1,000 plans is the growth from the resident set after a few warm-up plans (its imports and
first sandboxes made) to the largest size.

Started all at once instead (20 starts in flight, however far behind the worker was), thousands of first
workflow tasks queued and the dev server's store timed out its writes; with the SDK's hundred workflow
tasks at a time, tasks took over 5 seconds in the worker on a busy 2-core machine, some over the server's
10 and were done again. Opened a few at a time, the work in flight stays what the worker can take.

What the cache trades: a second worker with a smaller cache (`small_cache`, 500 in `make bench`) takes
over the same task queue and reads the `status` of twice as many plans as it holds, in order; each read
of a plan it does not hold makes it fetch the plan's history and replay it, and the plan replayed pushes
out the one read longest ago. Its resident set then stays at what that many plans need, however many are
open. The price is the read of a plan pushed out, timed against the read of one still held, taking turns
(`worker_query_evicted_ratio_to_cached`); these plans are new, so their histories are short, and the
replay of a plan's longer run costs more. A read the worker fails is tried again, its time counted in.

Each worker also reports its longest garbage collection, during which it does nothing else: a full
collection walks every object of every workflow it holds, so its pause grows with the cache (seconds at
thousands of plans on a busy machine, enough for the SDK's 2-second deadlock detector to fail a task).
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
from sqlalchemy import insert, select
from temporalio.client import WorkflowExecutionStatus, WorkflowQueryFailedError

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
IN_FLIGHT = 20
"""Plans started and not yet settled at a time: each has one workflow task or activity pending, twice as many
as the workflow tasks the worker takes at once (`plan_worker.WORKFLOW_TASK_SLOTS`), so that it always has
the next; the rest wait in the server's queue rather than in the worker."""
POLL_SECONDS = 0.5
AT_ONCE = 20
"""Status queries in flight at a time."""
STALL_SECONDS = 300
"""How long the bench waits without a plan settling before it gives up: a hang guard only."""
CACHE_SIZE = "temporal_sticky_cache_size"
GC_PAUSE = "gc_longest_pause_s"
READ_ATTEMPTS = 3
"""Reads of a plan's status before the bench gives up on it. A read fails when the worker's deadlock detector
stops the replay (a workflow that has not yielded for 2 seconds): on a busy machine a full garbage
collection alone can take that long. The failed reads are counted (`worker_small_cache_failed_reads`)."""
TAIL = 95


@dataclass
class PlanWorker:
    """The worker's process id, the port of its metrics and, once it has stopped, its longest garbage collection."""

    pid: int
    metrics_port: int
    gc_longest_pause_s: float | None = None

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
    """Open plans up to each of `sizes` on a worker of their own; return its memory at each, then a smaller cache's.

    The plans are left open when the workers stop: nothing runs them until their first core group falls due,
    days after the dev server (and its in-memory store) is gone.
    """
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
    figures.append(f"worker_gc_longest_pause_ms={_ms(worker.gc_longest_pause_s)}")
    started = time.perf_counter()
    async with _plan_worker(spec, small_cache) as worker:
        figures += await _smaller_cache(rig, worker, ids[WARM_UP_PLANS:], small_cache, queries)
    figures.append(f"worker_small_cache_gc_longest_pause_ms={_ms(worker.gc_longest_pause_s)}")
    print(f"a cache of {small_cache}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return figures


def _ms(seconds: float | None) -> str:
    assert seconds is not None  # set when its worker stopped
    return f"{seconds * 1000:.0f}"


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
        worker = PlanWorker(child.pid, metrics_port)
        yield worker
    finally:
        child.stdin.close()
        name, _, value = (await child.stdout.readline()).decode().strip().partition("=")
        await child.wait()
    if name != GC_PAUSE:
        raise RuntimeError(f"the plan worker stopped without its {GC_PAUSE} (exit status {child.returncode})")
    worker.gc_longest_pause_s = float(value)


async def _open_plans(rig: Rig, task_queue: str, count: int) -> list[str]:
    """Open `count` plans, at most `IN_FLIGHT` of them not yet settled at a time; return their ids as they settle."""
    plans = await _write_plans(rig, count)
    opened: list[str] = []
    in_flight: set[str] = set()
    progress = time.perf_counter()
    while len(opened) < count:
        starting, plans = plans[: IN_FLIGHT - len(in_flight)], plans[IN_FLIGHT - len(in_flight) :]
        in_flight.update(await asyncio.gather(*(_start(rig, task_queue, plan) for plan in starting)))
        await asyncio.sleep(POLL_SECONDS)
        settled = await _settled(rig, in_flight)
        if settled:
            in_flight -= settled
            opened += settled
            progress = time.perf_counter()
        elif time.perf_counter() - progress > STALL_SECONDS:
            raise RuntimeError(
                f"no plan settled for {STALL_SECONDS} s; {len(in_flight)} waiting, e.g. {min(in_flight)}"
            )
    return opened


async def _write_plans(rig: Rig, count: int) -> list[CpPlanInput]:
    """Write `count` children and cases in bulk; return a plan for each, held at the last working day."""
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
    return [
        CpPlanInput(
            context=ProcessContext(
                case_id=f"bench-plan-case-{k}",
                case_reference=f"BENCH-PLAN-{k}",
                team_id=rig.team.team_id,
                profile=rig.profile,
                calendar=rig.calendar,
            ),
            conference_workflow_id=initial_conference_id(f"BENCH-PLAN-{k}"),
            icpc_held_at=held_at,
            category=CpCategory.NEGLECT,
            lead_social_worker_id=rig.team.social_worker_id,
            core_group_member_ids=(rig.team.social_worker_id, rig.team.health_visitor_id),
        )
        for k in keys
    ]


async def _start(rig: Rig, task_queue: str, plan: CpPlanInput) -> str:
    handle = await rig.ours.start_workflow(
        "ChildProtectionPlan",
        plan,
        id=cp_plan_id(plan.context.case_reference, plan.icpc_held_at),
        task_queue=task_queue,
        result_type=CpPlanResult,
    )
    return handle.id


async def _settled(rig: Rig, ids: set[str]) -> set[str]:
    """Return the plans of `ids` that have recorded themselves in the case store and have nothing pending."""
    async with rig.sessionmaker() as session:
        query = select(process_records.c.workflow_id).where(process_records.c.workflow_id.in_(ids))
        recorded = list((await session.execute(query)).scalars())

    async def idle(workflow_id: str) -> bool:
        description = await rig.ours.get_workflow_handle(workflow_id).describe()
        if description.status is not WorkflowExecutionStatus.RUNNING:
            raise RuntimeError(f"plan {workflow_id} ended before it settled: {description.status}")
        raw = description.raw_description
        return not raw.pending_activities and not raw.HasField("pending_workflow_task")

    done = await asyncio.gather(*map(idle, recorded))
    return {workflow_id for workflow_id, settled in zip(recorded, done, strict=True) if settled}


async def _smaller_cache(rig: Rig, worker: PlanWorker, plans: Sequence[str], cache: int, queries: int) -> list[str]:
    """Read twice `cache` plans on a worker holding `cache`; time reads of plans pushed out against plans held.

    The reads of the first pass are in order, so the plans read first are the ones pushed out and the last
    `cache` are held. Then, taking turns, a plan pushed out (from the first read on) and a plan held (from
    the last read back): each replayed plan pushes out the held plan read longest ago, never one still to be
    timed while `queries` is at most half the cache.
    """
    read = list(plans[: 2 * cache])
    gate = asyncio.Semaphore(AT_ONCE)
    failed = 0

    async def status(workflow_id: str) -> None:
        nonlocal failed
        for attempt in range(1, READ_ATTEMPTS + 1):
            try:
                async with gate:
                    await rig.ours.get_workflow_handle(workflow_id).query("status", result_type=ProcessStatus)
                return
            except WorkflowQueryFailedError:
                failed += 1
                if attempt == READ_ATTEMPTS:
                    raise

    await asyncio.gather(*map(status, read))  # in order: the gate lets them through first come, first served
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
        f"worker_small_cache_failed_reads={failed}",
        *tail_lines("worker_query_cached", cached_ms, TAIL),
        *tail_lines("worker_query_evicted", evicted_ms, TAIL),
        f"worker_query_evicted_ratio_to_cached={median(evicted_ms) / median(cached_ms):.2f}",
    ]
