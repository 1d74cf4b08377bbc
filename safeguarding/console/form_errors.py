"""A refused form as GOV.UK shows it: an error summary whose entries link to their fields, each message beside it.

Shared by every form made from a command model (`decision_forms`): a decision's and the start-work forms.
Three things can refuse what was sent, and each becomes entries the same way: an answer that cannot be read
as its type (`Unreadable`), the command model's validation (pydantic's errors, located by their `loc`), and
the use case's refusal (`ServiceError`, located by its `field`, which names the body's field the API's way:
`child.date_of_birth`, `family[0].person_id`).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from safeguarding.console.decision_forms import DecisionForm, Unreadable
from safeguarding.console.templating import words
from safeguarding.service.errors import ServiceError


def error_entry(form: DecisionForm, text: str, field: str | None) -> dict[str, str]:
    """Return one error summary entry, linked to its field (or the nearest one the form has, else its first)."""
    names = form.names()
    target = field or ""
    while target and target not in names:
        target = target.rpartition("-")[0]
    target = target or (names[0] if names else "")
    anchor = f"{target}-day" if target in form.date_names() else target
    return {"text": text, "href": f"#{anchor}", "field": target}


def unreadable_entry(form: DecisionForm, unreadable: Unreadable) -> dict[str, str]:
    """Return the entry of an answer that is not of its type (a date that is no date)."""
    return error_entry(form, unreadable.reason, unreadable.field)


def validation_entries(form: DecisionForm, invalid: ValidationError, *, under: str = "") -> list[dict[str, str]]:
    """Return an entry for each of the command model's objections; `under` prefixes the inputs of a nested model."""
    entries = []
    labels = form.labels()
    for error in invalid.errors():
        field = under + "-".join(str(part) for part in error["loc"])
        entries.append(error_entry(form, _message(error, labels.get(field)), field or under.rstrip("-") or None))
    return entries


def service_entry(form: DecisionForm, refused: ServiceError, *, within: tuple[str, ...] = ("",)) -> dict[str, str]:
    """Return the entry of a use case's refusal, beside the field it names.

    The field is named the API's way (`family[0].person_id`); `within` lists the prefixes its input may have
    in this form (a registration's fields are under `registration-` in a contact about a new child). A
    reason that leads with its field's name is shown without it: the message stands beside the field.
    """
    if refused.field is None:
        return error_entry(form, refused.reason, None)
    name = re.sub(r"\[(\d+)\]", r"-\1", refused.field).replace(".", "-")
    names = set(form.names())
    target = next((prefix + name for prefix in within if prefix + name in names), within[-1] + name)
    return error_entry(form, refused.reason.removeprefix(f"{refused.field}: "), target)


def _message(error: Any, label: str | None) -> str:
    """Return a validation error in words, led by the label of the field it is about (or its place in the body)."""
    where = label or " ".join(str(part + 1) if isinstance(part, int) else words(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return f"Answer ‘{where}’" if where else message
    return f"{where}: {message}" if where else message
