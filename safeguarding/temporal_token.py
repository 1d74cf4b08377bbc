"""The Temporal token kept fresh: a JWT renewed in its secret file is used while the worker and the API run.

The worker and the API authenticate to the Temporal frontend with a JWT (`SAFEGUARDING_TEMPORAL_API_KEY`),
which the production deployment mounts as a secret file (`safeguarding_temporal_api_key` in the secrets
folder, `safeguarding.config.secrets_folder`). Identity providers issue short-lived tokens, and a secret agent
(Vault Agent, a Kubernetes projected token, external-secrets) writes the renewed one over the file. Every
`SAFEGUARDING_TEMPORAL_TOKEN_CHECK_SECONDS` the file is read again and a changed token given to the client
(the SDK's `Client.api_key`; a worker polls through its client, so it sends the new token too): an expiring
token needs no restart. A token set in the environment wins over the file, as every setting does, and is
never read again. The token itself is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from temporalio.client import Client

from safeguarding.config import Settings, secrets_folder

log = logging.getLogger("safeguarding.temporal")

TOKEN_FILE = "safeguarding_temporal_api_key"
"""The token's secret file: its setting's variable in lower case, as every secret file is named."""
SETTLE_SECONDS = 0.2
"""How long after reading a changed token it is read again, to be sure it was not caught half-written."""


def token_file(settings: Settings) -> Path | None:
    """Return the file `settings` took the Temporal token from; None when it came from elsewhere, or is unset.

    The token came from the file when the file holds it still: one set in the environment (or given directly)
    is another, and is left alone.
    """
    if settings.temporal_api_key is None:
        return None
    path = secrets_folder() / TOKEN_FILE
    try:
        held = path.read_text().strip()
    except OSError:
        return None
    return path if held == settings.temporal_api_key.get_secret_value() else None


async def keep_token_fresh(client: Client, path: Path, every: float) -> None:
    """Give `client` the token in `path` whenever it changes, reading it every `every` seconds, until cancelled.

    A changed token is read twice, `SETTLE_SECONDS` apart, and taken only when both reads agree: a file written
    over in place (as compose's mounted secrets must be) may be caught half-written. A file that cannot be
    read, or is empty, keeps the token in use, said in one warning line, and is read again at the next check.
    """
    while True:
        await asyncio.sleep(every)
        token = await _read(path)
        if token is None or token == client.api_key:
            continue
        await asyncio.sleep(SETTLE_SECONDS)
        if await _read(path) == token:
            client.api_key = token
            log.info("the Temporal token was renewed from %s", path)


async def _read(path: Path) -> str | None:
    """Return the token in `path`; None, said in one warning line, when there is none to read."""
    try:
        token = (await asyncio.to_thread(path.read_text)).strip()
    except OSError as exc:
        log.warning(
            "the Temporal token file %s cannot be read (%s); the token in use is kept", path, type(exc).__name__
        )
        return None
    if not token:
        log.warning("the Temporal token file %s is empty; the token in use is kept", path)
        return None
    return token


@contextlib.asynccontextmanager
async def fresh_token(client: Client, settings: Settings) -> AsyncIterator[None]:
    """Keep `client`'s token fresh from its secret file while the context runs (nothing to do without one)."""
    path = token_file(settings)
    if path is None:
        yield
        return
    watching = asyncio.create_task(keep_token_fresh(client, path, settings.temporal_token_check_seconds))
    try:
        yield
    finally:
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watching
