"""Resident memory of a worker holding open child protection plans in its sticky cache.

A worker of its own (`tests.bench.plan_worker`, a child process) runs the real workflows with a sticky
cache large enough for every plan, so that each open plan stays in memory between its tasks, as in a
worker sized to hold them all. Plans are started on its task queue, each for a case of its own written in
bulk, until it holds each size asked for; once every plan has settled (recorded and waiting for its core
group), its resident set (VmRSS) is read from /proc. The figure per 1,000 plans is the growth from the
worker's resident set after a few warm-up plans (its imports and first sandboxes made) to the largest size.

What the cache trades: a plan evicted from a smaller cache costs no memory until its next task (a
reminder, a decision), when the worker fetches its history and replays it before it can answer.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from temporalio.client import Client, WorkflowHandle

from safeguarding.codes import CpCategory, Process
from safeguarding.commands.conference import initial_conference_id
from safeguarding.commands.cp_plan import CpPlanInput, CpPlanResult, cp_plan_id
from safeguarding.models import ProcessContext
from safeguarding.schema import cases, people, process_records
from safeguarding.working_days import LONDON
from tests.bench.scenarios import Rig
from tests.workflows.time_control import last_working_day_at

WARM_UP_PLANS = 10
STARTING_AT_ONCE = 20
SETTLE_SECONDS = 1200
"""How long the plans may take to settle before the benchmark gives up: a hang guard only."""


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
) -> list[str]:
    """Start plans up to each of `sizes` on a worker of their own; return its resident set at each."""
    task_queue = f"bench-plans-{uuid.uuid4()}"
    cache = max(sizes) + WARM_UP_PLANS
    spec = {
        "target_host": target_host,
        "namespace": namespace,
        "database_url": database_url,
        "smtp_port": smtp_port,
        "key": key.hex(),
        "proof_key": proof_key.hex(),
        "profile": str(profile),
        "task_queue": task_queue,
        "max_cached_workflows": cache,
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.bench.plan_worker", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    handles: list[WorkflowHandle] = []
    try:
        child.stdin.write(json.dumps(spec).encode() + b"\n")
        await child.stdin.drain()
        if (await child.stdout.readline()).strip() != b"ready":
            raise RuntimeError("the plan worker did not start")
        handles += await _start_plans(rig, task_queue, WARM_UP_PLANS)
        await _settled(rig, handles)
        base = _rss_mb(child.pid)
        figures = [f"worker_max_cached_workflows={cache}", f"worker_rss_mb_base={base:.1f}"]
        rss = base
        for size in sorted(sizes):
            handles += await _start_plans(rig, task_queue, size + WARM_UP_PLANS - len(handles))
            await _settled(rig, handles)
            rss = _rss_mb(child.pid)
            figures.append(f"worker_rss_mb_at_{size}_open_plans={rss:.1f}")
        figures.append(f"worker_rss_mb_per_1000_open_plans={(rss - base) / max(sizes) * 1000:.1f}")
        return figures
    finally:
        child.stdin.close()
        await asyncio.gather(*(_end(rig.ours, handle.id) for handle in handles))
        await child.wait()


async def _start_plans(rig: Rig, task_queue: str, count: int) -> list[WorkflowHandle]:
    """Write `count` children and cases in bulk, then start a plan for each, `STARTING_AT_ONCE` at a time."""
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
    gate = asyncio.Semaphore(STARTING_AT_ONCE)

    async def start(key: str) -> WorkflowHandle:
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
            return await rig.ours.start_workflow(
                "ChildProtectionPlan",
                plan,
                id=cp_plan_id(reference, held_at),
                task_queue=task_queue,
                result_type=CpPlanResult,
            )

    return list(await asyncio.gather(*(start(key) for key in keys)))


async def _settled(rig: Rig, handles: Sequence[WorkflowHandle]) -> None:
    """Wait until every plan has started and recorded itself, and the last started have nothing pending."""
    async with asyncio.timeout(SETTLE_SECONDS):
        while True:
            async with rig.sessionmaker() as session:
                query = select(func.count()).where(
                    process_records.c.process == Process.CP_PLAN, process_records.c.case_id.like("bench-plan-case-%")
                )
                if (await session.execute(query)).scalar_one() >= len(handles):
                    break
            await asyncio.sleep(1)
        last = list(handles[-STARTING_AT_ONCE:])
        while True:
            if all(await asyncio.gather(*map(_idle, last))):
                return
            await asyncio.sleep(1)


async def _idle(handle: WorkflowHandle) -> bool:
    raw = (await handle.describe()).raw_description
    return not raw.pending_activities and not raw.HasField("pending_workflow_task")


def _rss_mb(pid: int) -> float:
    """Return the process's resident set in megabytes (VmRSS, which /proc gives in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def _end(client: Client, workflow_id: str) -> None:
    """Terminate a plan: the benchmark is over."""
    await client.get_workflow_handle(workflow_id).terminate(reason="benchmark finished")
