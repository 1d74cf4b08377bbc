"""Who a credential stands for: the practitioner as the case store knows them now.

Every entry point turns its credential into a practitioner id (the command line's `--actor`, a bearer
token, a console session, the council's single sign-on through `sso`) and asks here for the `Principal`:
role and team come from the case store at that moment, so a practitioner moved to another team or made
inactive acts as what they are now, not as what the credential was issued to.
"""

from __future__ import annotations

import logging

from safeguarding.codes import Role
from safeguarding.service.access import Principal
from safeguarding.service.errors import NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.store.practitioners import get_practitioner

log = logging.getLogger("safeguarding.refusals")


async def principal_for(services: Services, practitioner_id: str) -> Principal:
    """Return the active practitioner `practitioner_id` as a principal; refuse an unknown or inactive one."""
    async with services.sessions() as session:
        row = await get_practitioner(practitioner_id, session=session)
    if row is None:
        raise NotFound(f"no practitioner {practitioner_id!r}")
    if not row["active"]:
        log.warning("refused acting as %s: inactive", practitioner_id)
        raise Refused(f"practitioner {practitioner_id} is inactive and may not act")
    return Principal(practitioner_id=row["id"], role=Role(row["role"]), team_id=row["team_id"])
