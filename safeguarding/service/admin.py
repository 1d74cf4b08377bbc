"""Administration: teams and practitioners, their roles and teams, and deactivating those who leave.

Only the administrator (`access.ADMINISTERS`) does these, and reads no child's case. A practitioner's role and
team decide what they may do and see (`access`), and who receives a team's escalations (statutory-rules.md §1,
§8), so every change is written to the change log with who made it and why, in the same transaction. An
administrator does not change their own role or deactivate themselves: another administrator does, so no one
grants themselves a role and the last administrator is not lost by mistake. A service manager that a team's
escalations reach stays active and in a managing role until the team names another.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import Role
from safeguarding.service.access import ADMINISTERS, Principal, refuse, require_role
from safeguarding.service.admin_models import (
    Deactivation,
    NewPractitioner,
    NewTeam,
    PractitionerChange,
    PractitionerList,
    PractitionerRecord,
    TeamChange,
    TeamList,
    TeamRecord,
)
from safeguarding.service.errors import Conflict, Invalid, NotFound
from safeguarding.service.fields import new_id
from safeguarding.service.ids import checked_id
from safeguarding.service.root import Services
from safeguarding.store import practitioners as practitioner_store
from safeguarding.store import teams as team_store
from safeguarding.store.change_log import RecordKind, differences, record_changes

log = logging.getLogger(__name__)

SERVICE_MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.LADO_MANAGER})
"""Who a team's escalations may reach: a service manager, or for the LADO's team the LADO manager (§6)."""


async def create_team(services: Services, principal: Principal, team: NewTeam) -> TeamRecord:
    """Create a team; refused (409) when its id is taken, invalid (422) for a service manager who cannot be one."""
    require_role(principal, "create_team", ADMINISTERS)
    team_id = team.team_id or new_id("team")
    details = team.model_dump(exclude={"team_id", "reason"})
    async with services.sessions.begin() as session:
        if team.service_manager_id is not None:
            await _check_service_manager(team.service_manager_id, session=session)
        row = await team_store.insert_team(team_id, details, session=session)
        if row is None:
            raise Conflict(f"there is a team {team_id!r} already", field="team_id")
        await _audit("team", team_id, {}, details, principal, team.reason, session=session)
    log.info("team %s created by %s", team_id, principal.practitioner_id)
    return _team(row)


async def list_teams(services: Services, principal: Principal) -> TeamList:
    """Return every team, by name."""
    require_role(principal, "list_teams", ADMINISTERS)
    async with services.sessions() as session:
        rows = await team_store.list_teams(session=session)
    return TeamList(teams=tuple(_team(row) for row in rows))


async def update_team(services: Services, principal: Principal, team_id: str, change: TeamChange) -> TeamRecord:
    """Rename a team, or change its mailbox or service manager; a change that changes nothing writes nothing."""
    require_role(principal, "update_team", ADMINISTERS, target=team_id)
    checked_id(team_id, "team_id")
    details = change.details()
    async with services.sessions.begin() as session:
        row = await team_store.get_team(team_id, session=session, for_update=True)
        if row is None:
            raise NotFound(f"no team {team_id!r}")
        if details.get("service_manager_id") is not None:
            await _check_service_manager(details["service_manager_id"], session=session)
        if changed := await _audit("team", team_id, row, details, principal, change.reason, session=session):
            row = await team_store.update_team(team_id, {field: details[field] for field in changed}, session=session)
    log.info("team %s changed by %s: %s", team_id, principal.practitioner_id, ", ".join(changed) or "nothing")
    return _team(row)


async def create_practitioner(
    services: Services, principal: Principal, practitioner: NewPractitioner
) -> PractitionerRecord:
    """Record a practitioner in a team; refused (409) when the id is taken, invalid (422) for an unknown team."""
    require_role(principal, "create_practitioner", ADMINISTERS)
    practitioner_id = practitioner.practitioner_id or new_id("prac")
    details = practitioner.model_dump(exclude={"practitioner_id", "reason"})
    async with services.sessions.begin() as session:
        await _check_team(practitioner.team_id, session=session)
        if practitioner.sso_subject is not None:
            await _sso_subject_free(practitioner.sso_subject, practitioner_id, session=session)
        row = await practitioner_store.insert_practitioner(practitioner_id, details, session=session)
        if row is None:
            raise Conflict(f"there is a practitioner {practitioner_id!r} already", field="practitioner_id")
        await _audit("practitioner", practitioner_id, {}, details, principal, practitioner.reason, session=session)
    log.info(
        "practitioner %s (%s, team %s) created by %s",
        practitioner_id,
        row["role"],
        row["team_id"],
        principal.practitioner_id,
    )
    return _practitioner(row)


async def list_practitioners(
    services: Services, principal: Principal, *, team_id: str | None = None, include_inactive: bool = False
) -> PractitionerList:
    """Return the practitioners, of one team with `team_id`, the inactive too with `include_inactive`."""
    require_role(principal, "list_practitioners", ADMINISTERS)
    if team_id is not None:
        checked_id(team_id, "team_id")
    async with services.sessions() as session:
        rows = await practitioner_store.list_practitioners(
            team_id=team_id, include_inactive=include_inactive, session=session
        )
    return PractitionerList(practitioners=tuple(_practitioner(row) for row in rows))


async def change_practitioner(
    services: Services, principal: Principal, practitioner_id: str, change: PractitionerChange
) -> PractitionerRecord:
    """Give a practitioner a new role, team or single sign-on subject; what they may do and see changes at once."""
    require_role(principal, "change_practitioner", ADMINISTERS, target=practitioner_id)
    _not_oneself(principal, "change_practitioner", practitioner_id)
    checked_id(practitioner_id, "practitioner_id")
    fields = ("role", "team_id", "sso_subject")
    details = {field: getattr(change, field) for field in fields if getattr(change, field) is not None}
    async with services.sessions.begin() as session:
        row = await _get_practitioner(practitioner_id, session=session)
        if change.team_id is not None:
            await _check_team(change.team_id, session=session)
        if change.sso_subject is not None:
            await _sso_subject_free(change.sso_subject, practitioner_id, session=session)
        if change.role is not None and change.role not in SERVICE_MANAGER_ROLES:
            await _not_managing(practitioner_id, "given another role", session=session)
        if changed := await _audit(
            "practitioner", practitioner_id, row, details, principal, change.reason, session=session
        ):
            row = await practitioner_store.update_practitioner(
                practitioner_id, {field: details[field] for field in changed}, session=session
            )
    log.info(
        "practitioner %s changed by %s: %s", practitioner_id, principal.practitioner_id, ", ".join(changed) or "nothing"
    )
    return _practitioner(row)


async def deactivate_practitioner(
    services: Services, principal: Principal, practitioner_id: str, deactivation: Deactivation
) -> PractitionerRecord:
    """Stop a practitioner acting: their credentials no longer work (`principals`); their records stay.

    Deactivating someone already inactive changes nothing and writes nothing.
    """
    require_role(principal, "deactivate_practitioner", ADMINISTERS, target=practitioner_id)
    _not_oneself(principal, "deactivate_practitioner", practitioner_id)
    checked_id(practitioner_id, "practitioner_id")
    async with services.sessions.begin() as session:
        row = await _get_practitioner(practitioner_id, session=session)
        if row["active"]:
            await _not_managing(practitioner_id, "deactivated", session=session)
            await _audit(
                "practitioner", practitioner_id, row, {"active": False}, principal, deactivation.reason, session=session
            )
            row = await practitioner_store.update_practitioner(practitioner_id, {"active": False}, session=session)
    log.info("practitioner %s deactivated by %s", practitioner_id, principal.practitioner_id)
    return _practitioner(row)


async def _audit(
    kind: RecordKind,
    record_id: str,
    before: Mapping[str, Any] | RowMapping,
    after: Mapping[str, Any],
    principal: Principal,
    reason: str | None,
    *,
    session: AsyncSession,
) -> list[str]:
    """Write the fields of `after` that differ from `before` to the change log; return their names."""
    changes = differences({field: before.get(field) for field in after}, after)
    await record_changes(kind, record_id, changes, changed_by=principal.practitioner_id, reason=reason, session=session)
    return sorted(changes)


def _not_oneself(principal: Principal, action: str, practitioner_id: str) -> None:
    if practitioner_id == principal.practitioner_id:
        raise refuse(
            principal,
            action,
            "an administrator's own role, team and access are changed by another administrator",
            target=practitioner_id,
        )


async def _get_practitioner(practitioner_id: str, *, session: AsyncSession) -> RowMapping:
    row = await practitioner_store.get_practitioner(practitioner_id, session=session, for_update=True)
    if row is None:
        raise NotFound(f"no practitioner {practitioner_id!r}")
    return row


async def _check_team(team_id: str, *, session: AsyncSession) -> None:
    if await team_store.get_team(team_id, session=session) is None:
        raise Invalid(f"team_id: no team {team_id!r}", field="team_id")


async def _sso_subject_free(subject: str, practitioner_id: str, *, session: AsyncSession) -> None:
    """Refuse a single sign-on subject that stands for another practitioner already: a token names one person."""
    row = await practitioner_store.practitioner_by_sso_subject(subject, session=session)
    if row is not None and row["id"] != practitioner_id:
        raise Conflict(f"sso_subject: it stands for practitioner {row['id']} already", field="sso_subject")


async def _check_service_manager(practitioner_id: str, *, session: AsyncSession) -> None:
    row = await practitioner_store.get_practitioner(practitioner_id, session=session)
    if row is None or not row["active"] or row["role"] not in SERVICE_MANAGER_ROLES:
        raise Invalid(
            f"service_manager_id: {practitioner_id} is not an active service manager or LADO manager",
            field="service_manager_id",
        )


async def _not_managing(practitioner_id: str, becoming: str, *, session: AsyncSession) -> None:
    """Refuse while a team's escalations reach `practitioner_id`: they would reach no one."""
    if managed := await team_store.teams_managed_by(practitioner_id, session=session):
        raise Conflict(
            f"{practitioner_id} is the service manager of team {', '.join(managed)}, whose escalations would reach "
            f"no one if they were {becoming}: name another service manager for the team first"
        )


def _team(row: RowMapping) -> TeamRecord:
    return TeamRecord.model_validate({**row, "team_id": row["id"]})


def _practitioner(row: RowMapping) -> PractitionerRecord:
    return PractitionerRecord.model_validate({**row, "practitioner_id": row["id"]})
