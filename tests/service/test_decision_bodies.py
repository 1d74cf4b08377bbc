"""A decision's body checked before anything is sent: a coded field given in words names the codes it takes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from safeguarding.codes import Role
from safeguarding.models import Actor
from safeguarding.service.decision_bodies import body_problem, build_command

CHAIR = Actor(practitioner_id="prac-chair", role=Role.CONFERENCE_CHAIR, team_id="team-reviewing")


def test_a_plan_category_in_words_is_refused_listing_the_census_codes_and_their_meanings() -> None:
    body = {"outcome": "plan", "category": "neglect", "rationale": "Persistent neglect of the child's basic needs"}

    with pytest.raises(ValidationError) as refused:
        build_command("decide_conference", body, CHAIR)

    assert body_problem("decide_conference", refused.value).endswith(
        "; category takes NEG (neglect), PHY (physical), EMO (emotional), SAB (sexual) or MUL (multiple)"
    )


def test_the_actor_is_the_credentials_whatever_the_body_holds() -> None:
    claimed = {"practitioner_id": "prac-someone-else", "role": "team_manager", "team_id": "team-reviewing"}
    body = {"outcome": "no_plan", "rationale": "Risk reduced", "actor": claimed}

    command = build_command("decide_conference", body, CHAIR)

    assert command.actor == CHAIR


MANAGER = Actor(practitioner_id="prac-manager", role=Role.TEAM_MANAGER, team_id="team-assessing")
AUTHORISED = {"outcome": "cin_plan", "primary_need": "N5", "factors": ["3B", "16A"], "rationale": "Needs a plan"}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"factors": ["3B", "domestic abuse"]}, "factors.1 takes 1A (alcohol misuse child), "),
        ({"primary_need": "abuse"}, "primary_need takes N0 (not stated), N1 (abuse or neglect), "),
        ({"factors": ["21", "3B"]}, "21 (no factors identified) is given alone, or not at all"),
        ({"factors": ["3B", "3B"]}, "each code once: 3B is given more than once"),
        ({"factors": []}, "factors: Tuple should have at least 1 item"),
        ({"primary_need": "N0"}, "the assessment states the child's primary need: N0 is not one"),
        ({"primary_need": None}, "primary_need"),
        ({"factors": None}, "factors"),
    ],
)
def test_an_authorisation_without_the_census_findings_or_with_codes_that_are_not_theirs_is_refused(
    changes: dict[str, object], problem: str
) -> None:
    body = {key: value for key, value in {**AUTHORISED, **changes}.items() if value is not None}

    with pytest.raises(ValidationError) as refused:
        build_command("authorise", body, MANAGER)

    assert problem in body_problem("authorise", refused.value)


def test_an_authorisation_with_its_findings_is_the_command_the_assessment_takes() -> None:
    command = build_command("authorise", {**AUTHORISED, "factors": ["21"], "primary_need": "N9"}, MANAGER)

    assert (command.primary_need, command.factors) == ("N9", ("21",))  # type: ignore[attr-defined]
