"""The managers' dashboard in a real browser: the workload of contacts taken through the service layer, the charts
with their tables, the CSV downloads, the choice of year, and who is refused it."""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from safeguarding.census.period import CensusYear
from safeguarding.codes import Role
from safeguarding.service import timeliness, tray
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.principals import principal_for
from safeguarding.service.sign_in import set_password
from safeguarding.service.tray_models import Rag, TrayItem
from safeguarding.store.examples import REVIEWING_TEAM_ID, TEAM_ID
from safeguarding.store.teams import get_team
from safeguarding.working_days import LONDON, at_local_time, subtract_working_days
from tests.console.conftest import AXE, SCREENSHOTS, Console, assert_accessible, sign_in
from tests.factories import create_practitioner
from tests.service.records import record, task
from tests.workflows.time_control import eventually, last_working_day_at


async def _contacts(console: Console) -> list[TrayItem]:
    """Take two contacts as the team manager through the service layer: one ten working days ago, one yesterday.

    Returns the team's open tasks once both front doors have opened theirs.
    """
    manager = await principal_for(console.services, console.ids.team_manager_id)
    now = datetime.now(UTC)
    yesterday = last_working_day_at(now, console.worker.calendar)
    long_ago = at_local_time(subtract_working_days(yesterday.date(), 10, console.worker.calendar), time(10, 0))
    recorded = [
        await record_contact(
            console.services,
            manager,
            ContactRequest(
                case_reference=console.ids.school_age.reference,
                received_at=received_at,
                source="school",
                summary="Fictional concern for testing.",
                referrer_email="teacher@example.invalid",
            ),
        )
        for received_at in (long_ago, yesterday)
    ]

    async def opened() -> list[TrayItem] | None:
        """both front doors' tasks are in the team's tray"""
        page = await tray.list_team_tasks(console.services, manager, console.ids.team_id)
        workflows = {item.workflow_id for item in page.items}
        return page.items if all(r.workflow_id in workflows for r in recorded) else None

    items: list[TrayItem] = await eventually(opened, attempts=300, interval=0.1)
    late = [item.rag for item in items if item.workflow_id == recorded[0].workflow_id]
    assert Rag.RED in late  # the contact of ten working days ago was to be decided nine working days ago
    return items


def _expected(items: list[TrayItem]) -> tuple[int, int, int]:
    """Return how many of the tasks are overdue, due this week (to Sunday, not overdue), and open."""
    today = datetime.now(LONDON).date()
    sunday = today + timedelta(days=6 - today.weekday())
    overdue = sum(item.rag is Rag.RED for item in items)
    this_week = sum(
        item.rag is not Rag.RED and item.due_date is not None and today <= item.due_date <= sunday for item in items
    )
    return overdue, this_week, len(items)


async def _cells(row: Locator) -> list[str]:
    return [text.strip() for text in await row.locator("th, td").all_inner_texts()]


async def _table(table: Locator) -> list[list[str]]:
    """Return a table's header row and body rows as the page shows them."""
    return [await _cells(row) for row in await table.locator("tr").all()]


async def _download(page: Page, link_name: str, tmp_path: Path) -> list[list[str]]:
    """Follow a download link; return the file's rows."""
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=link_name).click()
    download = await downloading.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    return list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"), newline="")))


async def test_a_team_manager_sees_the_overdue_and_due_work_of_their_team_and_downloads_it(
    console: Console, page: Page, tmp_path: Path
) -> None:
    items = await _contacts(console)
    overdue, this_week, open_tasks = _expected(items)
    async with console.services.sessions() as session:
        team = await get_team(console.ids.team_id, session=session)
    assert team is not None
    await page.goto("/console/tray")
    await sign_in(page, console.ids.team_manager_id, console.password)

    await page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()

    await expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    teams = page.locator("#table-workload-by-team")
    await expect(teams.locator("tbody tr")).to_have_count(1)
    assert await _cells(teams.locator("tbody tr")) == [
        team["name"],
        console.ids.team_id,
        str(overdue),
        str(this_week),
        str(open_tasks),
    ]
    workers = page.locator("#table-workload-by-worker")
    unassigned = [i for i in items if i.assignee_id is None]
    assert await _cells(workers.locator("tbody tr").filter(has_text="Unassigned")) == [
        "Unassigned",
        "",
        team["name"],
        *map(str, _expected(unassigned)),
    ]
    assert await _table(teams) == await _download(page, "Download ‘Open tasks by team’ as CSV", tmp_path)
    assert await _table(workers) == await _download(page, "Download ‘Open tasks by worker’ as CSV", tmp_path)
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)


