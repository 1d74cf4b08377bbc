"""Workers killed with SIGKILL again and again while many cases run from the front door to child protection.

Two `python -m worker` processes share the task queue; every few seconds one of them is killed outright and
another started in its place, while `CASES` cases are walked at once through the front door, an assessment, a
strategy discussion, a section 47 enquiry and an initial conference (`case_walk`). A
killed worker's workflow tasks time out and run again elsewhere, its activities run again after their
timeout, and the people's decisions are sent again under the same Update id. Exactly once is then counted,
not assumed (`counts`): each case's chronology against a case walked before the first kill, and each
message at the SMTP server by its Message-ID.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from tests.faults.case_walk import walk
from tests.faults.counts import assert_each_once
from tests.faults.fleet import Fleet, fleet_of
from tests.fixtures.temporal import Harness
from tests.fixtures.worker_process import WAIT, worker_env

pytestmark = [pytest.mark.faults, pytest.mark.dev_server]

CASES = int(os.environ.get("FAULTS_KILL_CASES", "20"))
"""How many cases walk while workers die: 20 in `make test`, the issue's 200 in `make faults`."""
WORKERS = 2
KILL_EVERY = 1.0
"""Seconds every worker of the fleet is left polling between two kills: work is in flight on each when it dies.
Short, so that a walk the workers get through quickly still sees them die again and again (a new worker takes
a few seconds more to start polling)."""
KILLS_AT_LEAST = 5
BOUND = 1500.0
"""The walk of every case must end within this many seconds, kills included, or the test fails: a hang guard,
generous because a 2-core machine shared with other work runs 200 cases many times slower than CI."""


async def _keep_killing(fleet: Fleet) -> None:
    """Kill the workers in turn, each replaced at once, every `KILL_EVERY` seconds of a fleet all polling."""
    while True:
        await fleet.until_polling(WAIT)
        await asyncio.sleep(KILL_EVERY)
        await fleet.kill_and_replace(fleet.kills)


async def test_every_case_completes_and_every_fact_and_message_is_written_once_though_workers_keep_dying(
    workerless_harness: Harness,
    dev_server_env: WorkflowEnvironment,
    database_url: str,
    db: async_sessionmaker[AsyncSession],
    smtp: Any,
    tmp_path: Path,
) -> None:
    harness = workerless_harness
    env = worker_env(
        database_url=database_url,
        temporal_address=dev_server_env.client.service_client.config.target_host,
        task_queue=harness.task_queue,
        data_dir=tmp_path / "data",
        smtp_host=smtp.host,
        smtp_port=str(smtp.port),
    )
    reference = await harness.new_case()
    cases = [await harness.new_case() for _ in range(CASES)]
    now = await dev_server_env.get_current_time()
    loop = asyncio.get_running_loop()
    async with fleet_of(WORKERS, env, log=tmp_path / "workers.log") as fleet:
        await asyncio.wait_for(walk(harness, reference, now), BOUND)
        began = loop.time()
        killing = asyncio.create_task(_keep_killing(fleet))
        try:
            walked = await asyncio.wait_for(asyncio.gather(*(walk(harness, case, now) for case in cases)), BOUND)
        finally:
            killing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await killing
        took = loop.time() - began
    counted = await assert_each_once(db, harness.smtp, reference, cases, kills=True)
    print(f"{CASES} cases in {took:.0f}s, {fleet.kills} workers killed of {len(fleet.started)} started; {counted}")

    assert len(walked) == CASES
    assert fleet.kills >= KILLS_AT_LEAST, "the workers were hardly killed: the test proved nothing"
    output = fleet.output()
    assert "Traceback" not in output, output
