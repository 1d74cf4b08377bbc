"""The dashboard's tables as CSV: the page's cells, and never a formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from safeguarding.console.dashboard_tables import (
    Cell,
    Table,
    csv_safe,
    indicator_shares,
    percent,
    to_csv,
    workload_by_worker,
)
from safeguarding.service.workload import TeamWork, WorkerWork, Workload
from safeguarding.timeliness.counting import Indicator
from safeguarding.timeliness.report import TimelinessReport


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(start: str) -> None:
    assert csv_safe(f'{start}HYPERLINK("http://example.invalid")') == f'\'{start}HYPERLINK("http://example.invalid")'


@pytest.mark.parametrize("text", ["Team A", "12", "75.0%", "", "a=b", "Nothing counted"])
def test_other_cells_are_written_as_they_are(text: str) -> None:
    assert csv_safe(text) == text


def test_the_csv_has_the_tables_headers_and_cells_with_formulas_defused() -> None:
    table = Table(
        name="t",
        caption="A table",
        headers=("Worker", "Open"),
        rows=((Cell("=SUM(A1:A9)"), Cell("3", 3)), (Cell('Ann "Nan", Smith'), Cell("0", 0))),
    )

    written = to_csv(table)

    assert written.endswith("\r\n")
    assert list(csv.reader(io.StringIO(written))) == [
        ["Worker", "Open"],
        ["'=SUM(A1:A9)", "3"],
        ['Ann "Nan", Smith', "0"],
    ]


def test_a_practitioners_name_that_looks_like_a_formula_is_defused_in_the_workload_download() -> None:
    workload = Workload(
        team_id="team-a",
        as_at=datetime(2026, 12, 23, 10, tzinfo=UTC),
        week_ends=date(2026, 12, 27),
        teams=[TeamWork(team_id="team-a", team_name="Team A", open=1)],
        workers=[WorkerWork(team_id="team-a", practitioner_id="sw-1", name="@cmd|' /C calc'!A0", open=1)],
        choices=[],
    )

    [_, row] = list(csv.reader(io.StringIO(to_csv(workload_by_worker(workload)))))

    assert row == ["'@cmd|' /C calc'!A0", "sw-1", "Team A", "0", "0", "1"]


def test_a_share_is_a_percentage_and_nothing_counted_is_said_and_sorts_first() -> None:
    assert percent(0.756) == Cell("75.6%", 0.756)
    assert percent(None) == Cell("Nothing counted", -1)


def test_the_indicators_table_has_one_row_per_indicator_with_its_figures() -> None:
    indicator = Indicator(
        key="referral_decisions",
        title="Contacts decided within 1 working day",
        convention="ours",
        definition="Contacts.",
        source="§2",
        numerator=3,
        denominator=4,
        share=0.75,
        bands=[],
    )
    report = TimelinessReport(
        year="2026/27",
        first_day=date(2026, 4, 1),
        reference_date=date(2027, 3, 31),
        as_of=date(2026, 11, 30),
        team_id=None,
        counting_convention="start day is day 0",
        calendar_version="v",
        indicators=[indicator],
    )

    table = indicator_shares(report)

    assert table.name == "timeliness-2026-27"
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["Contacts decided within 1 working day", "Ours", "3", "4", "75.0%"]
    ]