async def test_each_chart_is_an_image_with_its_figures_written_out_and_a_table_of_them_to_download(
    console: Console, page: Page, tmp_path: Path
) -> None:
    await _contacts(console)
    await page.goto("/console/dashboard")
    await sign_in(page, console.ids.team_manager_id, console.password)
    year = CensusYear.of(datetime.now(LONDON).date())
    manager = await principal_for(console.services, console.ids.team_manager_id)
    report = await timeliness.read_timeliness(console.services, manager)

    chart = page.get_by_role("img", name=f"Timeliness indicators, {year.label}: share of each")
    shares = page.locator(f"#table-timeliness-{year.label.replace('/', '-')}")

    await expect(chart).to_be_visible()
    await expect(shares.locator("tbody tr")).to_have_count(len(report.indicators))
    rows = await _table(shares)
    assert [row[0] for row in rows[1:]] == [indicator.title for indicator in report.indicators]
    drawn = await chart.locator("text").all_text_contents()
    for title, _whose, numerator, denominator, share in rows[1:]:
        assert title in drawn
        assert any(text.startswith(share) for text in drawn), (title, share, drawn)
        if share != "Nothing counted":
            assert f"({numerator} of {denominator})" in " ".join(drawn)
    contacts_decided = next(row for row in rows if row[0] == "Contacts decided within 1 working day")
    assert int(contacts_decided[3]) >= 1  # the contacts just taken are counted
    assert rows == await _download(page, f"Download ‘Timeliness indicators, {year.label}’ as CSV", tmp_path)

    first = page.locator(".govuk-details").first
    await first.locator("summary").click()
    band_chart = first.get_by_role("img")
    band_table = first.locator("table")
    await expect(band_chart).to_be_visible()
    band_rows = await _table(band_table)
    assert [text for pair in band_rows[1:] for text in pair] == await band_chart.locator("text").all_text_contents()
    caption = await band_table.locator("caption").inner_text()
    assert band_rows == await _download(page, f"Download ‘{caption}’ as CSV", tmp_path)
    await assert_accessible(page)
    if SCREENSHOTS:
        await first.screenshot(path=str(SCREENSHOTS / "dashboard-bands.png"))


async def test_the_csv_download_says_it_is_csv_and_names_its_file_and_defuses_a_formula_in_a_name(
    console: Console, page: Page
) -> None:
    async with console.services.sessions.begin() as session:
        worker = await create_practitioner(
            session, team_id=TEAM_ID, role=Role.SOCIAL_WORKER, given_name="=HYPERLINK(1)", family_name="@Fictional"
        )
    await record(
        console.services.sessions,
        workflow_id="assessment-formula",
        case_id=console.ids.school_age.case_id,
        team_id=console.ids.team_id,
        tasks=[task("formula", datetime.now(LONDON).date() + timedelta(days=30), assignee=worker)],
    )
    await page.goto("/console/dashboard")
    await sign_in(page, console.ids.team_manager_id, console.password)

    response = await page.request.get("/console/dashboard/workload-by-worker.csv")

    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="workload-by-worker.csv"'
    rows = list(csv.reader(io.StringIO(await response.text(), newline="")))
    assert ["'=HYPERLINK(1) @Fictional", worker] == rows[1][:2]
    row = page.locator("#table-workload-by-worker tbody tr").filter(has_text=worker)
    await expect(row.locator("th")).to_have_text("=HYPERLINK(1) @Fictional")  # the page shows the name as it is
    missing = await page.request.get("/console/dashboard/no-such-table.csv")
    assert missing.status == 404


