"""Ids in a decision's body that name a practitioner are found wherever they sit, and checked in the case store."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import ConferenceOutcome, CpCategory, Role
from safeguarding.commands.assessment import Allocate, DebriefAction, RecordDebrief
from safeguarding.commands.conference import DecideConference
from safeguarding.models import Actor
from safeguarding.named_practitioners import NamedPractitioner, named_practitioners
from safeguarding.store.practitioners import named_practitioner_problems
from tests.factories import create_practitioner, create_team

MANAGER = Actor(practitioner_id="prac-tm", role=Role.TEAM_MANAGER, team_id="team-1")
SOCIAL_WORKER_ONLY = (Role.SOCIAL_WORKER,)


def test_a_named_id_is_found_in_a_field_an_optional_field_a_tuple_and_a_nested_model() -> None:
    debrief = RecordDebrief(
        actor=MANAGER,
        actions=(
            DebriefAction(description="visit", owner_id="prac-a"),
            DebriefAction(description="call", owner_id="b"),
        ),
        neglect_concern=True,
        graded_care_profile_owner_id="prac-gcp",
    )
    conference = DecideConference(
        actor=MANAGER,
        outcome=ConferenceOutcome.PLAN,
        category=CpCategory.NEGLECT,
        lead_social_worker_id="prac-lead",
        core_group_member_ids=("prac-lead", "prac-hv"),
    )

    assert named_practitioners(debrief) == [
        NamedPractitioner("actions.0.owner_id", "prac-a", ()),
        NamedPractitioner("actions.1.owner_id", "b", ()),
        NamedPractitioner("graded_care_profile_owner_id", "prac-gcp", ()),
    ]
    assert named_practitioners(conference) == [
        NamedPractitioner("lead_social_worker_id", "prac-lead", SOCIAL_WORKER_ONLY),
        NamedPractitioner("core_group_member_ids.0", "prac-lead", ()),
        NamedPractitioner("core_group_member_ids.1", "prac-hv", ()),
    ]


async def test_unknown_inactive_and_wrong_role_ids_are_each_refused_by_field(
    db: async_sessionmaker[AsyncSession],
) -> None:
    async with db.begin() as session:
        team = await create_team(session)
        worker = await create_practitioner(session, team_id=team)
        gone = await create_practitioner(session, team_id=team, active=False)
        visitor = await create_practitioner(session, team_id=team, role=Role.HEALTH_VISITOR)

    async with db() as session:
        assert await named_practitioner_problems(named_practitioners(_allocate(worker)), session=session) == []
        problems = [
            await named_practitioner_problems(named_practitioners(_allocate(who)), session=session)
            for who in ("prac-ghost", gone, visitor)
        ]

    assert problems == [
        ["social_worker_id: no practitioner 'prac-ghost'"],
        [f"social_worker_id: practitioner {gone} is inactive"],
        [f"social_worker_id: {visitor} is a health_visitor; it must name a social_worker"],
    ]


def _allocate(social_worker_id: str) -> Allocate:
    return Allocate(actor=MANAGER, social_worker_id=social_worker_id)
