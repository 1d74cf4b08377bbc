"""`python -m starter keys new|usage`: rotate the payload keys that encrypt every Temporal payload.

`keys new [--id KEY_ID]` prints a new AES-256 key as a setting entry (`KEY_ID:BASE64_KEY`), once: put it
first in `SAFEGUARDING_PAYLOAD_KEYS` and keep the old ones after it, then restart the worker and the API.
The new key encrypts every payload from then on; the old ones still decrypt what they wrote.
`keys usage` reads every history the server keeps, raw, and prints which key ids they use: an old key may
be removed once no history uses it (`removable`); a key id listed under `missing` is needed and not
configured. Nothing is re-encrypted, ever: Temporal's histories cannot be rewritten, and need not be.
"""

from __future__ import annotations

import argparse
import re
import secrets
from datetime import UTC, datetime

from pydantic import BaseModel

from safeguarding.codec import DEV_KEY_PREFIX, new_key_entry
from starter.exits import Refused, finish

KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class NewKey(BaseModel):
    """A new payload key, shown once."""

    key_id: str
    entry: str
    next: str = (
        "Put the entry first in SAFEGUARDING_PAYLOAD_KEYS, keeping the current keys after it, and restart the "
        "worker and the API. Remove an old key only once `keys usage` lists it as removable."
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `keys` command and its actions."""
    parser = subparsers.add_parser(
        "keys", help="make a new payload key; see which keys histories use", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    new = actions.add_parser("new", help="print a new payload key once, as a setting entry")
    new.add_argument(
        "--id", dest="key_id", metavar="KEY_ID", help="its id (default: the month and 4 random hex digits)"
    )
    new.set_defaults(handler=lambda args: finish("keys", _new(args)))
    usage = actions.add_parser("usage", help="which key ids the kept histories use (reads, decrypts nothing)")
    usage.set_defaults(handler=lambda args: finish("keys", _usage()))


async def _new(args: argparse.Namespace) -> NewKey:
    key_id = args.key_id or f"{datetime.now(UTC):%Y-%m}-{secrets.token_hex(2)}"
    if not KEY_ID.fullmatch(key_id):
        raise Refused("--id: letters, digits and . _ - only, at most 64")
    if key_id.startswith(DEV_KEY_PREFIX):
        raise Refused(f"--id: {DEV_KEY_PREFIX}... names the development keys, which production refuses")
    return NewKey(key_id=key_id, entry=new_key_entry(key_id))


async def _usage() -> BaseModel:
    from safeguarding.config import Settings
    from safeguarding.key_usage import key_usage
    from safeguarding.temporal import connect, payload_keys

    settings = Settings()
    keys = payload_keys(settings)
    return await key_usage(await connect(settings, keys=keys), [kid for kid, _ in keys])
