"""Ids in a decision's body that name a practitioner: who they name must exist, be active and hold the role.

A decision such as `allocate` names who does the work (`social_worker_id`); an id that names nobody, someone
who has left, or someone in the wrong role would put the task in no one's tray and send its reminders
nowhere. Such a field is typed with one of the aliases below; `named_practitioners` finds every one in a
command, nested models and tuples included, so the caller checks them all against the case store before
anything is sent (`safeguarding.store.practitioners.named_practitioner_problems`). The workflow cannot read
the case store in a validator, so this check is the caller's.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel

from safeguarding.codes import Role
from safeguarding.models import Id


@dataclass(frozen=True)
class NamesPractitioner:
    """Field metadata: the id names a practitioner who must hold one of `roles` (any role when empty)."""

    roles: tuple[Role, ...] = ()


PractitionerId = Annotated[Id, NamesPractitioner()]
SocialWorkerId = Annotated[Id, NamesPractitioner((Role.SOCIAL_WORKER,))]
HealthPractitionerId = Annotated[Id, NamesPractitioner((Role.HEALTH_VISITOR, Role.MIDWIFE))]
"""Who joins a joint visit from health: the health visitor, or the midwife before birth (§3)."""
FgcCoordinatorId = Annotated[Id, NamesPractitioner((Role.FGC_COORDINATOR,))]
TeamManagerId = Annotated[Id, NamesPractitioner((Role.TEAM_MANAGER,))]
ManagerId = Annotated[Id, NamesPractitioner((Role.TEAM_MANAGER, Role.SERVICE_MANAGER))]
LadoId = Annotated[Id, NamesPractitioner((Role.LADO,))]
ResponsibleId = Annotated[
    Id,
    NamesPractitioner((Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.LADO, Role.FGC_COORDINATOR)),
]
"""Whoever some process may name responsible for its work (`commands.reassign`); each process names fewer."""


@dataclass(frozen=True)
class NamedPractitioner:
    """One id found in a body: the field it is in (a dotted path), the id, and the roles it must hold."""

    field: str
    practitioner_id: str
    roles: tuple[Role, ...]


def named_practitioners(model: BaseModel) -> list[NamedPractitioner]:
    """Return every practitioner id `model` names outside its actor, in field order."""
    found: list[NamedPractitioner] = []
    for name, info in type(model).model_fields.items():
        if name != "actor":
            found += _walk(name, info.annotation, info.metadata, getattr(model, name))
    return found


def _walk(path: str, annotation: Any, metadata: list[Any], value: Any) -> Iterator[NamedPractitioner]:
    if value is None:
        return
    annotation = _without_none(annotation)
    if typing.get_origin(annotation) is Annotated:
        annotation, *more = typing.get_args(annotation)
        metadata = [*metadata, *more]
    for marker in metadata:
        if isinstance(marker, NamesPractitioner) and isinstance(value, str):
            yield NamedPractitioner(path, value, marker.roles)
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _walk(f"{path}.{name}", info.annotation, info.metadata, getattr(value, name))
    elif isinstance(value, tuple | list):
        item_type = _item_type(annotation)
        for index, item in enumerate(value):
            yield from _walk(f"{path}.{index}", item_type, [], item)


def _without_none(annotation: Any) -> Any:
    """Return `X` for `X | None`; anything else unchanged."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        arms = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return arms[0] if len(arms) == 1 else annotation
    return annotation


def _item_type(annotation: Any) -> Any:
    """Return the element type of `tuple[X, ...]` or `list[X]`."""
    args = typing.get_args(annotation)
    return args[0] if args else Any
