"""`python -m starter report [--year Y] [--team T] --actor ID`: the timeliness indicators of a census year, as a table.

The census year Y runs from 1 April Y to 31 March Y+1 (default: the year today falls in). Each indicator shows
its numerator of its denominator, the share, whether it is the DfE's definition or ours, its bands, and one
line saying what is counted and where the definition comes from; `--json` prints the report as JSON instead.
Reads the case store only (no Temporal server needed). For a service manager (any team, or the authority) and
a team manager (their own team); `safeguarding.service.timeliness`, statutory-rules.md §9.
"""

from __future__ import annotations

import argparse

from safeguarding.service.principals import principal_for
from safeguarding.service.root import open_services
from safeguarding.service.timeliness import read_timeliness
from safeguarding.timeliness.counting import Indicator
from safeguarding.timeliness.report import TimelinessReport
from starter.exits import finish

WIDTH = 64


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` command."""
    parser = subparsers.add_parser(
        "report", help="the timeliness indicators of a census year, the DfE's and ours", description=__doc__
    )
    parser.add_argument("--year", type=int, metavar="YEAR", help="the census year's first year, e.g. 2026 for 2026/27")
    parser.add_argument("--team", metavar="TEAM_ID", help="one team's cases (a team manager's own by default)")
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who reads the report (their id)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the report."""
    return finish(
        "report",
        report(args.actor, args.year, args.team),
        {"year": "--year", "team_id": "--team"},
        render=None if args.json else as_table,
    )


async def report(actor: str, year: int | None, team_id: str | None) -> TimelinessReport:
    """Return the indicators of the census year."""
    async with open_services() as services:
        return await read_timeliness(services, await principal_for(services, actor), year=year, team_id=team_id)


def as_table(report: TimelinessReport) -> str:
    """Return the report as a plain-text table: one block per indicator, its bands beneath it."""
    whose = f"team {report.team_id}" if report.team_id else "the whole authority"
    lines = [
        f"Timeliness {report.year} ({report.first_day:%d %b %Y} to {report.reference_date:%d %b %Y}), {whose}, "
        f"counted to {report.as_of:%d %b %Y}",
        f"{'Indicator':<{WIDTH}} {'Whose':<5} {'Count':>11} {'Share':>7}",
        "-" * (WIDTH + 26),
    ]
    for indicator in report.indicators:
        lines += _block(indicator)
    lines += ["", "dfe: the DfE's definition and bands; ours: our rule where it differs.", report.counting_convention]
    return "\n".join(lines)


def _block(indicator: Indicator) -> list[str]:
    share = "-" if indicator.share is None else f"{indicator.share:.1%}"
    counted = f"{indicator.numerator}/{indicator.denominator}"
    lines = [f"{indicator.title:<{WIDTH}} {indicator.convention:<5} {counted:>11} {share:>7}"]
    lines += [f"    {band.label:<{WIDTH - 4}} {'':<5} {band.count:>11}" for band in indicator.bands]
    lines.append(f"    {indicator.definition}")
    if indicator.differs:
        lines.append(f"    Differs: {indicator.differs}")
    lines.append(f"    Source: {indicator.source}")
    return lines
