"""The command line piped into `head`: when the reader stops reading, the command ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_whose_reader_has_gone_exits_quietly_without_a_traceback() -> None:
    # A real pipe whose reading end is closed before the command writes: what `| head -n 1` leaves once
    # it has read its line and exited.
    read_end, write_end = os.pipe()
    os.close(read_end)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAFEGUARDING_")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "starter", "due", "icpc", "2026-12-22"],
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
