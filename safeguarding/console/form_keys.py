"""A start-work form's one-time key: the form sent twice (a double click, a page the browser resends) records once.

GOV.UK's `data-prevent-double-click` needs JavaScript and holds for a second only, so the server decides: each
form page carries a random key of its own, made when the page is shown and kept when the form comes back
refused, so the corrected form is the same form. Sending it claims the key for its sender in
`idempotency_records`, as the API's `Idempotency-Key` does (`safeguarding.store.idempotency`), before the use
case runs. Work recorded keeps the page it went to as the key's answer, and the same form sent again goes
there too; a refusal gives the key up, so the corrected form can be sent. A sending that died before its
answer was kept (its server stopped) gives the key up too, once its claim is older than
`SAFEGUARDING_IDEMPOTENCY_CLAIM_MINUTES`; until then the form sent again is told it is still being recorded.
The key is random, never made from what the form says, and neither it nor any answer is logged.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping

from safeguarding.console.security import CSRF_FIELD
from safeguarding.idempotency import key_problem, request_hash

FIELD = "form_key"
SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
"""What `new_form_key` makes: 32 random bytes, URL-safe base64."""

NOT_OURS = (
    "Nothing was recorded: this form did not come from a page of the console, or was changed on the way. "
    "Check your answers and send the form again"
)
STILL_RECORDING = (
    "This form was sent a moment ago and is still being recorded. Check the case before you send it again: "
    "once it is recorded, sending it again shows what was recorded and records nothing twice"
)
SENT_ALREADY = (
    "This form was sent already, and what it said then was recorded. What you have changed since was not: "
    "check the record before you send the form again, which records it as new work"
)


def new_form_key() -> str:
    """Return a fresh key for a form page."""
    return secrets.token_urlsafe(32)


def form_key_problem(key: str | None) -> str | None:
    """Return why `key` is not a key the console made (for the log: never the key itself), or None."""
    if not key:
        return "is missing"
    problem = key_problem(key)
    if problem is not None:
        return problem
    return None if SHAPE.fullmatch(key) else "is not of the shape the console makes"


def form_hash(path: str, query: str, submitted: Mapping[str, str]) -> str:
    """Return the hash of the form sent to `path?query`: its answers, without its CSRF token and its key."""
    answers = sorted((name, value) for name, value in submitted.items() if name not in (CSRF_FIELD, FIELD))
    return request_hash(b"POST", path.encode(), query.encode(), json.dumps(answers).encode())
