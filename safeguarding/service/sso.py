"""The council's single sign-on at the service layer: a verified subject becomes a practitioner, or nobody.

The identity provider proves who signed in (`safeguarding.oidc` checks its token); the case store says who
that is here: the practitioner whose `sso_subject` is the configured claim's value, with the role and team
the case store gives them now (`principals.principal_for`). A subject mapped to no one, or to an inactive
practitioner, is refused as an unknown credential (401) would be: the provider's word that someone signed
in gives them nothing here until an administrator maps them. Logs carry the practitioner id or a hash of the
subject, never the subject itself (it is often an e-mail address) and never the token.
"""

from __future__ import annotations

import hashlib
import logging

from safeguarding.service.access import Principal
from safeguarding.service.errors import Unauthenticated
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.store.practitioners import practitioner_by_sso_subject

log = logging.getLogger("safeguarding.credentials")

REFUSED = "the bearer token is not valid"


def subject_hash(subject: str) -> str:
    """Return a short hash of a subject, to tell log lines about one subject apart without naming it."""
    return hashlib.sha256(subject.encode()).hexdigest()[:16]


async def principal_for_sso_subject(services: Services, subject: str) -> Principal:
    """Return the active practitioner mapped to `subject`; raise Unauthenticated for none or an inactive one."""
    async with services.sessions() as session:
        row = await practitioner_by_sso_subject(subject, session=session)
    if row is None:
        log.warning("credential refused: single sign-on subject %s is mapped to no practitioner", subject_hash(subject))
        raise Unauthenticated(REFUSED)
    if not row["active"]:
        log.warning("credential refused: single sign-on for practitioner %s, who is inactive", row["id"])
        raise Unauthenticated(REFUSED)
    return await principal_for(services, row["id"])
