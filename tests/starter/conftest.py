"""The command line as automation runs it: real `python -m starter` processes against the real servers.

Each test gets a worker on a fresh task queue of the session's dev server (in this process, so it
shares the case store and SMTP server of the test), and a `cli` that runs the commands as separate
processes pointed at the same dev server, database, task queue and payload keys through the
environment, exactly as a deployment configures them.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.store.examples import ExampleIds, seed_examples
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import TEST_KEYS, TEST_PROOF_KEYS, Harness, key_setting, running_harness

ROOT = Path(__file__).resolve().parents[2]
COMMAND_TIMEOUT = 120.0


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and what it printed."""

    code: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        """Return the command's error line: the last on stderr (a library may warn above it)."""
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""

    def json(self) -> Any:
        """Return what it printed on stdout, parsed as JSON."""
        return json.loads(self.stdout)


@dataclass(frozen=True)
class Cli:
    """Runs `python -m starter ...` as its own process with the test's environment."""

    env: dict[str, str]

    async def __call__(self, *args: str) -> Ran:
        # Asynchronous, so the worker in this process keeps working while the command waits on it.
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "starter",
            *args,
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
        assert process.returncode is not None
        return Ran(process.returncode, stdout.decode(), stderr.decode())


@pytest.fixture
async def worker(
    dev_server_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> AsyncIterator[Harness]:
    """A worker with the real activities on a fresh task queue of the dev server."""
    async with running_harness(dev_server_env, db, smtp) as running:
        yield running


@pytest.fixture
def cli(worker: Harness, dev_server_env: WorkflowEnvironment, database_url: str, tmp_path: Path) -> Cli:
    """The command line, configured only through the environment, as a deployment configures it."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGUARDING_")}
    return Cli(
        env={
            **inherited,
            "DATABASE_URL": database_url,
            "SAFEGUARDING_ENVIRONMENT": "test",
            "SAFEGUARDING_TEMPORAL_ADDRESS": dev_server_env.client.service_client.config.target_host,
            "SAFEGUARDING_TASK_QUEUE": worker.task_queue,
            "SAFEGUARDING_PAYLOAD_KEYS": key_setting(TEST_KEYS),
            "SAFEGUARDING_PROOF_KEYS": key_setting(TEST_PROOF_KEYS),
            "SAFEGUARDING_DATA_DIR": str(tmp_path / "data"),
        }
    )


@pytest.fixture
async def examples(db: async_sessionmaker[AsyncSession]) -> ExampleIds:
    """The example team and cases, seeded in this process (the `seed` command has its own tests)."""
    async with db.begin() as session:
        return await seed_examples(session)
