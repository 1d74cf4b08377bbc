"""`make run` stops only what a killed run left on its own data folder, never another project's servers.

The data folder's pid files are made to name real processes that are not its servers: the suite's own
PostgreSQL (another data folder) and an ordinary process. Both must survive the clean-up, and the
stale notes are forgotten.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import psutil
import pytest

from safeguarding import leftovers


@pytest.fixture
def suite_postgres(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> psutil.Process:
    """The suite's running PostgreSQL: a real `postgres`, on a data folder that is not the test's."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the suite's PostgreSQL is not an embedded one on this machine")
    root = tmp_path_factory.getbasetemp()
    for postmaster in (root / "pgdata" / "postmaster.pid", root.parent / "pgdata" / "postmaster.pid"):
        if postmaster.exists():  # where `tests.fixtures.database` starts it, without or with xdist
            return psutil.Process(int(postmaster.read_text().split("\n", 1)[0]))
    raise AssertionError("the suite's embedded PostgreSQL was not found")


async def test_pid_files_naming_other_processes_stop_nothing_and_are_forgotten(
    tmp_path: Path, suite_postgres: psutil.Process
) -> None:
    other = await asyncio.create_subprocess_exec("sleep", "300")
    try:
        pgdata = tmp_path / "pgdata"
        pgdata.mkdir()
        (pgdata / "PG_VERSION").write_text("16\n")
        (pgdata / "postmaster.pid").write_text(f"{suite_postgres.pid}\n{suite_postgres.cmdline()[2]}\n")
        (pgdata / ".handle_pids.json").write_text(json.dumps([other.pid + 10_000_000]))  # long dead
        leftovers.remember_temporal(tmp_path, other.pid)

        await asyncio.to_thread(leftovers.stop_leftovers, tmp_path)

        assert suite_postgres.is_running()
        assert other.returncode is None and psutil.Process(other.pid).status() != psutil.STATUS_ZOMBIE
        assert not (tmp_path / leftovers.TEMPORAL_PID).exists()
        assert json.loads((pgdata / ".handle_pids.json").read_text()) == []
    finally:
        other.kill()
        await other.wait()
