"""The census tests' services: the example profile, the real case store, and a clock after the census year."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.procedure_profile import load_profile
from safeguarding.service.access import Principal
from safeguarding.service.root import Services
from safeguarding.store.examples import EXAMPLE_IDS, TEAM_ID
from tests.census.caseload import FixedCaseload, build_fixed_caseload

ROOT = Path(__file__).resolve().parents[2]
AFTER_THE_YEAR = datetime(2027, 4, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def services(db: async_sessionmaker[AsyncSession]) -> Services:
    """The services over the test's case store, the example profile, and "now" in April 2027."""

    async def now() -> datetime:
        return AFTER_THE_YEAR

    return Services(settings=Settings(), profile=load_profile(ROOT / "profiles/example.toml"), sessions=db, clock=now)


@pytest.fixture
async def caseload(db: async_sessionmaker[AsyncSession]) -> FixedCaseload:
    """The fixed caseload (`tests.census.caseload`)."""
    return await build_fixed_caseload(db)


@pytest.fixture
def head_of_service() -> Principal:
    """The example service manager."""
    return Principal(practitioner_id=EXAMPLE_IDS.service_manager_id, role=Role.SERVICE_MANAGER, team_id=TEAM_ID)
