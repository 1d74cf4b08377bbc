"""Export the Children in Need census return of a census year from the case store (statutory-rules.md §9).

The return holds every child's identifiers (dates of birth, UPNs), so only the head of service may export
it (`access.READS_CENSUS`). A year that has begun may be exported before it ends: the return is then the
year as it stands now, every open episode still open. The specification defaults to the year's own; a
year this export has no specification for needs one named (`--spec`).
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import PackageNotFoundError, version

from pydantic import BaseModel, Field

from safeguarding.census.caseload import read_caseload
from safeguarding.census.episodes import census_child
from safeguarding.census.period import SPEC_OF_YEAR, CensusPeriod, CensusSpec
from safeguarding.census.xml_return import Source, census_xml
from safeguarding.service.access import READS_CENSUS, Principal, require_role
from safeguarding.service.errors import Conflict, Invalid
from safeguarding.service.root import Services
from safeguarding.working_days import LONDON, local_date

SOFTWARE = "safeguarding-workflows"
"""The header's SoftwareCode: this system's name (its package's)."""


class CensusExport(BaseModel):
    """The census return written, with its counts (the XML itself holds the children's identifiers)."""

    year: int
    spec: CensusSpec
    reference_date: date
    children: int
    episodes: int
    xml: bytes = Field(repr=False)


async def export_census(
    services: Services, principal: Principal, *, year: int, spec: CensusSpec | None = None, serial_no: int = 1
) -> CensusExport:
    """Return the census of the year starting 1 April `year`, to `spec` (default: that year's own)."""
    require_role(principal, "export_census", READS_CENSUS)
    census = services.profile.census
    if census is None:
        raise Invalid(f"procedure profile {services.profile.authority!r} sets no [census] la_code", field="profile")
    chosen = spec or SPEC_OF_YEAR.get(year)
    if chosen is None:
        known = ", ".join(str(y) for y in sorted(SPEC_OF_YEAR))
        raise Invalid(
            f"no census specification is known for {year}; name one with spec (years known: {known})", field="spec"
        )
    period = CensusPeriod(year, chosen)
    now = await services.now()
    if period.first_day > local_date(now):
        raise Invalid(
            f"the census year {year} has not begun: it starts on {period.first_day.isoformat()}", field="year"
        )
    if not 1 <= serial_no <= 999:
        raise Invalid("serial_no is between 1 and 999", field="serial_no")
    async with services.sessions() as session:
        cases = await read_caseload(session=session)
    children = [child for case in cases if (child := census_child(case, period)) is not None]
    ids = [child.la_child_id for child in children]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise Conflict(f"two children would share census id {', '.join(twice)} (LAchildID must be unique)")
    source = Source(census.la_code, SOFTWARE, _release(), serial_no, now.astimezone(LONDON))
    return CensusExport(
        year=year,
        spec=chosen,
        reference_date=period.reference_date,
        children=len(children),
        episodes=sum(len(child.episodes) for child in children),
        xml=census_xml(period, source, children),
    )


def _release() -> str:
    try:
        return version(SOFTWARE)
    except PackageNotFoundError:
        return "unreleased"
