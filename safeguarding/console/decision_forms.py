"""A decision's form, made from its command model: one GOV.UK field per field of the body, read back into a body.

No decision has a template of its own: the fields come from the command model (`actor` never: who decides
comes from the session), so a new decision or a new field has its form without more work. How each type is
asked for, without JavaScript:

- a code (an enum) as radios, each code in words (a census code with its meaning: "Neglect (NEG)");
- a yes/no as two radios;
- a date as GOV.UK's date input; an aware datetime as the date input and a time (HH:MM, UK time);
- an id naming a practitioner (`safeguarding.named_practitioners`) as a select of the active practitioners
  holding a role the field needs;
- a list of ids or of short texts as a textarea, one per line;
- other text as a text input, long text (a rationale) as a textarea.

A field of any other type (a list of nested records, such as a debrief's actions, or a nested record) is
not guessed at: the form says plainly that it cannot be made here (`Field.kind == UNSUPPORTED`), and
`renderable` is False so the page offers no button.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any

from annotated_types import MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from safeguarding.codes import Role
from safeguarding.named_practitioners import NamesPractitioner
from safeguarding.working_days import LONDON

RADIOS = "radios"
YES_NO = "yes_no"
DATE = "date"
DATETIME = "datetime"
TEXT = "text"
TEXTAREA = "textarea"
NUMBER = "number"
PRACTITIONER = "practitioner"
LINES = "lines"
UNSUPPORTED = "unsupported"

LONG_TEXT = 1000
"""A text field that may hold more than this many characters is asked for in a textarea."""


@dataclass(frozen=True)
class Choice:
    """One option of a radio group or a select: the code sent, and its words."""

    value: str
    text: str


@dataclass(frozen=True)
class Field:
    """One field of a decision's form."""

    name: str
    label: str
    kind: str
    required: bool
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    roles: tuple[Role, ...] = ()
    """For a practitioner select: the roles its practitioner must hold (any role when empty)."""


@dataclass(frozen=True)
class DecisionForm:
    """A decision's form: its fields, and whether every one of them can be made here."""

    fields: tuple[Field, ...]

    @property
    def renderable(self) -> bool:
        """Whether every field of the body can be asked for in this form."""
        return all(f.kind != UNSUPPORTED for f in self.fields)


class Unreadable(ValueError):
    """A field's answer cannot be read (a date that is no date); `field` names it."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def code_words(code: Enum) -> str:
    """Return a code in words: `early_help` -> `Early help`; a census code with its meaning: `Neglect (NEG)`."""
    value = str(code.value)
    if value.isupper():
        return f"{code.name.replace('_', ' ').capitalize()} ({value})"
    return value.replace("_", " ").capitalize()


def decision_form(command: type[BaseModel], *, rationale_required: bool, rationale_when: str | None) -> DecisionForm:
    """Return the form of a decision whose command model is `command`; the rationale's hint says when it is needed."""
    fields = []
    for name, info in command.model_fields.items():
        if name == "actor":
            continue
        made = _field(name, info)
        if name == "rationale":
            made = _rationale(made, rationale_required, rationale_when)
        fields.append(made)
    # The rationale and the date it was decided come last: the decision first, then why and when.
    order = {"rationale": 1, "effective_at": 2}
    return DecisionForm(tuple(sorted(fields, key=lambda f: order.get(f.name, 0))))


def _rationale(made: Field, required: bool, when: str | None) -> Field:
    if required:
        return Field(made.name, "Rationale", TEXTAREA, True, "Required: say why this decision was made.")
    if when:
        return Field(made.name, "Rationale", TEXTAREA, False, f"Required {when}.")
    return Field(made.name, "Rationale (optional)", TEXTAREA, False)


