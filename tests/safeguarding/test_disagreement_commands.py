"""Raising a professional disagreement: who may, and what they must say (statutory-rules.md §8)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import Role
from safeguarding.commands.disagreement import DisagreementInput, RaiseDisagreement, disagreement_id
from safeguarding.models import Actor, ProcessContext
from safeguarding.procedure_profile import load_profile

PROFILE = load_profile(Path(__file__).resolve().parents[2] / "profiles" / "example.toml")


def _raise(role: Role, **changes) -> RaiseDisagreement:
    fields = {
        "actor": Actor(practitioner_id="p-1", role=role, team_id="team-1"),
        "about_workflow_id": "assessment-REF-1",
        "about_key": "authorise:1",
        "disagrees_with": "The plan does not meet the child's needs.",
        "proposes": "A Child in Need plan.",
    }
    return RaiseDisagreement.model_validate({**fields, **changes})


@pytest.mark.parametrize(
    "role", [Role.HEALTH_VISITOR, Role.POLICE_OFFICER, Role.SOCIAL_WORKER, Role.SCHOOL_SAFEGUARDING_LEAD]
)
def test_any_professional_taking_part_may_raise_one(role: Role) -> None:
    assert _raise(role).actor.role is role


def test_business_support_may_not_raise_one() -> None:
    with pytest.raises(ValidationError, match="a business_support may not raise a professional disagreement"):
        _raise(Role.BUSINESS_SUPPORT)


@pytest.mark.parametrize("field", ["disagrees_with", "proposes"])
def test_what_they_disagree_with_and_what_they_propose_are_both_required(field: str) -> None:
    with pytest.raises(ValidationError, match="say what you disagree with and what you propose"):
        _raise(Role.HEALTH_VISITOR, **{field: "   "})


def test_a_profile_without_a_procedure_cannot_run_one() -> None:
    context = ProcessContext(
        case_id="case-1",
        case_reference="REF-1",
        team_id="team-1",
        profile=PROFILE.model_copy(update={"disagreement": None}),
        calendar=england_and_wales_calendar(today=date(2026, 11, 25)),
    )
    with pytest.raises(ValidationError, match=r"has no \[disagreement\] procedure"):
        DisagreementInput(context=context, raised=_raise(Role.HEALTH_VISITOR))


def test_the_workflow_id_names_the_case_and_the_moment_never_a_person() -> None:
    raised_at = datetime(2026, 11, 27, 14, 5, 9, tzinfo=UTC)
    assert disagreement_id("REF-1", raised_at) == "disagreement-REF-1-20261127T140509"
