"""The managers' dashboard: overdue and due work by team and by worker, and the timeliness indicators as charts.

For the team managers (their own team) and the service managers (every team, or one): the service layer
refuses anyone else (`service.workload`, `service.timeliness`). The year and team are chosen with a GET form,
so a dashboard is a link that can be kept. Each table can be downloaded as CSV with the same cells; each
chart has a table of the same figures beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from safeguarding.api.deps import ServicesDep
from safeguarding.bank_holidays import FIRST_YEAR
from safeguarding.census.period import CensusYear
from safeguarding.console.charts import bar_chart
from safeguarding.console.dashboard_tables import (
    Table,
    band_bars,
    find_table,
    indicator_bands,
    indicator_shares,
    share_bars,
    to_csv,
    workload_by_team,
    workload_by_worker,
)
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.templating import render
from safeguarding.service import timeliness, workload
from safeguarding.service.access import Principal
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services
from safeguarding.timeliness.report import TimelinessReport
from safeguarding.working_days import local_date

router = APIRouter(prefix="/console")

DASHBOARD = "/console/dashboard"


@dataclass
class Dashboard:
    """What the page shows and the downloads serve, for one choice of year and team."""

    workload: workload.Workload
    report: TimelinessReport | None
    today: date
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        """Every table of the dashboard, workload first."""
        tables = [workload_by_team(self.workload), workload_by_worker(self.workload)]
        if self.report is not None:
            tables.append(indicator_shares(self.report))
            tables += [indicator_bands(self.report, indicator) for indicator in self.report.indicators]
        return tables


@router.get("/dashboard")
async def dashboard_page(
    request: Request,
    services: ServicesDep,
    principal: ConsolePrincipal,
    layout: FrameDep,
    year: str = "",
    team: str = "",
) -> Response:
    """Show the workload and the timeliness charts of the chosen team (or every team) and census year."""
    board = await _read(services, principal, year, team)
    query = {name: value for name, value in (("year", year.strip()), ("team", team.strip())) if value}
    report = board.report
    context: dict[str, Any] = {
        **layout,
        "board": board,
        "errors": board.errors,
        "team_table": workload_by_team(board.workload),
        "worker_table": workload_by_worker(board.workload),
        "chosen": {"year": year.strip() or (str(CensusYear.of(board.today).year)), "team": team.strip()},
        "years": [CensusYear(y) for y in range(CensusYear.of(board.today).year, FIRST_YEAR - 1, -1)],
        "all_teams": principal.spans_teams(),
        "download": lambda table: f"{DASHBOARD}/{table.name}.csv" + (f"?{urlencode(query)}" if query else ""),
    }
    if report is not None:
        context["shares"] = indicator_shares(report)
        context["shares_chart"] = bar_chart(
            "chart-shares",
            f"Timeliness indicators, {report.year}: share of each",
            "One bar per indicator, as long as its share of 100%; each share is written beside its bar "
            "and given in the table after the chart.",
            share_bars(report),
            maximum=100,
        )
        context["bands"] = [
            (
                indicator,
                indicator_bands(report, indicator),
                bar_chart(
                    f"chart-{indicator.key}",
                    f"{indicator.title}: bands",
                    "One bar per band, as long as its count against the largest; each count is written beside "
                    "its bar and given in the table after the chart.",
                    band_bars(indicator),
                ),
            )
            for indicator in report.indicators
            if indicator.bands
        ]
    return render(request, "dashboard.html", context, status_code=422 if board.errors else 200)


@router.get("/dashboard/{name}.csv")
async def download_table(
    name: str, services: ServicesDep, principal: ConsolePrincipal, year: str = "", team: str = ""
) -> Response:
    """Return one of the dashboard's tables as CSV, for the same choice of year and team as the page."""
    board = await _read(services, principal, year, team)
    if board.errors:
        raise Invalid(board.errors[0]["text"], field="year")
    table = find_table(board.tables, name)
    if table is None:
        raise HTTPException(status_code=404)
    return Response(
        to_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table.name}.csv"'},
    )


async def _read(services: Services, principal: Principal, year: str, team: str) -> Dashboard:
    """Return the dashboard of `year` and `team` (blank: the current year; the reader's own team, or every team).

    The workload is read first: a reader it refuses is refused the whole page. A year the timeliness report
    refuses (not a number, not begun, before the calendar) is shown as an error beside the year's field.
    """
    now = await services.now()
    team_id = team.strip() or None
    board = Dashboard(
        workload=await workload.read_workload(services, principal, team_id=team_id, now=now),
        report=None,
        today=local_date(now),
    )
    census_year: int | None = None
    if year.strip():
        try:
            census_year = int(year.strip())
        except ValueError:
            board.errors.append(_year_error("the year is not a number: choose one from the list"))
            return board
    try:
        board.report = await timeliness.read_timeliness(
            services, principal, year=census_year, team_id=team_id, today=board.today
        )
    except Invalid as refused:
        board.errors.append(_year_error(refused.reason))
    return board


def _year_error(reason: str) -> dict[str, str]:
    return {"text": reason, "href": "#year", "field": "year"}
