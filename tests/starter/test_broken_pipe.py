"""The command line piped into `head`: when the reader stops reading, the command ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from safeguarding.store.examples import ExampleIds

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_whose_reader_has_gone_exits_quietly_without_a_traceback(
    database_url: str, examples: ExampleIds
) -> None:
    # A real pipe whose reading end is closed before the command writes: what `| head -n 1` leaves once
    # it has read its line and exited.
    read_end, write_end = os.pipe()
    os.close(read_end)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAFEGUARDING_")} | {"DATABASE_URL": database_url}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "starter", "due", "icpc", "2026-12-22", "--actor", examples.social_worker_id],
            cwd=ROOT,
            env=clean,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)

    assert (done.returncode, done.stderr) == (0, "")
