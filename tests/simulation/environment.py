"""The environment of a `python -m starter simulate` run by a test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def command_env(tmp: Path) -> dict[str, str]:
    """Return the test's environment with the command's throwaway files under `tmp`.

    The throwaway PostgreSQL's data then lies deep under pytest's base folder, too deep for its Unix socket
    (about 100 characters at most); pgserver puts the socket in the runtime folder instead, which without
    XDG_RUNTIME_DIR it would also take from TMPDIR. So the runtime folder is a short one of its own in the
    machine's temporary folder, private as platformdirs requires of it (mode 0700, as `mkdtemp` makes it).
    """
    runtime = tempfile.mkdtemp(prefix="sg-run-", dir=tempfile.gettempdir())
    return {**os.environ, "TMPDIR": str(tmp), "XDG_RUNTIME_DIR": runtime}
