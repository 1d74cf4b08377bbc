"""The census return and the timeliness report of each census year a run on the simulated clock covered.

`demo --out DIR` and `simulate` write them alike, through the use cases `starter census` and `starter report`
call (`safeguarding.service.census`, `safeguarding.service.timeliness`), as the principal they are given (the
service manager: the head of service, the one role entitled to both). For each census year from the one the
run began in to the one it ended in they write `census-YEAR.xml` and `timeliness-YEAR.json` and `.txt` into
the folder, counted to the run's last day (statutory-rules.md §9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from safeguarding.census.period import SPEC_OF_YEAR, CensusYear
from safeguarding.service.access import Principal
from safeguarding.service.census import CensusExport, export_census
from safeguarding.service.root import Services
from safeguarding.service.timeliness import read_timeliness
from safeguarding.timeliness.report import TimelinessReport
from starter.report import as_table


@dataclass(frozen=True)
class YearWritten:
    """What was written for one census year: the report (and its table) and the census return's counts."""

    year: int
    report: TimelinessReport
    table: str
    census: CensusExport

    @property
    def census_file(self) -> str:
        """The census return's file name."""
        return f"census-{self.year}.xml"

    @property
    def timeliness_file(self) -> str:
        """The timeliness report's file name, as JSON."""
        return f"timeliness-{self.year}.json"

    @property
    def table_file(self) -> str:
        """The timeliness report's file name, as the table `starter report` prints."""
        return f"timeliness-{self.year}.txt"


async def write_year_returns(
    services: Services, principal: Principal, *, first_day: date, last_day: date, out: Path
) -> list[YearWritten]:
    """Write each census year's return and timeliness report from `first_day`'s to `last_day`'s into `out`.

    A census year this export knows no specification for is written to the latest one known, as
    `starter census --spec` would write it: the run's clock may pass the last year the DfE has specified.
    """
    latest_spec = SPEC_OF_YEAR[max(SPEC_OF_YEAR)]
    written = []
    for year in range(CensusYear.of(first_day).year, CensusYear.of(last_day).year + 1):
        report = await read_timeliness(services, principal, year=year, today=last_day)
        census = await export_census(services, principal, year=year, spec=SPEC_OF_YEAR.get(year, latest_spec))
        done = YearWritten(year=year, report=report, table=as_table(report), census=census)
        (out / done.timeliness_file).write_text(report.model_dump_json(indent=2))
        (out / done.table_file).write_text(done.table + "\n")
        (out / done.census_file).write_bytes(census.xml)
        written.append(done)
    return written
