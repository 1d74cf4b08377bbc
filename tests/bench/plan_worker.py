"""`python -m tests.bench.plan_worker`: a worker in a process of its own, so that its memory is the worker's alone.

It reads its settings as one JSON line on standard input (the dev server's address, the case store's URL,
the SMTP sink's port, the payload and proof keys, the sticky cache's size and the port of its metrics),
runs the real workflows and activities on its task queue, prints `ready` once polling, and stops when its
standard input closes, printing first its longest garbage collection in seconds (`gc_longest_pause_s=`):
the whole worker stops for one, and a full collection walks every object of every cached workflow. How
many workflows its sticky cache holds is read from the Temporal core's Prometheus metrics on that port.

Its standard output carries those two lines and nothing else: the Temporal core writes its warnings to file
descriptor 1 ("Workflow task duration exceeded 5 seconds", one a task on a busy machine), so that descriptor
is pointed at standard error before anything starts. Left on the pipe the bench reads `ready` from, and
never reads again, they filled its 64 KiB and the core's workflow thread blocked writing the next one: the
worker stopped taking workflow tasks, its pollers stopped, and the plans waited in the server's backlog.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.mail import SmtpChannel
from safeguarding.config import Settings
from safeguarding.database import create_activity_engine
from safeguarding.procedure_profile import load_profile
from safeguarding.temporal import data_converter
from worker import build_activities, worker_interceptors
from workflows.registry import ALL_WORKFLOWS

SMTP_HOST = "127.0.0.1"
METRICS_HOST = "127.0.0.1"
WORKFLOW_TASK_SLOTS: int = Settings.model_fields["workflow_task_slots"].default
"""As many workflow tasks at a time as `python -m worker` takes by default (`SAFEGUARDING_WORKFLOW_TASK_SLOTS`)."""


async def run(spec: dict[str, Any], handshake: TextIO, pauses: GcPauses) -> None:
    """Poll `spec["task_queue"]` with `spec["max_cached_workflows"]` workflows kept in the sticky cache."""
    runtime = Runtime(
        telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"{METRICS_HOST}:{spec['metrics_port']}"))
    )
    client = await Client.connect(
        spec["target_host"],
        namespace=spec["namespace"],
        data_converter=data_converter([("bench", bytes.fromhex(spec["key"]))]),
        runtime=runtime,
    )
    engine = create_activity_engine(spec["database_url"])
    try:
        activities = build_activities(
            sessionmaker=async_sessionmaker(engine, expire_on_commit=False),
            channel=SmtpChannel(SMTP_HOST, spec["smtp_port"], "safeguarding-bench@example.invalid"),
            profile=load_profile(Path(spec["profile"])),
            client=client,
            task_queue=spec["task_queue"],
        )
        async with Worker(
            client,
            task_queue=spec["task_queue"],
            workflows=ALL_WORKFLOWS,
            activities=activities,
            interceptors=worker_interceptors([("bench-proof", bytes.fromhex(spec["proof_key"]))]),
            max_cached_workflows=spec["max_cached_workflows"],
            max_concurrent_workflow_tasks=WORKFLOW_TASK_SLOTS,
        ):
            print("ready", file=handshake, flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
            # Before the worker stops: dropping its cache is a collection of its own, not one a task waits on.
            print(f"gc_longest_pause_s={pauses.longest:.3f}", file=handshake, flush=True)
    finally:
        await engine.dispose()


class GcPauses:
    """A `gc.callbacks` entry that keeps the longest collection, in seconds of wall time."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)


def main() -> None:
    """Keep a copy of standard output for the bench, send file descriptor 1 to standard error, then run."""
    handshake = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    pauses = GcPauses()
    gc.callbacks.append(pauses)
    asyncio.run(run(json.loads(sys.stdin.readline()), handshake, pauses))


if __name__ == "__main__":
    main()
