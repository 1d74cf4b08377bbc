"""`python -m starter census` as the head of service runs it: the return written whole, or nothing and why."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.store.contacts import list_contacts
from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds
from tests.census.caseload import build_fixed_caseload
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.workflows.time_control import last_working_day_at


async def test_the_head_of_service_writes_the_return_and_sees_its_counts(
    cli: Cli, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await build_fixed_caseload(db)
    out = tmp_path / "cin-2026.xml"

    ran = await cli("census", "--year", "2026", "--out", str(out), "--actor", EXAMPLE_IDS.service_manager_id)

    assert ran.code == 0, ran.stderr
    assert ran.json() == {
        "out": str(out),
        "year": 2026,
        "spec": "2026_27",
        "reference_date": "2027-03-31",
        "children": 4,
        "episodes": 5,
    }
    root = ET.parse(out).getroot()
    assert root.findtext("Header/CollectionDetails/Year") == "2027"
    assert len(root.findall("Children/Child")) == 4
    assert "Fictional" not in ran.stdout + ran.stderr
    assert os.listdir(tmp_path) == ["cin-2026.xml"]


async def test_a_social_worker_is_refused_and_nothing_is_written(
    cli: Cli, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await build_fixed_caseload(db)
    out = tmp_path / "cin.xml"

    ran = await cli("census", "--year", "2026", "--out", str(out), "--actor", EXAMPLE_IDS.social_worker_id)

    assert ran.code == 2
    assert "export_census" in ran.stderr
    assert not out.exists()


async def test_an_unknown_specification_or_a_missing_directory_is_refused(cli: Cli, tmp_path: Path) -> None:
    actor = EXAMPLE_IDS.service_manager_id
    wrong_spec = await cli("census", "--year", "2026", "--out", str(tmp_path / "a.xml"), "--spec", "2027_28")
    no_dir = await cli("census", "--year", "2026", "--out", str(tmp_path / "nowhere" / "a.xml"), "--actor", actor)

    assert wrong_spec.code == 2 and "--spec" in wrong_spec.stderr
    assert no_dir.code == 2 and "no such directory" in no_dir.stderr
    assert os.listdir(tmp_path) == []


async def test_a_contact_records_its_census_source_of_referral(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    received_at = last_working_day_at(datetime.now(UTC), worker.calendar).isoformat()
    common = ["start", "front-door", "--case", examples.under_five.reference, "--received-at", received_at]
    common += ["--source", "health visitor", "--summary", "Fictional concern for testing."]
    recorded = await cli(*common, "--referral-source", "3B", "--actor", EXAMPLE_IDS.team_manager_id)
    not_a_code = await cli(*common, "--referral-source", "3Z", "--actor", EXAMPLE_IDS.team_manager_id)

    assert recorded.code == 0, recorded.stderr
    assert not_a_code.code == 2
    async with db() as session:
        [contact] = await list_contacts(examples.under_five.case_id, session=session)
    assert contact["referral_source"] == "3B"
