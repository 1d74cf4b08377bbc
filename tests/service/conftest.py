"""The application layer's use cases against the real case store: the example team, the profile, principals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.config import Settings
from safeguarding.procedure_profile import load_profile
from safeguarding.service.access import Principal
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.store.examples import ExampleIds, seed_examples

ROOT = Path(__file__).resolve().parents[2]


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
