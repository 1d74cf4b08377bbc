"""The start-work forms made from the use cases' request models, and where a refusal is shown on them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from pydantic import ValidationError

from safeguarding.console.decision_forms import RECORDS, Field, read_body
from safeguarding.console.form_errors import service_entry, validation_entries
from safeguarding.console.start_forms import FAMILY_SHOWN, start_form
from safeguarding.service.case_models import ChildRegistration
from safeguarding.service.contacts import NewChildContactRequest
from safeguarding.service.errors import Invalid, Refused

NEW_CHILD = start_form(NewChildContactRequest, leave_out={"registration-confirm_new_person"})


def test_a_registration_asks_for_the_child_in_words_and_leaves_out_what_the_page_sets() -> None:
    names = NEW_CHILD.names()
    assert "registration-child-upn" in names
    assert "registration-confirm_new_person" not in names
    labels = {name: label for name, label in _labels(NEW_CHILD.fields)}
    assert labels["registration-child-upn"] == "Unique Pupil Number (UPN) (optional)"
    assert labels["registration-child-given_name"] == "Given name"
    assert labels["registration-family-0-relationship"] == "Relationship to the child"
    family = next(f for f in _every(NEW_CHILD.fields) if f.kind == RECORDS)
    assert len(family.groups) == FAMILY_SHOWN


def test_a_refusal_naming_a_registrations_field_is_shown_beside_its_input() -> None:
    about_member = Invalid("family[0].person_id: no person 'person-x'", field="family[0].person_id")
    entry = service_entry(NEW_CHILD, about_member, within=("registration-", ""))
    assert entry == {
        "text": "no person 'person-x'",
        "href": "#registration-family-0-person_id",
        "field": "registration-family-0-person_id",
    }
    future = Invalid("child.date_of_birth: a date of birth cannot be in the future", field="child.date_of_birth")
    assert service_entry(NEW_CHILD, future, within=("registration-", ""))["href"] == (
        "#registration-child-date_of_birth-day"
    )
    received = Invalid("received_at 2030-01-01T00:00:00+00:00 is in the future", field="received_at")
    assert service_entry(NEW_CHILD, received, within=("registration-", ""))["field"] == "received_at"


def test_a_refusal_of_the_person_is_shown_at_the_first_field() -> None:
    entry = service_entry(NEW_CHILD, Refused("a midwife may not register child"))
    assert entry["field"] == NEW_CHILD.names()[0]


def test_a_blank_family_member_is_left_out_of_the_registration() -> None:
    form = start_form(ChildRegistration, leave_out={"confirm_new_person", "team_id"})
    body = read_body(
        form,
        {
            "child-given_name": "Pip",
            "child-family_name": "Fictional",
            "family-1-relationship": "grandmother",
            "family-1-person_id": "person-abc",
            "family-1-parental_responsibility": "false",
        },
    )
    assert body["family"] == (
        {"person_id": "person-abc", "relationship": "grandmother", "parental_responsibility": False},
    )


def _every(fields: Sequence[Field]) -> list[Field]:
    return [each for f in fields for each in [f, *_every([i for g in f.groups for i in g])]]


def _labels(fields: Sequence[Field]) -> list[tuple[str, str]]:
    return [(f.name, f.label) for f in _every(fields)]


def test_a_field_the_model_refuses_is_named_by_its_label_beside_its_input() -> None:
    form = start_form(ChildRegistration, leave_out={"confirm_new_person", "team_id"})
    body = {"child": {"given_name": "Pip", "family_name": "Fictional", "upn": "B80120000500X"}}
    with pytest.raises(ValidationError) as invalid:
        ChildRegistration.model_validate(body)
    entries = {entry["field"]: entry["text"] for entry in validation_entries(form, invalid.value)}
    assert entries["child-upn"].startswith("Unique Pupil Number (UPN): ")
    assert entries["child-sex"] == "Answer ‘Sex’"
