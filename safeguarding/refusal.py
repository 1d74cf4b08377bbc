"""Why a workflow refused an Update, in one line a person can act on.

A validator's refusal is a single `DecisionRejected` message. A body the workflow could not even read (sent
round our models, say with a control character in its text) is refused by the SDK as "Failed decoding
arguments", with pydantic's account of each field as its cause; that account quotes the value sent, which
may be personal data, so it is reduced to the field and the reason.
"""

from __future__ import annotations

import re

from temporalio.exceptions import FailureError

_VALIDATION_HEADER = re.compile(r"^(?:ValidationError: )?\d+ validation errors? for (\w+)$")
_DETAIL = re.compile(r"\s*\[type=.*$")


def refusal_reason(error: BaseException | None) -> str:
    """Return the innermost message of a refusal's cause chain, without any value quoted from the body."""
    message = ""
    while error is not None:
        message = getattr(error, "message", None) or str(error)
        error = error.cause if isinstance(error, FailureError) else None
    lines = message.splitlines()
    header = _VALIDATION_HEADER.match(lines[0]) if lines else None
    if header is None:
        return " ".join(message.split())
    reasons, field = [], ""
    for line in lines[1:]:
        if line.startswith("    "):  # "For further information visit ..."
            continue
        if line.startswith("  "):
            reason = _DETAIL.sub("", line.strip()).removeprefix("Value error, ")
            reasons.append(f"{field}: {reason}" if field else reason)
        else:
            field = line.strip()
    return f"the {header.group(1)} body is not valid: " + "; ".join(reasons)
