"""The application layer over the real case store: `services` for the test's database, and who acts.

Principals are made here as an entry point would make them from a credential; the use cases read their role
and team from the principal and nothing else, so most tests need no practitioner row behind one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.procedure_profile import load_profile
from safeguarding.service.access import Principal
from safeguarding.service.root import Services
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
def services(db: async_sessionmaker[AsyncSession], database_url: str, tmp_path: Path) -> Services:
    """The services a use case needs, over the test's database and the example profile (no Temporal)."""
    settings = Settings(environment="test", database_url=database_url, data_dir=tmp_path / "data")
    return Services(settings=settings, profile=load_profile(ROOT / "profiles" / "example.toml"), sessions=db)


@pytest.fixture
async def teams(db: async_sessionmaker[AsyncSession]) -> Teams:
    """Two fictional teams, committed."""
    async with db.begin() as session:
        return Teams(ours=await create_team(session), other=await create_team(session))
