"""The demo's family group conference story, run on its own on the demo's real parts, as a newcomer would see it."""

from __future__ import annotations

from datetime import datetime

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.config import Settings
from safeguarding.store.examples import seed_examples
from safeguarding.working_days import LONDON
from starter import demo_parts
from starter.demo_fgc import family_group_conference_case
from starter.demo_walkthrough import Walkthrough, address_book
from tests.fixtures.temporal import PROFILE


@pytest.fixture
async def story(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the story on a throwaway case store and its own time-skipping server; return what it printed."""
    async with demo_parts.running(Settings(database_url=postgres_url), PROFILE) as parts:
        today = datetime.now(LONDON).date()
        async with parts.sessionmaker.begin() as session:
            ids = await seed_examples(session, today=today)
        calendar = england_and_wales_calendar(today=today, local_closures=PROFILE.local_closures)
        async with demo_parts.fresh_clock(parts) as clock:
            walk = Walkthrough(
                parts=parts, clock=clock, ids=ids, calendar=calendar, addresses=await address_book(parts, ids)
            )
            await family_group_conference_case(walk)
    return capsys.readouterr().out.splitlines()


async def test_the_story_splits_the_conference_revises_the_plan_and_reviews_it(story: list[str]) -> None:
    text = "\n".join(story)
    assert "the father meets apart (meeting 2)" in text
    assert "does not agree it: It has the father collecting the children" in text
    assert "The revised plan (version 2," in text
    assert "Every deadline of the conference was met." in text


async def test_every_participant_but_the_child_is_invited_and_reminded(story: list[str]) -> None:
    invitations = [line for line in story if "Invitation to a family group conference" in line]
    reminders = [line for line in story if "Reminder: family group conference" in line]
    assert len(invitations) == len(reminders) == 7
    invited = {line.split(" (", 1)[1].split(")", 1)[0] for line in invitations}
    assert invited == {
        "the mother",
        "the grandmother",
        "the father",
        "the aunt",
        "the child's advocate",
        "Sam Example-Socialworker, social worker",
    }


async def test_the_conference_is_proposed_from_the_childs_running_assessment_which_then_concludes(
    story: list[str],
) -> None:
    [under_way] = [line for line in story if "An assessment of case" in line]
    assessment = under_way.split("(", 1)[1].split(")", 1)[0]
    assert assessment.startswith("assessment-")
    [concluded] = [line for line in story if "completes the assessment beside the family's plan" in line]
    assert "authorises a Child in Need plan (outcome cin_plan)" in concluded
    assert story.index(under_way) < story.index(concluded)


async def test_no_family_member_is_named_in_what_the_story_prints(story: list[str]) -> None:
    text = "\n".join(story)
    for name in ("Kit Fictional", "Mother Fictional", "Gran Fictional", "Nowhere Lane"):
        assert name not in text
