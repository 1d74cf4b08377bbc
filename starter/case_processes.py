"""`python -m starter list --case REF`: a case's processes and their workflow ids, from the case store.

The ids are what `decide`, `status` and `raise-disagreement` take. Running and finished processes are
listed, oldest first, each with its stage and outcome; no Temporal server is needed. Ids and codes only.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.store.case_processes import list_case_processes
from safeguarding.store.cases import get_case_by_reference
from starter.exits import Refused, finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `list` command."""
    parser = subparsers.add_parser("list", help="a case's processes and their workflow ids", description=__doc__)
    parser.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. EX-0007")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the case's processes."""
    return finish("list", list_processes(args.case))


async def list_processes(reference: str) -> dict[str, Any]:
    """Return the case `reference` and its processes; refuse an unknown case."""
    settings = Settings()
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            case = await get_case_by_reference(reference, session=session)
            if case is None:
                raise Refused(f"no case with reference {reference!r}")
            processes = await list_case_processes(case["id"], session=session)
    finally:
        await engine.dispose()
    return {
        "case": case["reference"],
        "closed": case["closed_at"] is not None,
        "processes": [dict(row) | {"running": row["closed_at"] is None} for row in processes],
    }
