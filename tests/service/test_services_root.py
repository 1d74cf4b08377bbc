"""The composition root's Temporal client: connected once, on first use, however many requests ask at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from safeguarding.config import Settings
from safeguarding.service.root import Services
from tests.fixtures.temporal import PROFILE

AT_ONCE = 5


async def test_requests_arriving_together_at_start_up_share_one_client(
    time_skipping_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    settings = Settings(
        environment="test",
        temporal_address=time_skipping_env.client.service_client.config.target_host,
        data_dir=tmp_path / "data",
    )
    services = Services(settings=settings, profile=PROFILE, sessions=db)
    try:
        clients = await asyncio.gather(*(services.temporal() for _ in range(AT_ONCE)))
    finally:
        await services.close()

    assert len({id(client) for client in clients}) == 1
    assert clients[0] is services.client