async def test_the_tables_sort_with_javascript_and_stay_plain_tables_without_it(
    console: Console, page: Page, browser: Browser
) -> None:
    refused_by_policy: list[str] = []
    page.on(
        "console", lambda message: refused_by_policy.append(message.text) if "Security Policy" in message.text else None
    )
    await page.goto("/console/dashboard")
    await sign_in(page, console.ids.team_manager_id, console.password)
    overdue = page.locator("#table-workload-by-team thead th").filter(has_text="Overdue")

    await overdue.get_by_role("button", name="Overdue").click()

    await expect(overdue).to_have_attribute("aria-sort", "ascending")
    assert refused_by_policy == []  # the charts and the sortable tables keep to the Content-Security-Policy
    plain = await browser.new_context(base_url=console.base_url, java_script_enabled=False)
    await plain.add_init_script(path=str(AXE))
    try:
        without = await plain.new_page()
        await without.goto("/console/dashboard")
        await sign_in(without, console.ids.team_manager_id, console.password)
        await expect(without.locator("#table-workload-by-team tbody tr")).to_have_count(1)
        await expect(without.locator("#table-workload-by-team thead button")).to_have_count(0)
    finally:
        await plain.close()


async def test_the_year_is_chosen_with_a_form_and_a_year_not_begun_is_an_error_beside_its_field(
    console: Console, page: Page
) -> None:
    await page.goto("/console/dashboard")
    await sign_in(page, console.ids.team_manager_id, console.password)
    last_year = CensusYear(CensusYear.of(datetime.now(LONDON).date()).year - 1)

    await page.get_by_label("Census year").select_option(label=last_year.label)
    await page.get_by_role("button", name="Show").click()

    await expect(page).to_have_url(re.compile(rf"year={last_year.year}"))
    await expect(
        page.get_by_role("img", name=f"Timeliness indicators, {last_year.label}: share of each")
    ).to_be_visible()
    await page.goto("/console/dashboard?year=2999")
    await expect(page.locator(".govuk-error-summary")).to_contain_text("the census year 2999/00 has not begun")
    await expect(page.locator("#year-error")).to_be_visible()
    await expect(page).to_have_title(re.compile(r"^Error: "))
    await assert_accessible(page)
    not_a_number = await page.goto("/console/dashboard?year=soon")
    assert not_a_number is not None and not_a_number.status == 422
    await expect(page.locator(".govuk-error-summary")).to_contain_text("the year is not a number")
    malformed = await page.goto("/console/dashboard?team=team%0Aexample")
    assert malformed is not None and malformed.status == 422
    await expect(page.locator("main")).to_contain_text("team_id is not an id")


async def test_a_social_worker_is_refused_the_dashboard_and_its_downloads_and_has_no_link_to_it(
    console: Console, page: Page, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="safeguarding.refusals")
    await page.goto("/console/tray")
    await sign_in(page, console.ids.social_worker_id, console.password)
    await expect(page.get_by_role("heading", name="Work tray")).to_be_visible()

    await expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard")).to_have_count(0)
    refused = await page.goto("/console/dashboard")

    assert refused is not None and refused.status == 403
    await expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("a social_worker may not read workload")
    download = await page.request.get("/console/dashboard/workload-by-team.csv")
    assert download.status == 403
    assert any(
        f"refused read_workload by {console.ids.social_worker_id}" in record.getMessage() for record in caplog.records
    )
    await assert_accessible(page)


async def test_a_team_manager_asking_for_another_teams_dashboard_is_refused(console: Console, page: Page) -> None:
    await page.goto(f"/console/dashboard?team={REVIEWING_TEAM_ID}")
    await sign_in(page, console.ids.team_manager_id, console.password)

    await expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("is in team")


async def test_a_service_manager_sees_every_team_and_chooses_one(console: Console, page: Page) -> None:
    await _contacts(console)
    await set_password(console.services, console.ids.service_manager_id, console.password)
    async with console.services.sessions() as session:
        team = await get_team(console.ids.team_id, session=session)
    assert team is not None
    await page.goto("/console/dashboard")
    await sign_in(page, console.ids.service_manager_id, console.password)
    teams = page.locator("#table-workload-by-team tbody tr")

    await expect(page.get_by_label("Team")).to_have_value("")
    await expect(page.locator("main")).to_contain_text("for the whole authority")
    await expect(teams.filter(has_text=console.ids.team_id)).to_have_count(1)
    await page.get_by_label("Team").select_option(label=team["name"])
    await page.get_by_role("button", name="Show").click()

    await expect(teams).to_have_count(1)
    await expect(teams.first.locator("th")).to_have_text(team["name"])
    await expect(page.locator("main")).to_contain_text(f"for team {console.ids.team_id}")
    await assert_accessible(page)
