"""Text a record can hold: no control characters except line breaks and tabs.

PostgreSQL cannot store NUL in text (`invalid byte sequence for encoding "UTF8": 0x00`) and a lone
surrogate cannot be encoded as UTF-8 at all, so a value holding either, once accepted by a workflow, is
refused by every later write of the case. Other control characters have no place in a record a person
reads or an e-mail a practitioner receives. Every boundary model refuses them (`safeguarding.models.Frozen`);
`scrub` is the last line, for a write the case store refused anyway.

A carriage return is allowed beside the line feed: HTML forms send line breaks as CR LF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates."""
REPLACEMENT = "\ufffd"
REFUSED_DATA = "CaseStoreRefusedData"
"""The failure type of an activity given data the case store refuses (`activities.refusals`): never retried."""


def text_problem(value: str) -> str | None:
    """Return why `value` cannot be recorded, naming the character and where it is (never the text), or None."""
    found = FORBIDDEN.search(value)
    if found is None:
        return None
    return (
        f"contains the control character U+{ord(found.group()):04X} at position {found.start() + 1}; "
        "only printable text, line breaks and tabs are accepted"
    )


def check_clear(value: Any) -> Any:
    """Return `value` unchanged if every string in it (through tuples, lists and mappings) is clear text.

    Raises ValueError with `text_problem`'s reason otherwise. Nested models check their own fields.
    """
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_clear(item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_clear(key)
            check_clear(item)
    return value


def scrub(value: str) -> str:
    """Return `value` with every forbidden character replaced by U+FFFD, so what surrounds it is kept."""
    return FORBIDDEN.sub(REPLACEMENT, value)


def scrubbed(model: M) -> M:
    """Return a copy of `model` with its text fields scrubbed (not validated again: it may hold what was refused)."""
    return model.model_copy(update={name: scrub(value) for name, value in model if isinstance(value, str)})
