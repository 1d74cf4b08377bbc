"""The application layer's use cases against the real case store: the example team, the profile, principals.

Principals are made as an entry point makes them: from the case store (`act_as`), or, where a test needs
only a role and a team, directly (`Teams.principal`): the use cases read role and team from the principal.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.procedure_profile import load_profile
from safeguarding.service.access import Principal
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.store.examples import ExampleIds, seed_examples
from tests.factories import create_team, new_id

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Teams:
    """Two teams of the authority: ours, and another whose cases ours may not read."""

    ours: str
    other: str

    def principal(self, role: Role, *, team: str | None = None) -> Principal:
        """Return a practitioner in `role`, in our team unless `team` is given."""
        return Principal(practitioner_id=new_id(role.replace("_", "-")), role=role, team_id=team or self.ours)


@pytest.fixture
def services(db: async_sessionmaker[AsyncSession]) -> Services:
    """The services over the test's case store and the example profile; Temporal is never connected."""
    return Services(settings=Settings(), profile=load_profile(ROOT / "profiles/example.toml"), sessions=db)


@pytest.fixture
async def examples(db: async_sessionmaker[AsyncSession], services: Services) -> ExampleIds:
    """The example team, its practitioners, cases and partnership."""
    async with db.begin() as session:
        return await seed_examples(session, partnership_id=services.profile.partnership_id)


@pytest.fixture
def act_as(services: Services) -> Callable[[str], Awaitable[Principal]]:
    """Return the principal a practitioner id stands for, read from the case store as every entry point does."""

    async def principal(practitioner_id: str) -> Principal:
        return await principal_for(services, practitioner_id)

    return principal


@pytest.fixture
async def teams(db: async_sessionmaker[AsyncSession]) -> Teams:
    """Two fictional teams, committed."""
    async with db.begin() as session:
        return Teams(ours=await create_team(session), other=await create_team(session))
