"""A PostgreSQL of the test's own (pgserver), which the test stops and starts again: never the suite's server.

Stopped with `pg_ctl stop` (fast: clients are disconnected, nothing committed is lost) and started again on
the same data folder and socket, so every client's URL stays the same across the outage.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pgserver


@dataclass
class OwnPostgres:
    """The test's PostgreSQL: its data folder, its URL, and the handle that stops it."""

    pgdata: Path
    server: Any = None

    @property
    def url(self) -> str:
        """The server's URL over its Unix socket, which pgserver puts in the data folder."""
        return f"postgresql://postgres@/postgres?host={self.pgdata}"

    async def start(self) -> None:
        self.server = await asyncio.to_thread(pgserver.get_server, self.pgdata)

    async def stop(self) -> None:
        if self.server is not None:
            await asyncio.to_thread(self.server.cleanup)
            self.server = None

    def stop_unnoticed(self) -> None:
        """Stop the server without letting the event loop run: no client has yet seen its connections close."""
        if self.server is not None:
            self.server.cleanup()
            self.server = None


@asynccontextmanager
async def own_postgres() -> AsyncIterator[OwnPostgres]:
    """Start a PostgreSQL in a fresh folder; stop it and remove the folder when the context is left.

    The folder is outside pytest's temporary tree: pgserver, run as root, opens up the folders above its data.
    """
    folder = Path(tempfile.mkdtemp(prefix="safeguarding-faults-"))
    postgres = OwnPostgres(folder / "pgdata")
    try:
        await postgres.start()
        yield postgres
    finally:
        await postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
