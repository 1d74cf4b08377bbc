"""Administration: teams and practitioners, role and team changes, deactivation — the administrator's only, audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Agency, Role
from safeguarding.schema import change_log, practitioners, teams
from safeguarding.service.access import Principal
from safeguarding.service.admin import (
    change_practitioner,
    create_practitioner,
    create_team,
    deactivate_practitioner,
    list_practitioners,
    list_teams,
    update_team,
)
from safeguarding.service.admin_models import (
    Deactivation,
    NewPractitioner,
    NewTeam,
    PractitionerChange,
    TeamChange,
)
from safeguarding.service.errors import Conflict, Invalid, NotFound, Refused
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.service.sso import principal_for_sso_subject
from safeguarding.store.change_log import list_changes
from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds


@pytest.fixture
async def admin(examples: ExampleIds, act_as: Callable[[str], Awaitable[Principal]]) -> Principal:
    """The example authority's administrator, from the seed, as a credential makes them."""
    return await act_as(examples.administrator_id)


def _social_worker(team_id: str, **changes: object) -> NewPractitioner:
    return NewPractitioner.model_validate(
        {
            "given_name": "Rowan",
            "family_name": "Example-Newstarter",
            "email": "rowan@example.invalid",
            "role": "social_worker",
            "team_id": team_id,
            **changes,
        }
    )


async def _changes(db: async_sessionmaker[AsyncSession], kind: str, record_id: str) -> list[tuple]:
    async with db() as session:
        rows = await list_changes(kind, record_id, session=session)  # type: ignore[arg-type]
    return [(row["field"], row["old_value"], row["new_value"], row["changed_by"], row["reason"]) for row in rows]


