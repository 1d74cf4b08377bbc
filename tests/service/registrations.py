"""Registrations for tests: a fictional child and family, with any field changed by keyword."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from safeguarding.service.case_models import ChildRegistration
from safeguarding.working_days import local_date

UPN = "B801200005001"
"""A UPN whose check letter is right (DfE's modulo 23 check)."""
NHS_NUMBER = "9434765919"
"""An NHS number whose check digit is right (modulo 11)."""


def today() -> date:
    """Return today's date in England, as the use cases judge it on the wall clock."""
    return local_date(datetime.now(UTC))


def born(years: int, days: int = 0) -> date:
    """Return a date of birth `years` (about 365 days each) and `days` before today."""
    return today() - timedelta(days=365 * years + days)


def child(**changes: Any) -> dict[str, Any]:
    """Return a fictional child's details as a request body gives them."""
    return {
        "given_name": "Zebedee",
        "family_name": "Quillfeather",
        "date_of_birth": born(6).isoformat(),
        "sex": "M",
        "ethnicity": "WBRI",
        "address": "3 Imaginary Row, Exampletown (fictional)",
        "upn": UPN,
        "nhs_number": NHS_NUMBER,
        **changes,
    }


def mother(**changes: Any) -> dict[str, Any]:
    """Return a fictional mother, new to the case store, with parental responsibility."""
    return {
        "person": {
            "given_name": "Marigold",
            "family_name": "Quillfeather",
            "date_of_birth": born(31).isoformat(),
            "address": "3 Imaginary Row, Exampletown (fictional)",
            "email": "marigold@example.invalid",
            "phone": "01632 960001",
        },
        "relationship": "Mother",
        "parental_responsibility": True,
        **changes,
    }


def registration(*, family: tuple[dict[str, Any], ...] = (), **changes: Any) -> ChildRegistration:
    """Return a registration of the fictional child (and `family`); `changes` set the registration's own fields."""
    body: dict[str, Any] = {"child": child(), "family": list(family), **changes}
    return ChildRegistration.model_validate(body)
