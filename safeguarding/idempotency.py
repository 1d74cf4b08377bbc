"""A caller's idempotency key, made safe to use as a Temporal Update id.

Temporal keeps an Update id in the workflow's history and shows it in its UI in the clear, with no payload
codec to hide it. A caller's key is its own text and may hold anything, a child's name included, so it is
hashed first. The hash is stable (no secret, no salt) so a retry with the same key, however much later and
through whichever entry point, finds the same Update and gets its first result.
"""

from __future__ import annotations

import hashlib


def update_id(decision: str, key: str) -> str:
    """Return the Update id for `decision` sent with the caller's idempotency `key`."""
    digest = hashlib.sha256(f"{decision}\n{key}".encode()).hexdigest()[:32]
    return f"{decision}-{digest}"
