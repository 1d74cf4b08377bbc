"""The coded fields of the decisions: which codes each takes and what they mean, read from the models.

A decision's coded field takes a code, not words: a plan's category is the census code (`NEG` for neglect,
statutory-rules.md §5), an outcome its snake_case code. A refused body lists the codes the field takes, and
the README's table of coded fields is checked against `coded_fields` (tests/test_readme.py).
"""

from __future__ import annotations

import types
from enum import Enum
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel

_NOT_DECIDED_IN_THE_BODY = frozenset({"actor"})
"""The actor comes from the credential, never from a decision's body."""


def coded_fields(model: type[BaseModel]) -> list[tuple[str, type[Enum]]]:
    """Return every coded field of `model`, nested ones as `participants.agency`, with the codes it takes."""
    found = []
    for name, field in model.model_fields.items():
        if name in _NOT_DECIDED_IN_THE_BODY:
            continue
        for kind in _kinds(field.annotation):
            if issubclass(kind, Enum):
                found.append((name, kind))
            elif issubclass(kind, BaseModel) and kind is not model:
                found += [(f"{name}.{inner}", codes) for inner, codes in coded_fields(kind)]
    return found


def codes_at(model: type[BaseModel], location: tuple[int | str, ...]) -> type[Enum] | None:
    """Return the codes the field at a validation error's `location` takes, or None when it is not coded."""
    path = ".".join(str(part) for part in location if isinstance(part, str))
    return dict(coded_fields(model)).get(path)


def describe_codes(codes: type[Enum]) -> str:
    """Return the codes, with the meaning of a census code: "NEG (neglect), ... or MUL (multiple)".

    A snake_case code is its own meaning (`early_help`); a census code is named by its member.
    """
    described = [
        f"{code.value} ({code.name.lower().replace('_', ' ')})" if is_census_code(code) else str(code.value)
        for code in codes
    ]
    return ", ".join(described[:-1]) + f" or {described[-1]}" if len(described) > 1 else described[0]


def is_census_code(code: Enum) -> bool:
    """Return whether `code` is a census code (`NEG`, `RC7`, `21`), which needs its meaning beside it, rather than a
    snake_case code (`early_help`), which is its own: a census code has no lower-case letter."""
    return not any(letter.islower() for letter in str(code.value))


def _kinds(annotation: object) -> list[type]:
    """Return the classes an annotation names, through Optional, unions, tuples and Annotated."""
    origin = get_origin(annotation)
    if origin is None:
        return [annotation] if isinstance(annotation, type) else []
    if origin in (Union, types.UnionType, tuple, list, Annotated):
        args = get_args(annotation)[:1] if origin is Annotated else get_args(annotation)
        return [kind for arg in args if arg is not type(None) and arg is not Ellipsis for kind in _kinds(arg)]
    return []
