"""Concurrent HTTP clients in a process of their own: each an `httpx.AsyncClient`, sending again once answered.

A closed loop, as a team at their desks is: a client sends its next request when its last one is answered,
so at most `CLIENTS` requests are in flight and a slower server is sent fewer. The clients run in a child
process (`python -m tests.bench.load`, the calls as JSON on its standard input, the samples as JSON on its
standard output) so that their own work is not done on the served app's event loop, as it would not be in
a deployment. Every answer must be a success: a benchmark that timed refusals would measure the wrong thing,
so a failure stops it with its status and body (the bench's data is fictional).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

CLIENTS = 20
"""Callers at once: a busy team's managers and workers at their desks, and the systems that call the API."""


@dataclass(frozen=True)
class Call:
    """One request: method, path on the app, JSON body and headers of its own."""

    method: str
    path: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


async def closed_loop(base_url: str, calls: Sequence[Call], client_headers: Sequence[dict[str, str]]) -> list[float]:
    """Send `calls` to `base_url` from one client per entry of `client_headers`; return each one's milliseconds."""
    spec = {"base_url": base_url, "clients": list(client_headers), "calls": [asdict(call) for call in calls]}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bench.load",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await child.communicate(json.dumps(spec).encode())
    if child.returncode != 0:
        raise RuntimeError(f"the HTTP clients failed: {err.decode().strip().splitlines()[-1:]}")
    samples: list[float] = json.loads(out)
    return samples


async def _run(spec: dict[str, Any]) -> list[float]:
    pending = iter([Call(**call) for call in spec["calls"]])
    samples: list[float] = []

    ready = asyncio.Barrier(len(spec["clients"]))

    async def client(headers: dict[str, str]) -> None:
        async with httpx.AsyncClient(base_url=spec["base_url"], headers=headers, timeout=60) as http:
            await http.head("/")  # untimed: connected, and the client's first-use imports done, before the clock
            await ready.wait()
            for call in pending:
                started = time.perf_counter()
                response = await http.request(call.method, call.path, json=call.json, headers=call.headers)
                samples.append((time.perf_counter() - started) * 1000)
                if not response.is_success:
                    raise RuntimeError(f"{call.method} {call.path}: {response.status_code} {response.text}")

    await asyncio.gather(*(client(headers) for headers in spec["clients"]))
    return samples


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_run(json.load(sys.stdin)))))
