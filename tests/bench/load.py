"""Concurrent HTTP clients: each an `httpx.AsyncClient` of its own, sending its next request once answered.

A closed loop, as a team at their desks is: a client sends its next request when its last one is answered,
so at most `clients` requests are in flight and a slower server is sent fewer. Every answer must be a
success: a benchmark that timed refusals would measure the wrong thing, so a failure stops it with its
status and body (ids and codes only: the bench's data is fictional).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

import httpx

Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
"""One request, sent with whichever client takes it."""

CLIENTS = 20
KEEP_ALIVE_SECONDS = 2.0
"""Below uvicorn's 5 s: a client that idled between phases reconnects, never reusing a connection the server
is closing at that moment (httpx's default, also 5 s, races it and fails with a ReadError)."""
"""Callers at once: a busy team's managers and workers at their desks, and the systems that call the API."""


def http_client(base_url: str, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """Return one caller: a client of its own, keeping its connection alive while it is busy."""
    return httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=60, limits=httpx.Limits(keepalive_expiry=KEEP_ALIVE_SECONDS)
    )


async def closed_loop(clients: Sequence[httpx.AsyncClient], requests: Sequence[Request]) -> list[float]:
    """Send `requests` through `clients` concurrently; return each one's wall time in milliseconds."""
    pending = iter(requests)
    samples: list[float] = []

    async def caller(http: httpx.AsyncClient) -> None:
        for request in pending:
            started = time.perf_counter()
            response = await request(http)
            samples.append((time.perf_counter() - started) * 1000)
            if not response.is_success:
                raise RuntimeError(
                    f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text}"
                )

    await asyncio.gather(*(caller(http) for http in clients))
    return samples
