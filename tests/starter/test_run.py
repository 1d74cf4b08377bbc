"""`python -m starter run` as a person runs it: a real process, real Temporal, real PostgreSQL, then Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import smtplib
import socket
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from temporalio.client import Client

from starter.run import READY

ROOT = Path(__file__).resolve().parents[2]
STARTUP = 120.0
SHUTDOWN = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _processes_mentioning(text: str) -> list[int]:
    """Return the ids of live processes whose command line contains `text` (Linux /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def _send_mail(port: int) -> None:
    message = EmailMessage()
    message["From"] = "safeguarding@example.invalid"
    message["To"] = "someone@example.invalid"
    message["Subject"] = "Caught"
    message.set_content("A notice the catcher keeps.")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as server:
        server.send_message(message)


def _ui_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.status)


async def _read_until_ready(stream: asyncio.StreamReader, seen: list[str]) -> None:
    while True:
        line = await stream.readline()
        if not line:
            raise AssertionError("`starter run` ended before it was ready:\n" + "".join(seen))
        seen.append(line.decode())
        if line.decode().strip() == READY:
            return


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Yield a fresh data folder outside pytest's own temporary tree.

    As root, pgserver runs PostgreSQL as its own `pgserver` user and opens up the folders above its data;
    pytest closes `/tmp/pytest-of-root` to its owner again whenever another session starts, which would
    lock that user out half-way through.
    """
    folder = Path(tempfile.mkdtemp(prefix="safeguarding-run-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _run_env(data_dir: Path, address: str, ui_port: int) -> dict[str, str]:
    """Return the environment of `starter run` on `data_dir`: embedded PostgreSQL, mail catcher, free ports."""
    env = {
        **os.environ,
        "SAFEGUARDING_DATA_DIR": str(data_dir),
        "SAFEGUARDING_TEMPORAL_ADDRESS": address,
        "SAFEGUARDING_TEMPORAL_UI_PORT": str(ui_port),
        "SAFEGUARDING_ENVIRONMENT": "development",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)  # the embedded pgserver path is the one under test
    env.pop("SAFEGUARDING_DATABASE_URL", None)
    for name in ("SAFEGUARDING_SMTP_HOST", "SAFEGUARDING_SMTP_PORT", "SAFEGUARDING_NOTIFICATION_CHANNEL"):
        env.pop(name, None)  # no SMTP server named: the mail catcher is the one under test
    return env


async def _start_run(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "starter",
        "run",
        env=env,
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_run_serves_temporal_the_ui_and_a_mail_catcher_then_stops_cleanly_on_ctrl_c(data_dir: Path) -> None:
    address = f"127.0.0.1:{_free_port()}"
    ui_port = _free_port()
    process = await _start_run(_run_env(data_dir, address, ui_port))
    output: list[str] = []
    try:
        assert process.stdout is not None
        await asyncio.wait_for(_read_until_ready(process.stdout, output), STARTUP)
        assert _processes_mentioning(str(data_dir / "temporal.db")), "no dev server process found"

        client = await Client.connect(address)
        assert (await client.service_client.check_health()) is True
        assert await asyncio.to_thread(_ui_status, f"http://127.0.0.1:{ui_port}/") == 200

        mail = re.search(r"^  Mail +(\S+)  \(caught by SMTP 127\.0\.0\.1:(\d+)", "".join(output), re.MULTILINE)
        assert mail is not None, "".join(output)
        assert Path(mail[1]) == data_dir / "mail"
        await asyncio.to_thread(_send_mail, int(mail[2]))
        [saved] = (data_dir / "mail").glob("*.eml")
        assert "Subject: Caught" in saved.read_text()

        console = re.search(r"^  Console +(\S+)  \(.*password (\S+)\)$", "".join(output), re.MULTILINE)
        assert console is not None, "".join(output)
        assert console[2] == (data_dir / "dev-password").read_text().strip()
        assert await asyncio.to_thread(_ui_status, f"{console[1]}/sign-in") == 200

        process.send_signal(signal.SIGINT)
        rest, _ = await asyncio.wait_for(process.communicate(), SHUTDOWN)
        output.append(rest.decode())

        text = "".join(output)
        assert process.returncode == 0, text
        assert "Traceback" not in text
        assert _processes_mentioning(str(data_dir / "temporal.db")) == []
        assert _processes_mentioning(str(data_dir / "pgdata")) == []
    finally:
        await _kill_leftovers(process, data_dir)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl_c", "sigterm"])
async def test_a_run_after_a_killed_one_stops_what_it_left_and_a_clean_stop_leaves_nothing(
    data_dir: Path, stop: signal.Signals
) -> None:
    address = f"127.0.0.1:{_free_port()}"
    env = _run_env(data_dir, address, _free_port())
    killed = await _start_run(env)
    process = None
    output: list[str] = []
    try:
        assert killed.stdout is not None
        await asyncio.wait_for(_read_until_ready(killed.stdout, output), STARTUP)
        killed.kill()
        await killed.wait()
        left = _processes_mentioning(str(data_dir))
        assert _processes_mentioning(str(data_dir / "temporal.db")), "the killed run left no dev server behind"
        assert _processes_mentioning(str(data_dir / "pgdata")), "the killed run left no PostgreSQL behind"

        process = await _start_run(env)
        assert process.stdout is not None
        await asyncio.wait_for(_read_until_ready(process.stdout, output), STARTUP)
        assert set(_processes_mentioning(str(data_dir))).isdisjoint(left)
        assert _processes_mentioning(str(data_dir / "temporal.db"))
        assert _processes_mentioning(str(data_dir / "pgdata"))
        client = await Client.connect(address)
        assert (await client.service_client.check_health()) is True

        process.send_signal(stop)
        rest, _ = await asyncio.wait_for(process.communicate(), SHUTDOWN)
        output.append(rest.decode())

        text = "".join(output)
        assert process.returncode == 0, text
        assert "Traceback" not in text
        assert _processes_mentioning(str(data_dir)) == []
    finally:
        if process is not None:
            await _kill_leftovers(process, data_dir)
        await _kill_leftovers(killed, data_dir)


async def _kill_leftovers(process: asyncio.subprocess.Process, data_dir: Path) -> None:
    """Leave no server behind when the test fails half-way."""
    if process.returncode is None:
        process.kill()
        await process.wait()
    for pid in _processes_mentioning(str(data_dir)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
