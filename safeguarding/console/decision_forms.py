"""A decision's form, made from its command model: one GOV.UK field per field of the body, read back into a body.

No decision has a template of its own: the fields come from the command model (`actor` never: who decides
comes from the session), so a new decision or a new field has its form without more work. How each type is
asked for, without JavaScript:

- a code (an enum) as radios, each code by its label (`safeguarding.labels`: "Neglect (NEG)");
- a list of codes (the factors an assessment identified) as checkboxes, each code by its label; the boxes
  checked reach `read_body` one on each line, as a list of texts does;
- a yes/no as two radios;
- a date as GOV.UK's date input; an aware datetime as the date input and a time (HH:MM, UK time);
- an id naming a practitioner (`safeguarding.named_practitioners`) as a select of the active practitioners
  holding a role the field needs;
- a list of ids or of short texts as a textarea, one per line;
- other text as a text input, long text (a rationale) as a textarea;
- a nested record (a harm test) as a fieldset of its own fields;
- a list of nested records (a debrief's actions, dissent) as a fixed number of repeated fieldsets
  (`REPEATS`, or the list's least length when that is more): a fieldset left blank is left out, so a list
  longer than that is for the API.

A field of any other type is not guessed at: the form says plainly that it cannot be made here
(`Field.kind == UNSUPPORTED`), and `renderable` is False so the page offers no button.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.datastructures import ImmutableMultiDict

from safeguarding import labels
from safeguarding.codes import Role
from safeguarding.named_practitioners import NamesPractitioner
from safeguarding.working_days import LONDON

RADIOS = "radios"
CHECKBOXES = "checkboxes"
YES_NO = "yes_no"
DATE = "date"
DATETIME = "datetime"
TEXT = "text"
TEXTAREA = "textarea"
NUMBER = "number"
PRACTITIONER = "practitioner"
LINES = "lines"
RECORD = "record"
RECORDS = "records"
UNSUPPORTED = "unsupported"

REPEATS = 5
"""How many fieldsets a list of nested records is given (its least length when that is more)."""

LONG_TEXT = 1000
"""A text field that may hold more than this many characters is asked for in a textarea."""


@dataclass(frozen=True)
class Choice:
    """One option of a radio group or a select: the code sent, and its words."""

    value: str
    text: str


@dataclass(frozen=True)
class Field:
    """One field of a form: `name` is its input's (`dissent-0-view`), `key` its place in the body (`view`)."""

    name: str
    label: str
    kind: str
    required: bool
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    roles: tuple[Role, ...] = ()
    """For a practitioner select: the roles its practitioner must hold (any role when empty)."""
    groups: tuple[tuple[Field, ...], ...] = ()
    """For a nested record, its one fieldset; for a list of them, each repeated fieldset."""
    key: str = ""

    @property
    def renderable(self) -> bool:
        """Whether this field, and every field nested in it, can be asked for."""
        return self.kind != UNSUPPORTED and all(inner.renderable for group in self.groups for inner in group)

    def names(self) -> list[str]:
        """Return the input names of this field and every field nested in it."""
        return [self.name] + [name for group in self.groups for inner in group for name in inner.names()]


@dataclass(frozen=True)
class DecisionForm:
    """A decision's form: its fields, and whether every one of them can be made here."""

    fields: tuple[Field, ...]

    @property
    def renderable(self) -> bool:
        """Whether every field of the body can be asked for in this form."""
        return all(f.renderable for f in self.fields)

    def names(self) -> list[str]:
        """Return the input names of every field, nested ones included."""
        return [name for f in self.fields for name in f.names()]

    def date_names(self) -> set[str]:
        """Return the input names of the date fields (their first input is `<name>-day`)."""
        return {f.name for f in _every(self.fields) if f.kind in (DATE, DATETIME)}

    def labels(self) -> dict[str, str]:
        """Return each field's label by its input name, nested fields included, without "(optional)"."""
        return {f.name: f.label.removesuffix(" (optional)") for f in _every(self.fields)}


def _every(fields: tuple[Field, ...]) -> list[Field]:
    """Return `fields` and every field nested in them."""
    return [each for f in fields for each in [f, *_every(tuple(i for group in f.groups for i in group))]]


