"""The case store down for a minute while cases run: activities wait and retry, nothing is half-written.

A PostgreSQL of the test's own serves two worker processes, the HTTP API and the command line. Cases are
walked from the front door to the end of a child protection plan (`case_walk`); a few seconds in, the
server is stopped for a minute, then started again on the same data. Meanwhile the API answers 503 with a
problem saying "try again" and a `Retry-After`, and a command prints one line saying so and exits 1: no
traceback anywhere. A registration sent during the outage with an `Idempotency-Key` is sent again after it
and opens one case. A notice the mail server accepted just as the case store went is recorded when it is
back, not sent again (`activities.notifications`). Every case then completes, and each fact and message is
counted once (`counts`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.codes import Role
from safeguarding.database import asyncpg_url, create_engine, migrate
from safeguarding.schema import cases as cases_table
from tests.api.conftest import served_api
from tests.faults.case_walk import walk
from tests.faults.conftest import process_harness
from tests.faults.counts import assert_each_once
from tests.faults.fleet import fleet_of
from tests.faults.postgres import own_postgres
from tests.fixtures.worker_process import WAIT, worker_env
from tests.service.registrations import child
from tests.starter.conftest import Cli

pytestmark = [pytest.mark.faults, pytest.mark.dev_server]

CASES = 10
WORKERS = 2
HEAD_START = 3.0
"""Seconds the cases run before the case store goes down: mid-run, decisions and activities in flight."""
OUTAGE = 60.0
BOUND = 600.0


async def test_a_minute_without_the_case_store_loses_nothing_and_callers_are_told_to_try_again(
    dev_server_env: WorkflowEnvironment, smtp: Any, tmp_path: Path
) -> None:
    loop = asyncio.get_running_loop()
    async with own_postgres() as postgres:
        await migrate(asyncpg_url(postgres.url))
        engine = create_engine(asyncpg_url(postgres.url))
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        try:
            async with (
                process_harness(dev_server_env, sessions, smtp) as harness,
                served_api(harness, dev_server_env, sessions, tmp_path) as api,
            ):
                env = worker_env(
                    database_url=postgres.url,
                    temporal_address=dev_server_env.client.service_client.config.target_host,
                    task_queue=harness.task_queue,
                    data_dir=tmp_path / "data",
                    smtp_host=smtp.host,
                    smtp_port=str(smtp.port),
                )
                cli = Cli(env=env)
                manager = api.ids.practitioner_id(Role.TEAM_MANAGER)
                headers = await api.headers(Role.SOCIAL_WORKER, **{"Idempotency-Key": "outage-registration"})
                registration = {"child": child()}
                reference = await harness.new_case()
                cases = [await harness.new_case() for _ in range(CASES)]
                now = await dev_server_env.get_current_time()
                async with fleet_of(WORKERS, env) as fleet:
                    await fleet.until_polling(WAIT)
                    await walk(harness, reference, now)
                    walking = asyncio.gather(*(walk(harness, case, now) for case in cases))
                    await asyncio.sleep(HEAD_START)
                    await postgres.stop()
                    stopped_at = loop.time()
                    read = await api.http.get("/tray/mine", headers=headers)
                    registered = await api.http.post("/cases", json=registration, headers=headers)
                    listed = await cli("list", "--case", api.ids.school_age.reference, "--actor", manager)
                    await asyncio.sleep(max(0.0, OUTAGE - (loop.time() - stopped_at)))
                    await postgres.start()
                    walked = await asyncio.wait_for(walking, BOUND)
                    registered_after = await api.http.post("/cases", json=registration, headers=headers)
                    again = await api.http.post("/cases", json=registration, headers=headers)
                counted = await assert_each_once(sessions, smtp, reference, cases)
                async with sessions() as session:
                    opened = await session.scalar(select(func.count()).select_from(cases_table))
        finally:
            await engine.dispose()
    output = fleet.output()
    print(f"{CASES} cases with the case store down {OUTAGE:.0f}s; {counted}")

    assert len(walked) == CASES
    for answer in (read, registered):
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"].isdigit()
        assert "try again" in answer.json()["detail"].lower()
    assert (registered_after.status_code, again.status_code) == (201, 201), registered_after.text
    assert again.headers["idempotent-replayed"] == "true"
    assert opened == 3 + 1 + CASES + 1  # the examples, the reference, the walked cases, the registration
    assert listed.code == 1
    assert listed.stderr.strip().splitlines() == [listed.error]
    assert listed.error.startswith("list: ") and listed.error.endswith("try again")
    assert "a service is unavailable" in output, "no activity met the outage: the test proved nothing"
    assert "Traceback" not in output + listed.stderr, output
