"""The fields the application layer's requests and replies share: names, contact details, national numbers, reasons.

Requests are `safeguarding.models.Frozen` (immutable, unknown fields refused, no control characters:
`safeguarding.text`); the types here add what each field must look like, with the descriptions and examples
the API shows. A reason a value is refused names the rule, never the value: these are people's details.
Replies (`Reply`) are built from the case store and checked no further.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from safeguarding.person_numbers import nhs_number_problem, upn_problem

EARLIEST_BIRTH = date(1900, 1, 1)
"""No one's date of birth is before this: an earlier one is a typing mistake."""


class Reply(BaseModel):
    """Base of the application layer's replies: immutable, read from the case store."""

    model_config = ConfigDict(frozen=True)


def new_id(kind: str) -> str:
    """Return a new id for a `kind` of record, such as `person-3f9a0c12b4d1`: random, it says nothing of anyone."""
    return f"{kind}-{uuid.uuid4().hex[:12]}"


def _one_line(value: str) -> str:
    if re.search(r"[\t\n\r]", value):
        raise ValueError("must be on one line: no line breaks or tabs")
    return value


def _compact(value: Any) -> Any:
    """Drop the spaces and hyphens people type inside a number, and capitalise its letters."""
    return re.sub(r"[\s-]", "", value).upper() if isinstance(value, str) else value


def _upn(value: str) -> str:
    if problem := upn_problem(value):
        raise ValueError(problem)
    return value


def _nhs_number(value: str) -> str:
    if problem := nhs_number_problem(value):
        raise ValueError(problem)
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_one_line),
    Field(examples=["Pip"]),
]
"""A given or family name, as the person uses it."""

Address = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    Field(description="A postal address; line breaks allowed.", examples=["1 Nowhere Lane, Exampletown (fictional)"]),
]

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    Field(description="An e-mail address.", examples=["parent@example.invalid"]),
]

Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()-]{5,29}$"),
    Field(
        description="A telephone number: digits, spaces, brackets, hyphens, a leading +.", examples=["01632 960 001"]
    ),
]

Upn = Annotated[
    str,
    BeforeValidator(_compact),
    AfterValidator(_upn),
    Field(
        description="The child's Unique Pupil Number from their school: 13 characters with its DfE check letter "
        "(spaces are dropped, letters capitalised).",
        examples=["B801200005001"],
    ),
]

NhsNumber = Annotated[
    str,
    BeforeValidator(_compact),
    AfterValidator(_nhs_number),
    Field(
        description="The NHS number: 10 digits with its modulo 11 check digit (spaces and hyphens are dropped).",
        examples=["943 476 5919"],
    ),
]

BirthDate = Annotated[
    date,
    Field(
        ge=EARLIEST_BIRTH,
        description="Date of birth; never in the future.",
        examples=["2019-03-14"],
    ),
]

Relationship = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=60),
    AfterValidator(_one_line),
    Field(
        description="Their relationship to the child, in words.", examples=["mother", "grandfather", "family friend"]
    ),
]

Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    Field(description="Why the change is made: kept in the change log.", examples=["Spelling corrected by the family"]),
]
