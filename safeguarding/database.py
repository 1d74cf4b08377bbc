"""Find the case store's PostgreSQL, connect to it, and bring its schema up to date.

`DATABASE_URL` wins when set; otherwise the embedded PostgreSQL from the `pgserver` wheel is started under
the data folder, so development, tests and the demo need no database of their own. asyncpg is the only
driver. Schema changes are Alembic migrations (`safeguarding/migrations/`), applied at start-up by
`migrate`; the same migrations run from the shell through the `alembic.ini` at the repository root. Every
run takes a PostgreSQL advisory lock first (`migrations/env.py`), so any number of workers starting at once
migrate one after another: the first upgrades, the rest find the schema at head.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from safeguarding.config import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(settings: Settings, data_dir: Path) -> str:
    """Return the asyncpg URL of the case store, starting the embedded PostgreSQL if none is configured.

    The embedded server keeps its data in `<data_dir>/pgdata` and listens only on a Unix socket in it;
    it stops when the last process that started it exits.
    """
    if settings.database_url:
        url = asyncpg_url(settings.database_url)
        if settings.database_password is None:
            return url
        # The password comes from a secret file; the URL in the environment names only the server.
        password = settings.database_password.get_secret_value()
        return make_url(url).set(password=password).render_as_string(hide_password=False)
    return asyncpg_url(embedded_server(data_dir).get_uri())


def embedded_server(data_dir: Path) -> Any:
    """Return the embedded PostgreSQL of `data_dir`, starting it if this process has not already.

    `pgserver` is imported here, not at module level: on import it warns that XDG_RUNTIME_DIR is unset
    (harmless), which every command would otherwise print, even those that never use it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(data_dir / "pgdata")


def asyncpg_url(url: str) -> str:
    """Return `url` for SQLAlchemy's asyncpg driver; accept `postgresql://` and `postgresql+asyncpg://`.

    An embedded server's socket URL (`postgresql://postgres:@/postgres?host=/path`) keeps its socket
    folder readable in the result: `postgresql+asyncpg://postgres@/postgres?host=/path`.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.drivername not in ("postgresql", "postgresql+asyncpg"):
        raise ValueError(f"the case store needs a postgresql:// URL, not {parsed.drivername}://")
    socket_dir = parsed.query.get("host")
    if parsed.host is None and isinstance(socket_dir, str) and set(parsed.query) == {"host"}:
        user = quote(parsed.username or "postgres", safe="")
        password = f":{quote(parsed.password, safe='')}" if parsed.password else ""
        return f"postgresql+asyncpg://{user}{password}@/{parsed.database or 'postgres'}?host={quote(socket_dir)}"
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """Return an async engine: the one the worker, console and tests share (built at start-up, never at import),
    or, with `options` (`poolclass`, `isolation_level`), one for migrations and checks. Every engine is made here.

    `hide_parameters`: a failed statement's message would otherwise quote the row it tried to write (a
    parent's name and address) into logs, tracebacks and activity failures.
    """
    return create_async_engine(url, **{"pool_pre_ping": True, **options}, hide_parameters=True)


def create_activity_engine(url: str) -> AsyncEngine:
    """Return the worker's engine for its activities: like `create_engine`'s, but it does not ping.

    A ping costs three round trips on every checkout with asyncpg (BEGIN, an empty statement, ROLLBACK), a
    fifth of an activity's database work. An activity needs none of it: a connection lost while PostgreSQL
    was away fails the attempt, SQLAlchemy then discards every connection the pool held from before the
    loss, and Temporal retries the activity on a fresh one (`activities.outages` logs it in one line). The
    API and console keep the ping: a person would otherwise be told to try again once after an outage.
    """
    return create_engine(url, pool_pre_ping=False)


def alembic_config() -> Config:
    """Return an Alembic configuration built in code, so migrations run from any folder or installed package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


async def migrate(url: str) -> None:
    """Upgrade the case store at `url` to the newest migration (`alembic upgrade head`), in one transaction.

    A coroutine, so it runs inside the caller's event loop: Alembic is handed a connection through
    `Config.attributes` and runs synchronously on it via `run_sync`, so `env.py` never starts a loop.
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to_head)
    finally:
        await engine.dispose()


def _upgrade_to_head(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
