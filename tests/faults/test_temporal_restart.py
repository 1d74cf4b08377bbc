"""The Temporal dev server stopped and started again on its persisted store while cases run and a timer is due.

The server is the one `make run` starts (`safeguarding.embedded.dev_server`: `--db-filename` in a data
folder), a worker process polls it. Cases are walked from the front door to child protection
(`case_walk`), and a professional disagreement is raised whose first stage's time limit runs out while the
server is down: the profile's own hours clock (one hour, in a copy of the example profile) counted from a
moment just under an hour ago. The server is stopped mid-run and started again on the same store after the
time limit has passed. Every case then completes, and the escalation the timer raises is made and its notice
sent once, after the restart: no timer is lost.
"""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from safeguarding.codes import Role
from safeguarding.commands.disagreement import DisagreementInput, RaiseDisagreement, disagreement_id
from safeguarding.config import Settings
from safeguarding.embedded import dev_server
from safeguarding.procedure_profile import load_profile
from safeguarding.schema import chronology, notification_outbox
from tests.faults.case_walk import start_front_door, walk
from tests.faults.conftest import process_harness
from tests.faults.counts import assert_each_once, message_ids
from tests.faults.fleet import fleet_of
from tests.fixtures.temporal import CONVERTER, ROOT, SIGNER
from tests.fixtures.worker_process import WAIT, worker_env
from tests.workflows.disagreement_steps import seed_partners

pytestmark = [pytest.mark.faults, pytest.mark.dev_server]

CASES = 5
STAGE_LIMIT = timedelta(hours=1)
"""The practitioners' stage's time limit in the test's profile: the shortest the profile's clocks can say."""
LEAD = timedelta(seconds=30)
"""How long after the disagreement is raised its first stage's time limit passes: time to send its first
notices and stop the server before it."""
PAST_DUE = timedelta(seconds=10)
"""How long the server stays down after the time limit passed."""
BOUND = 600.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hour_stage_profile(folder: Path) -> Path:
    """Write the example profile with its practitioners' stage limited to one hour, and return its path."""
    example = (ROOT / "profiles" / "example.toml").read_text()
    working_week = '[rules.disagreement_stage_practitioners]\nclock = "working_days"\namount = 5\n'
    assert working_week in example
    path = folder / "hour-stage.toml"
    path.write_text(
        example.replace(working_week, '[rules.disagreement_stage_practitioners]\nclock = "hours"\namount = 1\n')
    )
    return path


async def test_a_restarted_server_resumes_every_case_and_fires_the_timer_due_while_it_was_down(
    db: async_sessionmaker[AsyncSession], database_url: str, smtp: Any, tmp_path: Path
) -> None:
    profile_path = _hour_stage_profile(tmp_path)
    profile = load_profile(profile_path)
    assert profile.rule("disagreement_stage_practitioners").amount == 1
    settings = Settings(
        environment="test",
        temporal_address=f"127.0.0.1:{_free_port()}",
        temporal_ui_port=_free_port(),
    )
    data_dir = tmp_path / "temporal"
    data_dir.mkdir()
    server = dev_server(settings, data_dir)
    await server.__aenter__()  # entered and left by hand: the test stops and starts it mid-run
    running = True
    try:
        client = await Client.connect(settings.temporal_address, data_converter=CONVERTER, interceptors=[SIGNER])
        env = WorkflowEnvironment.from_client(client)
        async with process_harness(env, db, smtp, profile) as harness:
            await seed_partners(harness)
            workers = worker_env(
                database_url=database_url,
                temporal_address=settings.temporal_address,
                task_queue=harness.task_queue,
                data_dir=tmp_path / "data",
                smtp_host=smtp.host,
                smtp_port=str(smtp.port),
                profile_path=str(profile_path),
            )
            reference = await harness.new_case()
            cases = [await harness.new_case() for _ in range(CASES)]
            about = await harness.new_case()
            now = datetime.now(UTC)
            async with fleet_of(1, workers) as fleet:
                await fleet.until_polling(WAIT)
                await walk(harness, reference, now)
                front_door = await start_front_door(harness, about, now)
                raised_at = (datetime.now(UTC) - STAGE_LIMIT + LEAD).replace(microsecond=0)
                disagreement = await harness.start(
                    "Disagreement",
                    DisagreementInput(
                        context=harness.context(about),
                        raised=RaiseDisagreement(
                            actor=harness.actor(Role.HEALTH_VISITOR),
                            effective_at=raised_at,
                            about_workflow_id=front_door.id,
                            about_key="decide_contact",
                            disagrees_with="The contact is not being treated as urgent.",
                            proposes="A strategy discussion today.",
                        ),
                    ),
                    disagreement_id(about.reference, raised_at),
                )
                walking = asyncio.gather(*(walk(harness, case, now) for case in cases))
                await _until_raised(db, disagreement.id)
                await server.__aexit__(None, None, None)
                running = False
                await asyncio.sleep(max(0.0, (raised_at + STAGE_LIMIT + PAST_DUE - datetime.now(UTC)).total_seconds()))
                restarted_at = datetime.now(UTC)
                server = dev_server(settings, data_dir)
                await server.__aenter__()
                running = True
                walked = await asyncio.wait_for(walking, BOUND)
                escalation = await asyncio.wait_for(_escalation_notice(db, disagreement.id), BOUND)
            counted = await assert_each_once(db, smtp, reference, cases)
            async with db() as session:
                escalated = (
                    (
                        await session.execute(
                            select(chronology.c.occurred_at).where(
                                chronology.c.workflow_id == disagreement.id,
                                chronology.c.event == "disagreement.escalated",
                            )
                        )
                    )
                    .scalars()
                    .all()
                )
        print(f"{CASES} cases and a disagreement across a restart of the dev server; {counted}")
    finally:
        if running:
            await server.__aexit__(None, None, None)

    assert len(walked) == CASES
    assert escalation["sent_at"] > restarted_at
    assert message_ids(smtp)[escalation["provider_reference"]] == 1
    assert len(escalated) == 1
    assert "Traceback" not in fleet.output(), fleet.output()


async def _until_raised(db: async_sessionmaker[AsyncSession], workflow_id: str) -> None:
    """Return once the disagreement has sent its first stage's notices (its first timer is set)."""

    async def sent() -> None:
        while True:
            async with db() as session:
                rows = await session.scalar(
                    select(notification_outbox.c.id).where(
                        notification_outbox.c.workflow_id == workflow_id, notification_outbox.c.state == "sent"
                    )
                )
            if rows is not None:
                return
            await asyncio.sleep(0.2)

    await asyncio.wait_for(sent(), WAIT)


async def _escalation_notice(db: async_sessionmaker[AsyncSession], workflow_id: str) -> dict[str, Any]:
    """Wait for the notice of the team managers' stage, which the timer's escalation sends; return its outbox row."""
    while True:
        async with db() as session:
            rows = (
                (
                    await session.execute(
                        select(notification_outbox).where(
                            notification_outbox.c.notice_key.like(f"{workflow_id}:stage:team_managers:%"),
                            notification_outbox.c.state == "sent",
                        )
                    )
                )
                .mappings()
                .all()
            )
        if rows:
            assert len(rows) == 1, [(row["notice_key"], row["recipient_id"]) for row in rows]
            return dict(rows[0])
        await asyncio.sleep(0.2)
