"""Serve the API with uvicorn inside a process that owns its own signals (`make run`, the tests, the bench).

uvicorn's `Server.serve` takes over SIGINT and SIGTERM while it runs; `make run` already stops everything in
order on those signals (the worker first, then PostgreSQL and Temporal), so this server leaves them alone
and stops when told (`should_exit`) or cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Generator

import uvicorn
from fastapi import FastAPI


class HostedServer(uvicorn.Server):
    """A uvicorn server that leaves the process's signals to its host."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Capture nothing: the host process stops the server."""
        yield


@contextlib.asynccontextmanager
async def serving(app: FastAPI, host: str, port: int) -> AsyncIterator[str]:
    """Serve `app` on `host`:`port` (0: a free port) while the context lasts; yield its base URL."""
    server = HostedServer(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError(f"the API did not start on {host}:{port}")
            await asyncio.sleep(0.01)
        bound = server.servers[0].sockets[0].getsockname()
        yield f"http://{host}:{bound[1]}"
    finally:
        server.should_exit = True
        await task
