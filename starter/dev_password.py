"""The development password of the example practitioners: random per data folder, never used in production.

Made on first use and kept (mode 0600) under the data folder beside the development session secret, so
`python -m starter seed` sets it and `make run` can print it; a fresh data folder gets a fresh one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE = "dev-password"


def development_password(data_dir: Path) -> str:
    """Return the data folder's development password, made on first use."""
    path = Path(data_dir) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    with os.fdopen(fd, "w") as file:
        file.write(password + "\n")
    return password
