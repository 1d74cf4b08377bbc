"""Find the e-mail address of a notice's recipient, from the ids and kinds that workflows carry.

Kinds and where each address lives:
- practitioner (id = practitioner id): that practitioner's e-mail, if active.
- team_manager (id = team id): the team's active team manager (in the LADO team, the LADO manager). If a
  team has several, the one with the lowest practitioner id receives it — deterministic, so a retry goes
  to the same person and the outbox keeps one row per notice; a team that wants alerts to reach every
  manager should give them a shared address as their e-mail.
- service_manager (id = team id): the e-mail of the team's service manager (`teams.service_manager_id`),
  if active.
- referrer (id = contact id): the referrer's e-mail recorded on the contact.
- health_team (id = team id): the team's shared mailbox (health visiting or midwifery teams).
- agency (id = team id): a partner agency's team mailbox (agencies invited to a child protection conference).
- person (id = people id): a family member's or friend's own e-mail (family group conference invitations).
- duty_manager (id = team id): the team's manager on duty (`duty_managers`), else its team manager as above
  — a child said to be at immediate risk must reach a manager (statutory-rules.md §8).
- partnership (id = partnership id): the safeguarding partnership's business unit mailbox (§8).
"""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import Role
from safeguarding.models import Recipient
from safeguarding.schema import contacts, duty_managers, people, practitioners, safeguarding_partnerships, teams

TEAM_MANAGER_ROLES = (Role.TEAM_MANAGER.value, Role.LADO_MANAGER.value)
"""Who manages a team: the LADO team's manager is the LADO manager (statutory-rules.md §6)."""


class UnresolvableRecipient(LookupError):
    """No address for a recipient. The message names the kind and id only."""


async def find_recipient_address(recipient: Recipient, *, session: AsyncSession) -> str:
    """Return the e-mail address a notice for `recipient` goes to, or raise `UnresolvableRecipient`."""
    query = _QUERIES[recipient.kind](recipient.id)
    address = (await session.execute(query.limit(1))).scalar_one_or_none()
    if not address:
        raise UnresolvableRecipient(f"no e-mail address for {recipient.kind} {recipient.id!r}: {_WHY[recipient.kind]}")
    return address


def _practitioner(practitioner_id: str) -> Select:
    return select(practitioners.c.email).where(practitioners.c.id == practitioner_id, practitioners.c.active.is_(True))


def _team_manager(team_id: str) -> Select:
    return (
        select(practitioners.c.email)
        .where(
            practitioners.c.team_id == team_id,
            practitioners.c.role.in_(TEAM_MANAGER_ROLES),
            practitioners.c.active.is_(True),
        )
        .order_by(practitioners.c.id)
    )


def _service_manager(team_id: str) -> Select:
    return (
        select(practitioners.c.email)
        .select_from(teams.join(practitioners, practitioners.c.id == teams.c.service_manager_id))
        .where(teams.c.id == team_id, practitioners.c.active.is_(True))
    )


def _referrer(contact_id: str) -> Select:
    return select(contacts.c.referrer_email).where(contacts.c.id == contact_id)


def _health_team(team_id: str) -> Select:
    return select(teams.c.mailbox).where(teams.c.id == team_id)


def _agency(team_id: str) -> Select:
    return select(teams.c.mailbox).where(teams.c.id == team_id)


def _person(person_id: str) -> Select:
    return select(people.c.email).where(people.c.id == person_id)


def _duty_manager(team_id: str) -> Select:
    on_duty = and_(duty_managers.c.team_id == team_id, duty_managers.c.practitioner_id == practitioners.c.id)
    return (
        select(practitioners.c.email)
        .select_from(practitioners.outerjoin(duty_managers, on_duty))
        .where(
            practitioners.c.active.is_(True),
            or_(
                duty_managers.c.team_id.is_not(None),
                and_(practitioners.c.team_id == team_id, practitioners.c.role.in_(TEAM_MANAGER_ROLES)),
            ),
        )
        .order_by(duty_managers.c.team_id.is_(None), practitioners.c.id)
    )


def _partnership(partnership_id: str) -> Select:
    return select(safeguarding_partnerships.c.mailbox).where(safeguarding_partnerships.c.id == partnership_id)


_QUERIES = {
    "practitioner": _practitioner,
    "team_manager": _team_manager,
    "service_manager": _service_manager,
    "referrer": _referrer,
    "health_team": _health_team,
    "agency": _agency,
    "person": _person,
    "duty_manager": _duty_manager,
    "partnership": _partnership,
}

_WHY = {
    "practitioner": "no active practitioner has this id",
    "team_manager": "the team has no active team manager",
    "service_manager": "the team has no active service manager",
    "referrer": "the contact does not exist or has no referrer e-mail",
    "health_team": "the team does not exist or has no mailbox",
    "agency": "the agency team does not exist or has no mailbox",
    "person": "the person is not in the case store or has no e-mail",
    "duty_manager": "the team has no active duty manager or team manager",
    "partnership": "the partnership is not recorded (see safeguarding.store.partnerships)",
}
