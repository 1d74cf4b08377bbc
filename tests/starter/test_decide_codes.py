"""A decision's body checked before anything is sent: a coded field given in words names the codes it takes."""

from __future__ import annotations

import pytest

from safeguarding.codes import Role
from safeguarding.models import Actor
from starter.decide import build_command
from starter.exits import Refused

CHAIR = Actor(practitioner_id="prac-chair", role=Role.CONFERENCE_CHAIR, team_id="team-reviewing")


def test_a_plan_category_in_words_is_refused_listing_the_census_codes_and_their_meanings() -> None:
    body = {"outcome": "plan", "category": "neglect", "rationale": "Persistent neglect of the child's basic needs"}

    with pytest.raises(Refused) as refused:
        build_command("decide_conference", body, CHAIR)

    assert str(refused.value).endswith(
        "; category takes NEG (neglect), PHY (physical), EMO (emotional), SAB (sexual) or MUL (multiple)"
    )
