"""Failures small enough for Temporal to keep, and encrypted: why an activity fails stays readable.

Temporal keeps a retrying activity's last failure in the workflow's mutable state only while it is under
4 KiB (the server's `limit.mutableStateActivityFailureSize.error`); a bigger one is replaced by the bare
words "Failure exceeds size limit.", and `temporal workflow describe` (or the Web UI) can no longer say
why the activity fails. A Python failure easily exceeds that: a driver's traceback runs to dozens of
frames, and every cause in the chain brings its own.

So before the message and stack trace are moved into the encoded attributes (which the codec encrypts),
each failure is trimmed to a documented size: at most `MAX_DEPTH` failures of the chain (the outermost
ones and the root cause; those between are dropped), each message at most `MESSAGE_CHARS` characters and
each stack trace its last `STACK_TRACE_CHARS` (the innermost frames, where the error was raised).
Encrypted, such a failure stays under 3 KiB. A trimmed text says that it was trimmed.
"""

from __future__ import annotations

import contextvars

import temporalio.api.failure.v1
from temporalio.converter import DefaultFailureConverter, PayloadConverter

MAX_DEPTH = 3
MESSAGE_CHARS = 400
STACK_TRACE_CHARS = 800
TRIMMED = " [trimmed]"
ENCODED = "Encoded failure"
"""The message the SDK leaves in the clear when the real one is in the encoded attributes."""

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("failure_depth", default=0)


class TrimmedEncodedFailureConverter(DefaultFailureConverter):
    """The SDK's converter with encoded attributes, trimming each failure of a chain to fit Temporal's limit."""

    def __init__(self) -> None:
        # The attributes are encoded here, after trimming, not by the SDK before it.
        super().__init__(encode_common_attributes=False)

    def to_failure(
        self,
        exception: BaseException,
        payload_converter: PayloadConverter,
        failure: temporalio.api.failure.v1.Failure,
    ) -> None:
        """Convert `exception` and its causes; at the outermost call, trim the chain and encode each failure."""
        depth = _depth.get()
        token = _depth.set(depth + 1)
        try:
            super().to_failure(exception, payload_converter, failure)
        finally:
            _depth.reset(token)
        if depth == 0:
            _trim_and_encode(failure, payload_converter)


def _trim_and_encode(failure: temporalio.api.failure.v1.Failure, payload_converter: PayloadConverter) -> None:
    levels = [failure]
    while levels[-1].HasField("cause"):
        levels.append(levels[-1].cause)
    if len(levels) > MAX_DEPTH:
        # Keep the outermost failures and the root cause, the error that started it all; drop those between.
        root = temporalio.api.failure.v1.Failure()
        root.CopyFrom(levels[-1])
        levels[MAX_DEPTH - 2].cause.CopyFrom(root)
        levels = [*levels[: MAX_DEPTH - 1], levels[MAX_DEPTH - 2].cause]
    for level in levels:
        if _encoded(level):
            continue
        message = _head(level.message, MESSAGE_CHARS)
        stack_trace = _tail(level.stack_trace, STACK_TRACE_CHARS)
        level.encoded_attributes.CopyFrom(
            payload_converter.to_payloads([{"message": message, "stack_trace": stack_trace}])[0]
        )
        level.message = ENCODED
        level.stack_trace = ""


def _encoded(failure: temporalio.api.failure.v1.Failure) -> bool:
    """Whether `failure` was encoded where it arose: a cause passed on from an activity or a child workflow.

    Such a failure's outermost level arrives decoded (its message back in place) and is encoded again;
    its causes are still encoded, and trimmed when they were first converted.
    """
    return failure.HasField("encoded_attributes") and failure.message == ENCODED and not failure.stack_trace


def _head(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(TRIMMED)] + TRIMMED


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else TRIMMED.strip() + " " + text[len(text) - limit + len(TRIMMED) :]