async def test_an_administrator_creates_and_lists_teams_and_the_creation_is_audited(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    created = await create_team(
        services,
        admin,
        NewTeam(
            team_id="team-north",
            name="North Assessment Team (fictional)",
            mailbox="north@example.invalid",
            service_manager_id=EXAMPLE_IDS.service_manager_id,
            reason="New locality team",
        ),
    )
    listed = await list_teams(services, admin)

    assert (created.team_id, created.service_manager_id) == ("team-north", EXAMPLE_IDS.service_manager_id)
    assert "team-north" in [team.team_id for team in listed.teams]
    assert [team.name for team in listed.teams] == sorted(team.name for team in listed.teams)
    assert sorted(await _changes(db, "team", "team-north")) == [
        ("mailbox", None, "north@example.invalid", admin.practitioner_id, "New locality team"),
        ("name", None, "North Assessment Team (fictional)", admin.practitioner_id, "New locality team"),
        ("service_manager_id", None, EXAMPLE_IDS.service_manager_id, admin.practitioner_id, "New locality team"),
    ]


async def test_a_team_id_in_use_is_a_conflict(services: Services, admin: Principal) -> None:
    with pytest.raises(Conflict, match=f"there is a team '{EXAMPLE_IDS.team_id}' already"):
        await create_team(services, admin, NewTeam(team_id=EXAMPLE_IDS.team_id, name="Again"))


async def test_a_team_manager_cannot_be_a_teams_service_manager(services: Services, admin: Principal) -> None:
    with pytest.raises(Invalid, match="not an active service manager") as refused:
        await create_team(services, admin, NewTeam(name="South", service_manager_id=EXAMPLE_IDS.team_manager_id))

    assert refused.value.field == "service_manager_id"


async def test_a_team_change_is_audited_and_a_change_to_the_same_writes_nothing(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    renamed = await update_team(
        services,
        admin,
        EXAMPLE_IDS.team_id,
        TeamChange(name="Example Borough Front Door (fictional)", reason="Renamed"),
    )
    again = await update_team(
        services, admin, EXAMPLE_IDS.team_id, TeamChange(name="Example Borough Front Door (fictional)", reason="Again")
    )

    assert renamed.name == again.name == "Example Borough Front Door (fictional)"
    assert await _changes(db, "team", EXAMPLE_IDS.team_id) == [
        (
            "name",
            "Example Borough Assessment Team (fictional)",
            "Example Borough Front Door (fictional)",
            admin.practitioner_id,
            "Renamed",
        )
    ]


async def test_an_administrator_records_a_practitioner_who_can_then_act(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    created = await create_practitioner(services, admin, _social_worker(EXAMPLE_IDS.team_id, reason="Started today"))
    listed = await list_practitioners(services, admin, team_id=EXAMPLE_IDS.team_id)

    acting = await principal_for(services, created.practitioner_id)
    assert (acting.role, acting.team_id) == (Role.SOCIAL_WORKER, EXAMPLE_IDS.team_id)
    assert created.practitioner_id in [p.practitioner_id for p in listed.practitioners]
    assert {p.team_id for p in listed.practitioners} == {EXAMPLE_IDS.team_id}
    assert ("role", None, "social_worker", admin.practitioner_id, "Started today") in await _changes(
        db, "practitioner", created.practitioner_id
    )


async def test_a_practitioner_in_an_unknown_team_is_invalid_and_an_id_in_use_a_conflict(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db() as session:
        before = (await session.execute(select(func.count()).select_from(practitioners))).scalar_one()

    with pytest.raises(Invalid, match="no team 'team-nowhere'"):
        await create_practitioner(services, admin, _social_worker("team-nowhere"))
    with pytest.raises(Conflict, match="there is a practitioner 'prac-example-sw' already"):
        await create_practitioner(
            services, admin, _social_worker(EXAMPLE_IDS.team_id, practitioner_id=EXAMPLE_IDS.social_worker_id)
        )

    async with db() as session:
        assert (await session.execute(select(func.count()).select_from(practitioners))).scalar_one() == before
        assert (await session.execute(select(func.count()).select_from(change_log))).scalar_one() == 0


async def test_a_role_and_team_change_is_audited_and_takes_effect_at_once(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    changed = await change_practitioner(
        services,
        admin,
        EXAMPLE_IDS.social_worker_id,
        PractitionerChange(role=Role.TEAM_MANAGER, team_id="team-example-fgc", reason="Promoted"),
    )

    acting = await principal_for(services, EXAMPLE_IDS.social_worker_id)
    assert (changed.role, changed.team_id) == (acting.role, acting.team_id) == (Role.TEAM_MANAGER, "team-example-fgc")
    assert sorted(await _changes(db, "practitioner", EXAMPLE_IDS.social_worker_id)) == [
        ("role", "social_worker", "team_manager", admin.practitioner_id, "Promoted"),
        ("team_id", "team-example", "team-example-fgc", admin.practitioner_id, "Promoted"),
    ]


async def test_a_single_sign_on_subject_is_mapped_once_audited_and_refused_for_a_second_practitioner(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    subject = "rowan.newstarter@council.example"
    created = await create_practitioner(
        services, admin, _social_worker(EXAMPLE_IDS.team_id, sso_subject=subject, reason="Started today")
    )

    assert created.sso_subject == subject
    assert (await principal_for_sso_subject(services, subject)).practitioner_id == created.practitioner_id
    with pytest.raises(Conflict, match=f"it stands for practitioner {created.practitioner_id} already"):
        await change_practitioner(
            services,
            admin,
            EXAMPLE_IDS.social_worker_id,
            PractitionerChange(sso_subject=subject, reason="Signs in through the council's account"),
        )
    changed = await change_practitioner(
        services,
        admin,
        EXAMPLE_IDS.social_worker_id,
        PractitionerChange(sso_subject="sam.example@council.example", reason="Signs in through the council's account"),
    )

    assert changed.sso_subject == "sam.example@council.example"
    assert await _changes(db, "practitioner", EXAMPLE_IDS.social_worker_id) == [
        (
            "sso_subject",
            None,
            "sam.example@council.example",
            admin.practitioner_id,
            "Signs in through the council's account",
        )
    ]
    with pytest.raises(Conflict, match="it stands for practitioner"):
        await create_practitioner(services, admin, _social_worker(EXAMPLE_IDS.team_id, sso_subject=subject))


async def test_deactivation_is_audited_the_practitioner_can_no_longer_act_and_doing_it_again_writes_nothing(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    gone = await deactivate_practitioner(services, admin, EXAMPLE_IDS.edt_worker_id, Deactivation(reason="Left"))
    again = await deactivate_practitioner(services, admin, EXAMPLE_IDS.edt_worker_id, Deactivation(reason="Twice"))

    assert (gone.active, again.active) == (False, False)
    with pytest.raises(Refused, match="inactive"):
        await principal_for(services, EXAMPLE_IDS.edt_worker_id)
    assert await _changes(db, "practitioner", EXAMPLE_IDS.edt_worker_id) == [
        ("active", "true", "false", admin.practitioner_id, "Left")
    ]
    active = await list_practitioners(services, admin)
    everyone = await list_practitioners(services, admin, include_inactive=True)
    assert EXAMPLE_IDS.edt_worker_id not in [p.practitioner_id for p in active.practitioners]
    assert EXAMPLE_IDS.edt_worker_id in [p.practitioner_id for p in everyone.practitioners]


async def test_a_teams_service_manager_stays_until_the_team_names_another(
    services: Services, admin: Principal, db: async_sessionmaker[AsyncSession]
) -> None:
    with pytest.raises(Conflict, match=f"service manager of team {EXAMPLE_IDS.team_id}"):
        await deactivate_practitioner(services, admin, EXAMPLE_IDS.service_manager_id, Deactivation(reason="Left"))
    with pytest.raises(Conflict, match="given another role"):
        await change_practitioner(
            services, admin, EXAMPLE_IDS.service_manager_id, PractitionerChange(role=Role.SOCIAL_WORKER, reason="x")
        )
    replacement = await create_practitioner(
        services, admin, _social_worker(EXAMPLE_IDS.team_id, role="service_manager", email="new-sm@example.invalid")
    )
    await update_team(
        services,
        admin,
        EXAMPLE_IDS.team_id,
        TeamChange(service_manager_id=replacement.practitioner_id, reason="Handover"),
    )

    gone = await deactivate_practitioner(services, admin, EXAMPLE_IDS.service_manager_id, Deactivation(reason="Left"))

    assert gone.active is False
    async with db() as session:
        manager = await session.scalar(select(teams.c.service_manager_id).where(teams.c.id == EXAMPLE_IDS.team_id))
    assert manager == replacement.practitioner_id


async def test_an_administrator_does_not_change_or_deactivate_themselves(services: Services, admin: Principal) -> None:
    with pytest.raises(Refused, match="another administrator"):
        await change_practitioner(
            services, admin, admin.practitioner_id, PractitionerChange(role=Role.SERVICE_MANAGER, reason="x")
        )
    with pytest.raises(Refused, match="another administrator"):
        await deactivate_practitioner(services, admin, admin.practitioner_id, Deactivation(reason="x"))

    assert (await principal_for(services, admin.practitioner_id)).role is Role.ADMINISTRATOR


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.LADO_MANAGER])
async def test_only_an_administrator_administers(
    services: Services, admin: Principal, role: Role, db: async_sessionmaker[AsyncSession]
) -> None:
    someone = Principal(practitioner_id="prac-someone", role=role, team_id=EXAMPLE_IDS.team_id)

    attempts: list[Callable[[], Awaitable[object]]] = [
        lambda: create_team(services, someone, NewTeam(name="Shadow team")),
        lambda: list_teams(services, someone),
        lambda: update_team(services, someone, EXAMPLE_IDS.team_id, TeamChange(name="Mine", reason="x")),
        lambda: create_practitioner(services, someone, _social_worker(EXAMPLE_IDS.team_id)),
        lambda: list_practitioners(services, someone),
        lambda: change_practitioner(
            services, someone, EXAMPLE_IDS.social_worker_id, PractitionerChange(role=Role.SERVICE_MANAGER, reason="x")
        ),
        lambda: deactivate_practitioner(services, someone, EXAMPLE_IDS.social_worker_id, Deactivation(reason="x")),
    ]
    for attempt in attempts:
        with pytest.raises(Refused, match=f"a {role} may not"):
            await attempt()

    async with db() as session:
        assert (await session.execute(select(func.count()).select_from(change_log))).scalar_one() == 0


async def test_an_unknown_practitioner_or_team_is_not_found(services: Services, admin: Principal) -> None:
    with pytest.raises(NotFound, match="no practitioner 'prac-nowhere'"):
        await change_practitioner(services, admin, "prac-nowhere", PractitionerChange(role=Role.LADO, reason="x"))
    with pytest.raises(NotFound, match="no practitioner 'prac-nowhere'"):
        await deactivate_practitioner(services, admin, "prac-nowhere", Deactivation(reason="x"))
    with pytest.raises(NotFound, match="no team 'team-nowhere'"):
        await update_team(services, admin, "team-nowhere", TeamChange(name="x", reason="x"))


@pytest.mark.parametrize(
    ("model", "body", "reason"),
    [
        (NewTeam, {"name": "North\x00"}, "control character"),
        (NewTeam, {"name": "North\nTeam"}, "should match pattern"),
        (NewTeam, {"name": "North", "team_id": "team north"}, "should match pattern"),
        (
            NewPractitioner,
            {"given_name": "R", "family_name": "F", "email": "x@example.invalid", "team_id": "t"},
            "role",
        ),
        (
            NewPractitioner,
            {"given_name": "R", "family_name": "F", "email": "x", "role": "social_worker", "team_id": "t"},
            "email",
        ),
        (
            NewPractitioner,
            {"given_name": "R", "family_name": "F", "email": "x@example.invalid", "role": "wizard", "team_id": "t"},
            "role",
        ),
        (PractitionerChange, {"reason": "x"}, "say what changes"),
        (PractitionerChange, {"reason": "x", "sso_subject": "sam\x00"}, "should match pattern"),
        (PractitionerChange, {"reason": "x", "sso_subject": " "}, "at least 1 character"),
        (PractitionerChange, {"role": "lado"}, "reason"),
        (TeamChange, {"reason": "x"}, "say what changes"),
        (TeamChange, {"reason": "x", "name": None}, "name cannot be cleared"),
        (Deactivation, {"reason": ""}, "at least 1 character"),
    ],
)
def test_a_malformed_administration_request_is_refused(model: type, body: dict, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        model.model_validate(body)


def test_a_practitioner_works_for_social_care_unless_said_otherwise() -> None:
    assert _social_worker("t").agency is Agency.SOCIAL_CARE


async def test_a_team_id_that_cannot_be_one_is_invalid_when_listing_practitioners(
    services: Services, admin: Principal
) -> None:
    with pytest.raises(Invalid, match="team_id is not an id"):
        await list_practitioners(services, admin, team_id="team\x00")
