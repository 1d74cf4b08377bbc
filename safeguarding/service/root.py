"""The composition root: the Temporal client and the case store's sessions, built once at start-up.

The command line opens one `Services` per command, the API and the console one per process (in the app's
lifespan), the demo one per story; tests build one over their own parts. Use cases never build a client or
an engine themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.outages import log_pool_outages_in_one_line
from safeguarding.procedure_profile import ProcedureProfile, load_profile
from safeguarding.service.temporal_outages import outage_as_unavailable


@dataclass
class Services:
    """What every use case needs from outside: settings, profile, the case store and Temporal.

    The Temporal client is connected on first use, so a use case that reads the case store alone (a case's
    processes, the tray) works with Temporal down. `clock` is where "now" comes from when it is not the wall
    clock: the demo runs on a time-skipping test server, whose simulated time is ahead of the real one, and a
    moment it acts at must not be taken for one in the future.
    """

    settings: Settings
    profile: ProcedureProfile
    sessions: async_sessionmaker[AsyncSession]
    client: Client | None = None
    clock: Callable[[], Awaitable[datetime]] | None = None
    _connected: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack, init=False, repr=False)
    """What runs beside the client it connected: the renewal of its token (`safeguarding.temporal_token`)."""
    _connecting: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)
    """Held while connecting: the first requests after start-up arrive together, and one client serves them all."""

    @property
    def task_queue(self) -> str:
        """The workflow task queue processes are started on."""
        return self.settings.task_queue

    async def temporal(self) -> Client:
        """Return the Temporal client, connecting on first use; `Unavailable` when no connection can be made."""
        if self.client is not None:
            return self.client
        from safeguarding.temporal import connect  # the codec's cryptography only when Temporal is used
        from safeguarding.temporal_token import fresh_token

        async with self._connecting:
            if self.client is None:
                with outage_as_unavailable(f"connecting to {self.settings.temporal_address}"):
                    client = await connect(self.settings)
                await self._connected.enter_async_context(fresh_token(client, self.settings))
                self.client = client
        return self.client

    async def close(self) -> None:
        """Stop what runs beside the client this connected; the client itself needs no closing."""
        await self._connected.aclose()

    async def now(self) -> datetime:
        """Return the present moment: the wall clock's, or the simulated clock's when one is given."""
        return await self.clock() if self.clock is not None else datetime.now(UTC)


@contextlib.asynccontextmanager
async def open_services(settings: Settings | None = None, *, url: str | None = None) -> AsyncIterator[Services]:
    """Yield the services of `settings` (the environment's by default); dispose of the engine on the way out."""
    settings = settings or Settings()
    profile = load_profile(settings.profile_path)
    engine = create_engine(url or database_url(settings, settings.data_dir))
    log_pool_outages_in_one_line(engine)
    services = Services(settings=settings, profile=profile, sessions=async_sessionmaker(engine, expire_on_commit=False))
    try:
        yield services
    finally:
        await services.close()
        await engine.dispose()
