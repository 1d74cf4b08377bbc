"""What counts as an outage (retried quietly) and what keeps its own meaning."""

from __future__ import annotations

import pytest
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.outages import is_outage


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError(), True),
        (RPCError("tcp connect error", RPCStatusCode.UNAVAILABLE, b""), True),
        (RPCError("deadline exceeded", RPCStatusCode.DEADLINE_EXCEEDED, b""), True),
        (RPCError("workflow not found", RPCStatusCode.NOT_FOUND, b""), False),
        (RPCError("already started", RPCStatusCode.ALREADY_EXISTS, b""), False),
        (ValueError("a fault in the code"), False),
    ],
)
def test_an_unreachable_server_is_an_outage_and_a_refusal_is_not(error: BaseException, outage: bool) -> None:
    assert is_outage(error) is outage
