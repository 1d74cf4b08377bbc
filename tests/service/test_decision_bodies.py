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
