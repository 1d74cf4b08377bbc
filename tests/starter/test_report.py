"""`python -m starter report` as a service manager runs it: the timeliness indicators of a census year, as a table."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.store.examples import ExampleIds
from tests.factories import create_case
from tests.service.timeliness_caseload import at, contact
from tests.starter.conftest import Cli


async def _christmas_contact(db: async_sessionmaker[AsyncSession], team_id: str) -> None:
    """Write a contact of Wed 24 Dec 2025 decided on Mon 29 Dec: 1 working day over Christmas (census 2025/26)."""
    async with db.begin() as session:
        case = await create_case(session, team_id=team_id)
        await contact(session, case, at(date(2025, 12, 24)), at(date(2025, 12, 29)))


async def test_the_report_prints_each_indicator_with_its_count_share_and_bands(
    db: async_sessionmaker[AsyncSession], examples: ExampleIds, cli: Cli
) -> None:
    await _christmas_contact(db, examples.team_id)

    ran = await cli("report", "--year", "2025", "--actor", examples.service_manager_id)

    assert ran.code == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == "Timeliness 2025/26 (01 Apr 2025 to 31 Mar 2026), the whole authority, counted to 31 Mar 2026"
    decided = next(line for line in lines if line.startswith("Contacts decided within 1 working day"))
    assert decided.split()[-3:] == ["ours", "1/1", "100.0%"]
    assert any(line.split() == ["next", "working", "day", "1"] for line in lines)
    assert "Assessments completed within 45 working days of their start" in ran.stdout


async def test_the_report_as_json_and_a_team_managers_own_team(
    db: async_sessionmaker[AsyncSession], examples: ExampleIds, cli: Cli
) -> None:
    await _christmas_contact(db, examples.team_id)

    ran = await cli("report", "--year", "2025", "--json", "--actor", examples.team_manager_id)

    assert ran.code == 0, ran.stderr
    report = ran.json()
    assert (report["year"], report["team_id"]) == ("2025/26", examples.team_id)
    decided = next(i for i in report["indicators"] if i["key"] == "referral_decisions_within_1_working_day")
    assert (decided["numerator"], decided["denominator"], decided["share"]) == (1, 1, 1.0)


async def test_a_practitioner_or_a_year_to_come_is_refused_with_one_line(examples: ExampleIds, cli: Cli) -> None:
    refused = await cli("report", "--year", "2025", "--actor", examples.social_worker_id)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.error.startswith("report: a social_worker may not read timeliness")

    future = await cli("report", "--year", "2999", "--actor", examples.service_manager_id)
    assert (future.code, future.error) == (2, "report: the census year 2999/00 has not begun")
