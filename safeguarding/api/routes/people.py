"""People: find by name and date of birth, read, correct (with an audit of who changed what)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.service import people
from safeguarding.service.people_models import ChangeLog, PersonChange, PersonMatches, PersonRecord, PersonSearch

router = APIRouter(prefix="/people", tags=["people and cases"])


@router.get("")
async def find_people(
    services: ServicesDep, principal: PrincipalDep, search: Annotated[PersonSearch, Query()]
) -> PersonMatches:
    """Find people by name and date of birth: candidates ranked (exact first, then close matches).

    Only for roles that may read cases; a team-bound practitioner finds people on their own team's cases,
    or on none yet.
    """
    return await people.find_people(services, principal, search)


@router.get("/{person_id}")
async def read_person(person_id: str, services: ServicesDep, principal: PrincipalDep) -> PersonRecord:
    """Return a person's details and the cases they are on."""
    return await people.read_person(services, principal, person_id)


@router.patch("/{person_id}")
async def update_person(
    person_id: str, change: PersonChange, services: ServicesDep, principal: PrincipalDep
) -> PersonRecord:
    """Correct a person's details, with a reason; each changed field is logged with who changed it.

    Send `expected_updated_at` as last read: a record changed since is refused (409) so no change is lost.
    Only the fields sent change; null clears a field.
    """
    return await people.update_person(services, principal, person_id, change)


@router.get("/{person_id}/changes")
async def list_person_changes(person_id: str, services: ServicesDep, principal: PrincipalDep) -> ChangeLog:
    """Return who changed which of a person's details, when and why."""
    return await people.list_person_changes(services, principal, person_id)
