"""Ids a caller names (a case, a process, a team): checked for their form before they reach a query.

An id has the form every boundary model gives it (`models.Id`: letters, digits and `._:-`, at most 64), so
a malformed one — a control character, a name typed where an id belongs — is invalid input with a clear
reason, never a failed query taken for an outage. The reason names the field, not the value.
"""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from safeguarding.models import Id
from safeguarding.service.errors import Invalid

_ID: TypeAdapter[str] = TypeAdapter(Id)


def checked_id(value: str, field: str) -> str:
    """Return `value` if it has the form of an id; refuse it as invalid input in `field` if not."""
    try:
        return _ID.validate_python(value)
    except ValidationError:
        raise Invalid(f"{field} is not an id: letters, digits and . _ : - only, at most 64", field=field) from None
