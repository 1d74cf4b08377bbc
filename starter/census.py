"""`python -m starter census --year 2026 --out FILE.xml [--spec 2025_26|2026_27] --actor ID`: the CIN census return.

Writes the Children in Need census XML of the census year starting 1 April YEAR (reference date 31 March of
the next year) from the case store, to the DfE specification of that year unless `--spec` names another
(statutory-rules.md §9; `safeguarding.census`). Reads the case store only (no Temporal server needed). The
file holds the children's identifiers, so only the head of service may write it; it is written whole or
not at all. Prints the counts as JSON (no personal data).
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from safeguarding.census.period import CensusSpec
from safeguarding.service.census import export_census
from safeguarding.service.principals import principal_for
from safeguarding.service.root import open_services
from starter.exits import Refused, finish


class CensusWritten(BaseModel):
    """The census return written to `out`."""

    out: str
    year: int
    spec: CensusSpec
    reference_date: date
    children: int
    episodes: int


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `census` command."""
    parser = subparsers.add_parser("census", help="write the Children in Need census return (XML)", description=__doc__)
    parser.add_argument("--year", required=True, type=int, help="the census year: 2026 is 1 April 2026 - 31 March 2027")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.xml", help="where to write the return")
    parser.add_argument(
        "--spec", choices=[str(s) for s in CensusSpec], help="the DfE specification (default: the year's)"
    )
    parser.add_argument("--serial-no", type=int, default=1, help="the return's serial number (default 1)")
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who exports it (their id)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Write the return and print its counts."""
    spec = CensusSpec(args.spec) if args.spec else None
    return finish("census", write(args.actor, args.year, args.out, spec, args.serial_no))


async def write(actor: str, year: int, out: Path, spec: CensusSpec | None, serial_no: int) -> CensusWritten:
    """Export the census and write it to `out` (through a temporary file beside it, then renamed)."""
    if not out.parent.is_dir():
        raise Refused(f"--out: no such directory {str(out.parent)!r}")
    async with open_services() as services:
        principal = await principal_for(services, actor)
        exported = await export_census(services, principal, year=year, spec=spec, serial_no=serial_no)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(exported.xml)
    os.replace(partial, out)
    return CensusWritten(out=str(out), **exported.model_dump(exclude={"xml"}))
