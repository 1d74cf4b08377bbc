"""The real parts the demo runs on, started in this process and stopped again, whatever happens.

For the whole demo: a case store built by the real migrations and an SMTP server on loopback that
records what it receives. For each case: a time-skipping Temporal server with a throwaway payload key,
a worker with every workflow and the real activities on a fresh task queue, and the application layer's
`Services` over both, whose "now" is the server's simulated time. The case store is a new
database: on the server of `DATABASE_URL` when that is set (dropped at the end, so the demo's fixed
example ids never meet an earlier run's), otherwise an embedded PostgreSQL (`pgserver`) in a temporary
folder that is removed at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path

import pgserver
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.mail import SmtpChannel
from safeguarding.config import Settings
from safeguarding.database import asyncpg_url, create_engine, database_url, migrate
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.service.root import Services
from starter.time_skipping import start_server
from worker import build_activities, worker_interceptors
from workflows.registry import ALL_WORKFLOWS

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Mail:
    """One message the sink accepted: to whom, and its subject (the body stays unread)."""

    to: str
    subject: str


@dataclass
class MailSink:
    """An SMTP server's handler (aiosmtpd) that keeps the recipients and subject of every message."""

    received: list[Mail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Record the message; aiosmtpd calls this on its own thread's event loop."""
        headers = BytesHeaderParser(policy=default_policy).parsebytes(envelope.original_content or b"")
        with self._lock:
            for to in envelope.rcpt_tos:
                self.received.append(Mail(to=to, subject=str(headers["Subject"])))
        return "250 Message accepted for delivery"

    def since(self, count: int) -> list[Mail]:
        """Return the messages received after the first `count`."""
        with self._lock:
            return self.received[count:]


@dataclass(frozen=True)
class Parts:
    """What lasts the whole demo: the case store, the mail sink, the procedure profile, the SDK runtime."""

    sessionmaker: async_sessionmaker[AsyncSession]
    mail: MailSink
    channel: SmtpChannel
    profile: ProcedureProfile
    runtime: Runtime
    settings: Settings
    services: Services
    """The application layer over the case store alone, for reading what the stories left behind."""


@dataclass(frozen=True)
class Clock:
    """A time-skipping server of its own, with a worker polling a fresh task queue on it."""

    env: WorkflowEnvironment
    task_queue: str
    services: Services
    """The application layer over the case store and this server: every story acts and reads through it."""


@contextlib.asynccontextmanager
async def running(settings: Settings, profile: ProcedureProfile) -> AsyncIterator[Parts]:
    """Start the mail sink and a migrated throwaway case store; stop and remove them on the way out."""
    async with contextlib.AsyncExitStack() as stack:
        mail = MailSink()
        port = _free_port()
        controller = Controller(mail, hostname=LOOPBACK, port=port)
        controller.start()
        stack.callback(controller.stop)

        url = await stack.enter_async_context(_throwaway_database(settings))
        await migrate(url)
        engine = create_engine(url)
        stack.push_async_callback(engine.dispose)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield Parts(
            sessionmaker=sessions,
            mail=mail,
            channel=SmtpChannel(LOOPBACK, port, settings.smtp_sender),
            profile=profile,
            # Only errors from the SDK core: its warnings (such as the test server's missing capabilities)
            # would break into the story.
            runtime=Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=TelemetryFilter("ERROR", "ERROR")))),
            settings=settings,
            services=Services(settings=settings, profile=profile, sessions=sessions),
        )


@contextlib.asynccontextmanager
async def fresh_clock(parts: Parts, *, patient: bool = False) -> AsyncIterator[Clock]:
    """Start a time-skipping server (throwaway payload key) and a worker on it; stop both on the way out.

    One server per walkthrough: the processes a story leaves running (the strategy discussion a LADO
    allegation starts on a pupil's case, say) would otherwise send their reminders into the next story as
    its clock moves on. `patient` turns off the SDK's deadlock detector (a workflow activation that takes
    over 2 seconds fails its task): a simulation drives thousands of cases from the worker's own process, and
    on a busy machine an activation can wait that long for the interpreter, failing the task and any status
    query meanwhile. The workflows and their sandbox are the same; the replay tests guard determinism.
    """
    proof_keys = [(f"demo-proof-{secrets.token_hex(4)}", secrets.token_bytes(32))]
    env = await start_server(
        [(f"demo-{secrets.token_hex(4)}", secrets.token_bytes(32))], proof_keys, runtime=parts.runtime
    )
    try:
        task_queue = f"demo-{secrets.token_hex(6)}"
        activities = build_activities(
            sessionmaker=parts.sessionmaker,
            channel=parts.channel,
            profile=parts.profile,
            client=env.client,
            task_queue=task_queue,
        )
        async with Worker(
            env.client,
            task_queue=task_queue,
            workflows=ALL_WORKFLOWS,
            activities=activities,
            interceptors=worker_interceptors(proof_keys),
            debug_mode=patient,
        ):
            services = Services(
                settings=parts.settings.model_copy(update={"task_queue": task_queue}),
                profile=parts.profile,
                sessions=parts.sessionmaker,
                client=env.client,
                clock=env.get_current_time,  # the simulated present: what the story does is never "in the future"
            )
            yield Clock(env=env, task_queue=task_queue, services=services)
    finally:
        await env.shutdown()


@contextlib.asynccontextmanager
async def _throwaway_database(settings: Settings) -> AsyncIterator[str]:
    """Yield the URL of an empty database that is gone when the context is left."""
    if settings.database_url:
        server_url = asyncpg_url(settings.database_url)
        name = f"safeguarding_demo_{secrets.token_hex(4)}"
        await _admin(server_url, f'CREATE DATABASE "{name}"')
        try:
            yield asyncpg_url(make_url(server_url).set(database=name).render_as_string(hide_password=False))
        finally:
            await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    folder = Path(tempfile.mkdtemp(prefix="safeguarding-demo-"))
    try:
        yield await asyncio.to_thread(database_url, settings, folder)
    finally:
        await asyncio.to_thread(_remove_pgserver, folder)


async def _admin(server_url: str, statement: str) -> None:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _remove_pgserver(folder: Path) -> None:
    """Stop the embedded PostgreSQL started in `folder` (if it started) and remove the folder."""
    if (folder / "pgdata").exists():
        # Clean-up goes on whatever this says: the error that brought the demo here is the one to show.
        with contextlib.suppress(Exception):
            pgserver.get_server(folder / "pgdata").cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])
