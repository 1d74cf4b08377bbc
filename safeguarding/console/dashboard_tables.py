"""The dashboard's tables: built once, shown as a GOV.UK table and downloaded as CSV with the same cells.

The page and the download are made from one `Table`, so what a manager reads and what they open in a
spreadsheet cannot disagree. A cell that a spreadsheet would run as a formula (one starting with `=`, `+`,
`-`, `@`, a tab or a carriage return: OWASP's CSV injection) is written with a leading `'`, in the download
only. The tables hold ids, practitioners' names, codes and counts: never a child's personal data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from safeguarding.console.charts import Bar
from safeguarding.service.workload import Workload
from safeguarding.timeliness.counting import Indicator
from safeguarding.timeliness.report import TimelinessReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNASSIGNED = "Unassigned"
NOTHING_COUNTED = "Nothing counted"


@dataclass(frozen=True)
class Cell:
    """One cell: its text, and for a number the value it sorts by (the MoJ sortable table's `data-sort-value`)."""

    text: str
    sort: float | None = None

    @property
    def numeric(self) -> bool:
        """Whether the cell is a number (right-aligned, sorted by value)."""
        return self.sort is not None


@dataclass(frozen=True)
class Table:
    """A table of the dashboard: `name` is its download's file name (without `.csv`)."""

    name: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def number(value: int) -> Cell:
    """Return a count as a cell."""
    return Cell(str(value), value)


def percent(share: float | None) -> Cell:
    """Return a share as a percentage cell; nothing counted sorts first."""
    if share is None:
        return Cell(NOTHING_COUNTED, -1)
    return Cell(f"{share * 100:.1f}%", share)


def workload_by_team(workload: Workload) -> Table:
    """Return the open tasks of each team."""
    return Table(
        name="workload-by-team",
        caption="Open tasks by team",
        headers=("Team", "Team ID", "Overdue", "Due this week", "Open"),
        rows=tuple(
            (
                Cell(team.team_name),
                Cell(team.team_id),
                number(team.overdue),
                number(team.due_this_week),
                number(team.open),
            )
            for team in workload.teams
        ),
    )


def workload_by_worker(workload: Workload) -> Table:
    """Return the open tasks of each worker in each team, and each team's unassigned ones."""
    names = {team.team_id: team.team_name for team in workload.teams}
    return Table(
        name="workload-by-worker",
        caption="Open tasks by worker",
        headers=("Worker", "Worker ID", "Team", "Overdue", "Due this week", "Open"),
        rows=tuple(
            (
                Cell(worker.name or UNASSIGNED),
                Cell(worker.practitioner_id or ""),
                Cell(names.get(worker.team_id, worker.team_id)),
                number(worker.overdue),
                number(worker.due_this_week),
                number(worker.open),
            )
            for worker in workload.workers
        ),
    )


def indicator_shares(report: TimelinessReport) -> Table:
    """Return each indicator's numerator, denominator and share."""
    return Table(
        name=f"timeliness-{_year_name(report)}",
        caption=f"Timeliness indicators, {report.year}",
        headers=("Indicator", "Whose definition", "Numerator", "Denominator", "Share"),
        rows=tuple(
            (
                Cell(indicator.title),
                Cell("DfE" if indicator.convention == "dfe" else "Ours"),
                number(indicator.numerator),
                number(indicator.denominator),
                percent(indicator.share),
            )
            for indicator in report.indicators
        ),
    )


def indicator_bands(report: TimelinessReport, indicator: Indicator) -> Table:
    """Return how many fell in each band of one indicator."""
    return Table(
        name=f"timeliness-{_year_name(report)}-{indicator.key.replace('_', '-')}",
        caption=f"{indicator.title}: bands",
        headers=("Band", "Count"),
        rows=tuple((Cell(band.label), number(band.count)) for band in indicator.bands),
    )


def share_bars(report: TimelinessReport) -> list[Bar]:
    """Return a bar for each indicator: its share, as a percentage of 100."""
    return [
        Bar(
            label=indicator.title,
            value=None if indicator.share is None else indicator.share * 100,
            text=percent(indicator.share).text
            + (f" ({indicator.numerator} of {indicator.denominator})" if indicator.denominator else ""),
        )
        for indicator in report.indicators
    ]


def band_bars(indicator: Indicator) -> list[Bar]:
    """Return a bar for each band of an indicator: its count."""
    return [Bar(label=band.label, value=band.count, text=str(band.count)) for band in indicator.bands]


def csv_safe(text: str) -> str:
    """Return `text` as a spreadsheet reads it as text: with a leading `'` when it would start a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table) -> str:
    """Return the table as CSV (RFC 4180: CRLF line ends, quoted where needed): its headers, then its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(header) for header in table.headers])
    writer.writerows([csv_safe(cell.text) for cell in row] for row in table.rows)
    return out.getvalue()


def find_table(tables: Sequence[Table], name: str) -> Table | None:
    """Return the table called `name`, or None."""
    return next((table for table in tables if table.name == name), None)


def _year_name(report: TimelinessReport) -> str:
    return report.year.replace("/", "-")
