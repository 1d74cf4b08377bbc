"""Several `python -m worker` processes sharing one task queue, as `docker compose up --scale worker=N` runs them.

A test kills one with SIGKILL (no shutdown, no goodbye to Temporal: what the kernel's OOM killer or a lost
host does) and starts another in its place, so the fleet keeps its size. Everything each process logged is
kept, the killed ones' too, for the test to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.fixtures.worker_process import ROOT

POLLING = "worker polling"
"""What `worker.run` logs once its Temporal Worker runs."""
STOP_WAIT = 60.0
"""How long a worker told to stop (SIGTERM) may take before it is killed: its own grace period is 30 seconds."""


@dataclass
class Worker:
    """One worker process and what it has logged so far."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reading: asyncio.Task[None] | None = None

    async def collect(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            self.lines.append(line.decode())

    @property
    def polling(self) -> bool:
        """Whether the worker has said it polls the task queue (its Worker is running)."""
        return any(POLLING in line for line in self.lines)


@dataclass
class Fleet:
    """The running workers and every worker started so far (the killed ones stay in `started`)."""

    env: dict[str, str]
    log: Path | None = None
    """Where `stop` writes what every worker logged, for the reader of a failed test."""
    running: list[Worker] = field(default_factory=list)
    started: list[Worker] = field(default_factory=list)
    kills: int = 0

    async def start(self) -> Worker:
        """Start one more worker process."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "worker",
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        worker = Worker(process)
        worker.reading = asyncio.create_task(worker.collect())
        self.running.append(worker)
        self.started.append(worker)
        return worker

    async def kill_and_replace(self, index: int) -> None:
        """SIGKILL the running worker at `index` (modulo the fleet's size) and start another in its place."""
        worker = self.running.pop(index % len(self.running))
        worker.process.send_signal(signal.SIGKILL)
        await worker.process.wait()
        self.kills += 1
        await self.start()

    async def until_polling(self, seconds: float) -> None:
        """Return once every running worker polls; fail after `seconds` or if one exits."""

        async def all_polling() -> None:
            while not all(worker.polling for worker in self.running):
                for worker in self.running:
                    assert worker.process.returncode is None, "a worker exited:\n" + "".join(worker.lines)
                await asyncio.sleep(0.2)

        await asyncio.wait_for(all_polling(), seconds)

    def output(self) -> str:
        """Return what every worker started so far has logged."""
        return "".join(line for worker in self.started for line in worker.lines)

    async def stop(self) -> None:
        """Stop the running workers as a deployment does (SIGTERM), killing any that does not stop in time."""
        for worker in self.running:
            if worker.process.returncode is None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.running:
            try:
                await asyncio.wait_for(worker.process.wait(), STOP_WAIT)
            except TimeoutError:
                worker.process.kill()
                await worker.process.wait()
        for worker in self.started:
            if worker.reading is not None:
                await worker.reading
        self.running.clear()
        if self.log is not None:
            self.log.write_text(self.output())


@contextlib.asynccontextmanager
async def fleet_of(size: int, env: dict[str, str], log: Path | None = None) -> AsyncIterator[Fleet]:
    """Run `size` workers with `env` until the context is left; then write their output to `log`, if given."""
    fleet = Fleet(env, log)
    try:
        for _ in range(size):
            await fleet.start()
        yield fleet
    finally:
        await fleet.stop()
