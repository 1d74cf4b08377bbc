"""Dates of birth a record can hold, as of today in England: none in the future, and an unborn child's due soon.

An expected date of birth is from today to 10 months ahead: a pregnancy lasts about nine months, and a pre-birth
referral may come before the date is certain (statutory-rules.md §3: pre-birth assessments). A date outside that
is a typing mistake, or a child already born, whose date of birth is what the record needs. The reasons never
repeat the date.
"""

from __future__ import annotations

from datetime import date

from safeguarding.service.errors import Invalid
from safeguarding.working_days import add_calendar_months

EXPECTED_WITHIN_MONTHS = 10


def check_born(born: date | None, on: date, *, field: str) -> None:
    """Refuse a date of birth after `on`."""
    if born is not None and born > on:
        raise Invalid(f"{field}: a date of birth cannot be in the future", field=field)


def check_expected(expected: date | None, on: date, *, field: str) -> None:
    """Refuse an expected date of birth before `on` or more than `EXPECTED_WITHIN_MONTHS` months after it."""
    if expected is None:
        return
    if expected < on:
        raise Invalid(
            f"{field}: an expected date of birth cannot be in the past; once the child is born, record their "
            "date of birth",
            field=field,
        )
    if expected > add_calendar_months(on, EXPECTED_WITHIN_MONTHS):
        raise Invalid(
            f"{field}: an expected date of birth is at most {EXPECTED_WITHIN_MONTHS} months ahead",
            field=field,
        )
