"""`python -m starter migrate`: bring the case store's schema to head, then exit.

The deployment's one-shot `migrate` job (docker-compose.yml) runs it before any worker or API starts, so
scaling the workers never races Alembic; the workers migrate again at start-up, which finds nothing to do
(every run holds the same advisory lock, `safeguarding/migrations/env.py`). Exits 1, with the kind of
failure, when the database cannot be reached: the job's restart policy tries again. A migration that fails
on a reachable database is a fault and ends with its traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

log = logging.getLogger("safeguarding.migrate")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `migrate` command."""
    parser = subparsers.add_parser("migrate", help="migrate the case store to head and exit", description=__doc__)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Migrate the configured case store; 0 once it is at head."""
    # Imported here so the other commands do not pay for loading Alembic.
    from safeguarding.config import Settings
    from safeguarding.database import database_url, migrate
    from safeguarding.outages import UNREACHABLE, is_outage, why

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    try:
        asyncio.run(migrate(database_url(settings, settings.data_dir)))
    except UNREACHABLE as exc:
        if not is_outage(exc):
            raise
        log.error("the case store is unreachable (%s); nothing was migrated", why(exc))
        return 1
    log.info("the case store is at head")
    return 0
