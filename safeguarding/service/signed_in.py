"""Who is signed in, for the console's identity bar: the practitioner's own name, role and team."""

from __future__ import annotations

from pydantic import BaseModel

from safeguarding.codes import Role
from safeguarding.service.access import Principal
from safeguarding.service.errors import NotFound
from safeguarding.service.root import Services
from safeguarding.store.practitioners import get_practitioner
from safeguarding.store.teams import get_team


class SignedIn(BaseModel):
    """A practitioner as they see themselves: their name is theirs to read, whatever their role."""

    practitioner_id: str
    name: str
    role: Role
    team_id: str
    team_name: str


async def describe_signed_in(services: Services, principal: Principal) -> SignedIn:
    """Return the principal's own name, role and team."""
    async with services.sessions() as session:
        row = await get_practitioner(principal.practitioner_id, session=session)
        team = await get_team(principal.team_id, session=session)
    if row is None or team is None:
        raise NotFound(f"no practitioner {principal.practitioner_id!r}")
    return SignedIn(
        practitioner_id=principal.practitioner_id,
        name=f"{row['given_name']} {row['family_name']}",
        role=principal.role,
        team_id=principal.team_id,
        team_name=team["name"],
    )
