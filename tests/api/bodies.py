"""A valid body for any decision, made from its command model: so a new decision needs no hand-written body.

Each required field takes a plain candidate value for its type (every member of an enum, both booleans, a
past moment, one item of a tuple, a nested model's own bodies); the first combination the command model
accepts — its cross-field validators included — is the body. Ids are the example social worker's: a body's
named practitioners are checked only after the caller's role and team, which is what the role tests need.
"""

from __future__ import annotations

import enum
import itertools
import types
import typing
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

TEXT = "Fictional text for testing."
EMAIL = "fictional@example.invalid"
PAST = datetime.now(UTC) - timedelta(days=1)
MAX_TRIES = 5000


def valid_body(model: type[BaseModel], *, id_value: str, given: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return a body `model` accepts with the fields `given` (a decision's actor), which it leaves out.

    Raise naming the model when no plain body fits it.
    """
    given = given or {}
    for body in _bodies(model, id_value, skip={*given, "effective_at"}):
        try:
            model.model_validate({**body, **given})
        except ValidationError:
            continue
        return body
    raise LookupError(f"no plain body fits {model.__name__}: give tests/api/bodies.py a candidate for its fields")


def _valid(model: type[BaseModel], id_value: str) -> Iterator[dict[str, Any]]:
    """Yield the candidate bodies of a nested model that it accepts."""
    for body in _bodies(model, id_value, skip=set()):
        try:
            model.model_validate(body)
        except ValidationError:
            continue
        yield body


def _bodies(model: type[BaseModel], id_value: str, *, skip: set[str]) -> Iterator[dict[str, Any]]:
    """Yield candidate bodies: the required fields first, then with each optional field filled too."""
    required = [(n, f) for n, f in model.model_fields.items() if n not in skip and f.is_required()]
    optional = [(n, f) for n, f in model.model_fields.items() if n not in skip and not f.is_required()]
    tries = 0
    for extra in [[], *([o] for o in optional), optional]:
        fields = required + list(extra)
        choices = [_field_candidates(field, name, id_value) for name, field in fields]
        for values in itertools.product(*choices):
            tries += 1
            if tries > MAX_TRIES:
                return
            yield {name: value for (name, _), value in zip(fields, values, strict=True)}


def _field_candidates(field: FieldInfo, name: str, id_value: str) -> list[Any]:
    """Return the candidates of a field; a collection with a least length gets that many distinct items."""
    least = next((m.min_length for m in field.metadata if isinstance(m, annotated_types.MinLen)), 1)
    if typing.get_origin(field.annotation) not in (tuple, list, frozenset, set) or least <= 1:
        return _candidates(field.annotation, name, id_value)
    items = _candidates(typing.get_args(field.annotation)[0], name, id_value)
    return [list(chosen) for chosen in itertools.combinations(items, least)] or [items[:1] * least]


def _candidates(annotation: Any, name: str, id_value: str) -> list[Any]:
    """Return plain JSON values a field of `annotation` called `name` may take."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _candidates(args[0], name, id_value)
    if origin in (typing.Union, types.UnionType):
        return [value for arg in args if arg is not type(None) for value in _candidates(arg, name, id_value)]
    if origin is typing.Literal:
        return list(args)
    if origin in (tuple, list, frozenset, set):
        return [[value] for value in _candidates(args[0], name, id_value)[:3]]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [member.value for member in annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(itertools.islice(_valid(annotation, id_value), 20))
    if annotation is bool:
        return [True, False]
    if annotation is datetime:
        return [PAST.isoformat()]
    if annotation is date:
        return [PAST.date().isoformat()]
    if annotation is int:
        return [1]
    if annotation is str:
        if name.endswith(("_id", "_ids")):
            return [id_value]
        return [EMAIL] if name.endswith(("email", "mailbox")) else [TEXT]
    return [TEXT]
