"""`python -m tests.bench.plan_worker`: a worker in a process of its own, so that its memory is the worker's alone.

It reads its settings as one JSON line on standard input (the dev server's address, the case store's URL,
the SMTP sink's port, the payload and proof keys and the sticky cache's size), runs the real workflows and activities
on its task queue, prints `ready` once polling, and stops when its standard input closes.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.mail import SmtpChannel
from safeguarding.database import create_engine
from safeguarding.procedure_profile import load_profile
from safeguarding.temporal import data_converter
from worker import build_activities, worker_interceptors
from workflows.registry import ALL_WORKFLOWS

SMTP_HOST = "127.0.0.1"


async def run(spec: dict[str, Any]) -> None:
    """Poll `spec["task_queue"]` with `spec["max_cached_workflows"]` workflows kept in the sticky cache."""
    client = await Client.connect(
        spec["target_host"],
        namespace=spec["namespace"],
        data_converter=data_converter([("bench", bytes.fromhex(spec["key"]))]),
    )
    engine = create_engine(spec["database_url"])
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
        ):
            print("ready", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(run(json.loads(sys.stdin.readline())))
