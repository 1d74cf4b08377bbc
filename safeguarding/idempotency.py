"""A caller's idempotency key: checked, hashed with its request, and made safe to use as a Temporal Update id.

Temporal keeps an Update id in the workflow's history and shows it in its UI in the clear, with no payload
codec to hide it. A caller's key is its own text and may hold anything, a child's name included, so it is
hashed first. The hash is stable (no secret, no salt) so a retry with the same key, however much later and
through whichever entry point, finds the same Update and gets its first result.

A key is kept with a hash of the request it came with (`safeguarding.store.idempotency`), so the same key
sent with another request is known for what it is; the API's `Idempotency-Key` and the console's form keys
are checked and hashed alike.
"""

from __future__ import annotations

import hashlib

from safeguarding.text import text_problem

MAX_KEY = 200


def key_problem(key: str) -> str | None:
    """Return why `key` cannot be an idempotency key (its length, a control character; never the key), or None."""
    if not 0 < len(key) <= MAX_KEY:
        return f"is {len(key)} characters long; a key has 1 to {MAX_KEY}"
    return text_problem(key)


def request_hash(*parts: bytes) -> str:
    """Return the hash of a request made of `parts` (its method, path, query and body), to compare a retry's."""
    return hashlib.sha256(b"\n".join(parts)).hexdigest()


def update_id(decision: str, key: str) -> str:
    """Return the Update id for `decision` sent with the caller's idempotency `key`."""
    digest = hashlib.sha256(f"{decision}\n{key}".encode()).hexdigest()[:32]
    return f"{decision}-{digest}"