class Unreadable(ValueError):
    """A field's answer cannot be read (a date that is no date); `field` names it."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


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
        return Field(made.name, "Rationale", TEXTAREA, True, "Required: say why this decision was made.", key=made.key)
    if when:
        return Field(made.name, "Rationale", TEXTAREA, False, f"Required {when}.", key=made.key)
    return Field(made.name, "Rationale (optional)", TEXTAREA, False, key=made.key)


def _field(name: str, info: FieldInfo, key: str | None = None) -> Field:
    """Return the field asking for `info`, under input name `name` (its body key is `key`, or `name`)."""
    return replace(_typed_field(name, info, key or name), key=key or name)


def _typed_field(name: str, info: FieldInfo, key: str) -> Field:
    """Return the field asking for `info` under input name `name`, labelled from its body key `key`."""
    annotation, metadata = _unwrap(info.annotation, list(info.metadata))
    required = info.is_required()
    label = key.replace("_", " ").capitalize() + ("" if required else " (optional)")
    hint = info.description
    if name == "effective_at":
        label, hint = "When it was decided (optional)", "Only if it was decided earlier than now; never in the future."
    marker = next((m for m in metadata if isinstance(m, NamesPractitioner)), None)
    if marker is not None and annotation is str:
        return Field(name, label, PRACTITIONER, required, hint, roles=marker.roles)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Field(
            name, label, RADIOS, required, hint, tuple(Choice(str(c.value), labels.label(c)) for c in annotation)
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
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Field(name, label, RECORD, required, hint, groups=(_group(name, annotation),))
    if typing.get_origin(annotation) in (tuple, list):
        item, _ = _unwrap(typing.get_args(annotation)[0], [])
        if item is str:
            return Field(name, label, LINES, required, "One on each line." + (f" {hint}" if hint else ""))
        if isinstance(item, type) and issubclass(item, Enum):
            choices = tuple(Choice(str(c.value), labels.label(c)) for c in item)
            hint = "Choose all that apply." + (f" {hint}" if hint else "")
            return Field(name, label, CHECKBOXES, required, hint, choices)
        if isinstance(item, type) and issubclass(item, BaseModel):
            least = next((m.min_length for m in metadata if isinstance(m, MinLen)), 0)
            most = next((m.max_length for m in metadata if isinstance(m, MaxLen)), None)
            repeats = min(max(REPEATS, least), most or REPEATS)
            hint = f"Fill in as many as apply, at least {least}; leave the rest blank." if least else hint
            groups = tuple(_group(f"{name}-{index}", item) for index in range(repeats))
            return Field(name, label, RECORDS, required, hint, groups=groups)
    return Field(name, label, UNSUPPORTED, required, hint)


def _group(prefix: str, model: type[BaseModel]) -> tuple[Field, ...]:
    """Return the fields of one nested record, their inputs named under `prefix`."""
    return tuple(_field(f"{prefix}-{inner}", info, inner) for inner, info in model.model_fields.items())


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


def answers(sent: ImmutableMultiDict[str, Any]) -> dict[str, str]:
    """Return the answers by input name; an input sent more than once (the boxes checked of a list of codes)
    gives its values one on each line, as `read_body` reads them. Uploads are left out."""
    return {
        key: "\n".join(value for value in sent.getlist(key) if isinstance(value, str))
        for key in dict.fromkeys(sent.keys())
    }


def typed(form: DecisionForm, submitted: Mapping[str, str]) -> dict[str, str]:
    """Return what was typed into each input of the form, nested records' included, to show it again after a refusal."""
    every = _every(form.fields)
    names = [f.name for f in every] + [
        f"{f.name}-{part}" for f in every if f.kind in (DATE, DATETIME) for part in ("day", "month", "year", "time")
    ]
    return {name: str(submitted.get(name, "")) for name in names}


def read_body(form: DecisionForm, submitted: Mapping[str, str]) -> dict[str, Any]:
    """Return the decision's body from the form's answers; a blank answer is left out (the model says if it is needed).

    Raises Unreadable for an answer that cannot be read as its type (a date that is not one); everything else,
    including a missing answer, is the command model's to judge.
    """
    return _read_group(form.fields, submitted) or {}


def _read_group(fields: tuple[Field, ...], submitted: Mapping[str, str]) -> dict[str, Any] | None:
    """Return the answers to `fields` by body key, None when every one was left blank."""
    answers = {f.key: value for f in fields if (value := _read(f, submitted)) is not None}
    return answers or None


def _read(f: Field, submitted: Mapping[str, str]) -> Any:
    if f.kind == RECORD:
        return _read_group(f.groups[0], submitted)
    if f.kind == RECORDS:
        records = tuple(record for group in f.groups if (record := _read_group(group, submitted)) is not None)
        return records or None
    raw = str(submitted.get(f.name, "")).strip()
    if f.kind in (DATE, DATETIME):
        return _read_date(f, submitted)
    if f.kind in (LINES, CHECKBOXES):
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
