"""`python -m starter lado-report`: the LADO's caseload and resolution targets, as JSON (statutory-rules.md §6).

Reads the case store only (no Temporal server needed). `caseload`: the open allegations, counted by stage
(a police-led case shows `paused_police_investigation`) and by LADO, each with its next date due and its
rule (`next_due`, `next_due_rule_id`; a deadline missed and not yet met counts, flagged `next_due_missed`).
`resolution_targets`: for each target (1 month, 3 months, 12 months; 1 week for clearly unfounded or
malicious allegations), how many allegations met it, missed it (a target passed while the allegation
was still open counts as missed) and are still open within it, and the share met. References and ids
only: no names.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.store.lado_report import get_lado_caseload, list_resolution_shares
from starter.exits import finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `lado-report` command."""
    parser = subparsers.add_parser(
        "lado-report", help="the LADO's caseload and the share of allegations resolved in time", description=__doc__
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the report."""
    return finish("lado-report", report())


async def report() -> dict[str, Any]:
    """Return the caseload and the resolution targets as they stand now."""
    settings = Settings()
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            now = datetime.now(UTC)
            return {
                "caseload": await get_lado_caseload(now, session=session),
                "resolution_targets": await list_resolution_shares(now, session=session),
            }
    finally:
        await engine.dispose()
