"""`python -m starter run` (`make run`): the whole service on one machine, from the project's own wheels.

Starts the Temporal dev server, the case database and, unless an SMTP server is configured, a mail catcher
that saves every notice under `<data_dir>/mail` (`safeguarding.embedded`), runs the worker and, once the
worker has migrated the case store, the HTTP API (`SAFEGUARDING_API_PORT`), prints where everything is,
and stops in order on Ctrl-C or SIGTERM: the API and the worker first, then PostgreSQL and Temporal. State
stays under the data folder, so a restart carries on with running cases.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from urllib.parse import unquote

from pydantic import ValidationError
from sqlalchemy.engine import make_url

from safeguarding import embedded
from safeguarding.api import CODEC_PATH
from safeguarding.codes import Channel, Role
from safeguarding.config import Settings
from safeguarding.procedure_profile import ProcedureProfile, ProfileError, load_profile
from safeguarding.store.examples import PRACTITIONERS
from starter.dev_password import development_password

READY = "Ready. Ctrl-C stops everything."
SIGN_IN_EXAMPLES = [(role, PRACTITIONERS[role]) for role in (Role.TEAM_MANAGER, Role.SOCIAL_WORKER)]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` command."""
    parser = subparsers.add_parser("run", help="run Temporal, the case database and the worker until Ctrl-C")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run everything until a signal arrives; return 0 after a clean stop."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every pg_ctl call at INFO
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    try:
        settings = Settings()
        profile = load_profile(settings.profile_path)
    except (ValidationError, ProfileError) as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_serve(settings, profile))
    except embedded.EmbeddedError as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 1


async def _serve(settings: Settings, profile: ProcedureProfile) -> int:
    """Run until SIGINT or SIGTERM, or until the worker stops by itself (an error: return 1)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    service = asyncio.create_task(_run_service(settings, profile))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({service, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not service.done():
        print("Stopping ...", flush=True)
        service.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await service
    if stop.is_set():
        print("Stopped.", flush=True)
        return 0
    print("The worker stopped by itself; everything else has been stopped.", file=sys.stderr)
    return 1


async def _run_service(settings: Settings, profile: ProcedureProfile) -> None:
    """Start the embedded parts and run the worker against them until cancelled."""
    # Imported here so the other commands do not pay for loading every workflow, activity and route.
    import worker
    from safeguarding.api.app import create_app
    from safeguarding.api.serving import serving
    from safeguarding.service.root import open_services

    async with embedded.started(settings) as parts:
        ready = asyncio.Event()
        running = asyncio.create_task(worker.run(parts.worker_settings(settings), parts.database_url, ready=ready))
        try:
            waiting = asyncio.create_task(ready.wait())
            await asyncio.wait({running, waiting}, return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            if not ready.is_set():
                await running
                return
            # The worker has migrated the case store: the API may serve it now.
            async with (
                open_services(settings, url=parts.database_url) as services,
                serving(create_app(services), settings.api_host, settings.api_port) as api_url,
            ):
                _print_addresses(settings, profile, parts, api_url)
                await running
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running


def _codec_note(settings: Settings, api_url: str) -> str:
    """Say how the Web UI reads histories, when the dev server was given the codec endpoint (a fixed API port)."""
    if not settings.api_port:
        return ""
    return (
        f"  (decoded by the API's codec server {api_url}{CODEC_PATH}: sign in to the console, then turn on "
        "the UI's codec setting 'include cross-origin credentials')"
    )


def _print_addresses(settings: Settings, profile: ProcedureProfile, parts: embedded.Embedded, api_url: str) -> None:
    """Tell the person at the terminal where everything is; the database password is hidden."""
    database = unquote(make_url(parts.database_url).render_as_string(hide_password=True))
    where = f"embedded, {parts.data_dir / 'pgdata'}" if parts.database_embedded else "DATABASE_URL"
    lines = [
        "Safeguarding workflows are running.",
        f"  Temporal      {parts.temporal_address}  (namespace {settings.temporal_namespace}, "
        f"task queue {settings.task_queue})",
        f"  Web UI        {parts.ui_url}{_codec_note(settings, api_url)}",
        f"  API           {api_url}  (docs {api_url}/docs; tokens: python -m starter token create --practitioner ID)",
        f"  Console       {api_url}/console  ({_console_sign_in(settings)})",
        f"  Database      {database}  ({where})",
        f"  Mail          {_mail(settings, parts)}",
        f"  Data folder   {parts.data_dir}  (Temporal log {parts.temporal_log.name})",
        f"  Profile       {profile.ref}  ({settings.profile_path})",
        READY,
    ]
    print("\n".join(lines), flush=True)


def _console_sign_in(settings: Settings) -> str:
    """Say how to sign in: in development, the example practitioners' password (set by `starter seed`)."""
    if settings.environment != "development":
        return "local accounts: an administrator sets each password"
    password = development_password(settings.data_dir)
    examples = ", ".join(
        f"{practitioner_id} ({role.replace('_', ' ')})" for role, (practitioner_id, *_) in SIGN_IN_EXAMPLES
    )
    return f"after python -m starter seed, sign in as {examples} or any example practitioner, password {password}"


def _mail(settings: Settings, parts: embedded.Embedded) -> str:
    """Say where notices go: the catcher's folder, the configured SMTP server, or GOV.UK Notify."""
    if parts.mail_dir is not None:
        return f"{parts.mail_dir}  (caught by SMTP {parts.smtp_host}:{parts.smtp_port}, one .eml per message)"
    if settings.notification_channel is Channel.GOVUK_NOTIFY:
        return f"GOV.UK Notify  ({settings.notify_base_url})"
    return f"SMTP {parts.smtp_host}:{parts.smtp_port}"
