"""Opaque page cursors: where the last page ended, for the lists that are read a page at a time.

Pages are cut by keyset (the sort key of the last item shown), not by offset. Tasks open and close and
entries are written while someone pages: an offset would then skip or repeat rows, while a keyset carries
on after the last row seen whatever changed before it, and costs one index range scan however deep the
page. A cursor is the kind of list and that sort key as base64url JSON. It is not a secret (it holds a due
date or a time and a row id, no personal data) and is not signed: a forged one can only start a page
somewhere else in a list the caller may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, TypeVar

from safeguarding.service.errors import Invalid

T = TypeVar("T")


def encode_cursor(kind: str, *key: str | int | None) -> str:
    """Return the cursor of a page of `kind` that ended at the row whose sort key is `key`."""
    text = json.dumps([kind, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str, parse: Callable[[list[Any]], T]) -> T:
    """Return the sort key `cursor` holds, read by `parse`; refuse one that is malformed or of another list."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
        if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
            raise ValueError(kind)
        return parse(decoded[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, IndexError):
        raise Invalid(f"the cursor is not one this list gave (a {kind} cursor)", field="cursor") from None