def _field(name: str, info: FieldInfo) -> Field:
    annotation, metadata = _unwrap(info.annotation, list(info.metadata))
    required = info.is_required()
    label = name.replace("_", " ").capitalize() + ("" if required else " (optional)")
    hint = info.description
    if name == "effective_at":
        label, hint = "When it was decided (optional)", "Only if it was decided earlier than now; never in the future."
    marker = next((m for m in metadata if isinstance(m, NamesPractitioner)), None)
    if marker is not None and annotation is str:
        return Field(name, label, PRACTITIONER, required, hint, roles=marker.roles)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Field(
            name, label, RADIOS, required, hint, tuple(Choice(str(c.value), code_words(c)) for c in annotation)
        )
    if annotation is bool:
        return Field(name, label, YES_NO, required, hint, (Choice("true", "Yes"), Choice("false", "No")))
    if annotation is datetime:
        return Field(name, label, DATETIME, required, hint)
    if annotation is date:
        return Field(name, label, DATE, required, hint)
    if annotation is int:
        return Field(name, label, NUMBER, required, hint)
    if annotation is str:
        longest = next((m.max_length for m in metadata if isinstance(m, MaxLen)), None)
        return Field(name, label, TEXTAREA if longest and longest > LONG_TEXT else TEXT, required, hint)
    if typing.get_origin(annotation) in (tuple, list):
        item, _ = _unwrap(typing.get_args(annotation)[0], [])
        if item is str:
            return Field(name, label, LINES, required, "One on each line." + (f" {hint}" if hint else ""))
    return Field(name, label, UNSUPPORTED, required, hint)


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Return the annotation without `| None` and `Annotated`, with the metadata `Annotated` carried."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        arms = [arm for arm in typing.get_args(annotation) if arm is not type(None)]
        if len(arms) == 1:
            annotation = arms[0]
    if typing.get_origin(annotation) is Annotated:
        annotation, *more = typing.get_args(annotation)
        for extra in more:
            metadata += list(extra.metadata) if isinstance(extra, FieldInfo) else [extra]
    return annotation, metadata


def typed(form: DecisionForm, submitted: Mapping[str, str]) -> dict[str, str]:
    """Return what was typed into each input of the form, to show it again after a refusal."""
    names = [f.name for f in form.fields] + [
        f"{f.name}-{part}"
        for f in form.fields
        if f.kind in (DATE, DATETIME)
        for part in ("day", "month", "year", "time")
    ]
    return {name: str(submitted.get(name, "")) for name in names}


def read_body(form: DecisionForm, submitted: Mapping[str, str]) -> dict[str, Any]:
    """Return the decision's body from the form's answers; a blank answer is left out (the model says if it is needed).

    Raises Unreadable for an answer that cannot be read as its type (a date that is not one); everything else,
    including a missing answer, is the command model's to judge.
    """
    body: dict[str, Any] = {}
    for f in form.fields:
        value = _read(f, submitted)
        if value is not None:
            body[f.name] = value
    return body


def _read(f: Field, submitted: Mapping[str, str]) -> Any:
    raw = str(submitted.get(f.name, "")).strip()
    if f.kind in (DATE, DATETIME):
        return _read_date(f, submitted)
    if f.kind == LINES:
        lines = tuple(line.strip() for line in str(submitted.get(f.name, "")).splitlines() if line.strip())
        return lines or None
    if not raw:
        return None
    if f.kind == YES_NO:
        return raw == "true" if raw in ("true", "false") else raw
    if f.kind == TEXTAREA:
        return str(submitted.get(f.name, "")).replace("\r\n", "\n").strip()
    return raw


def _read_date(f: Field, submitted: Mapping[str, str]) -> date | datetime | None:
    parts = {part: str(submitted.get(f"{f.name}-{part}", "")).strip() for part in ("day", "month", "year", "time")}
    if f.kind == DATE:
        parts.pop("time")
    if not any(parts.values()):
        return None
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise Unreadable(f"{f.label.removesuffix(' (optional)')} must be a real date", f.name) from None
    if f.kind == DATE:
        return day
    try:
        hour, minute = (int(number) for number in parts["time"].split(":"))
        at = time(hour, minute)
    except ValueError:
        raise Unreadable(f"{f.label.removesuffix(' (optional)')} needs a time, such as 14:30", f.name) from None
    return datetime.combine(day, at, tzinfo=LONDON)
