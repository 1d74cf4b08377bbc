"""The work tray in a real browser: a task a contact created, its state in words, its filters, by keyboard alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from safeguarding.codes import Process
from safeguarding.console.routes.tray import PAGE_SIZE
from safeguarding.labels import label, words
from safeguarding.service import tray
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.principals import principal_for
from safeguarding.service.tray_models import TrayItem
from safeguarding.stages import FrontDoorStage
from safeguarding.working_days import LONDON
from tests.console.conftest import SCREENSHOTS, Console, assert_accessible, sign_in, tab_to
from tests.service.records import record, task
from tests.workflows.time_control import eventually, last_working_day_at

RAG_WORDS = {"red": "Overdue", "amber": "Due soon", "green": "On track"}


async def _contact_task(console: Console) -> TrayItem:
    """Record a contact as the team manager through the service layer; return the task its front door opens."""
    manager = await principal_for(console.services, console.ids.team_manager_id)
    recorded = await record_contact(
        console.services,
        manager,
        ContactRequest(
            case_reference=console.ids.school_age.reference,
            # In office hours (the out-of-hours contact goes to the EDT, not the team manager).
            received_at=last_working_day_at(datetime.now(UTC), console.worker.calendar),
            source="school",
            summary="The designated safeguarding lead is worried about bruising.",
        ),
    )

    async def task() -> TrayItem | None:
        """the front door's task is in the team manager's tray"""
        page = await tray.list_my_tasks(console.services, manager)
        return next((item for item in page.items if item.workflow_id == recorded.workflow_id), None)

    found: TrayItem = await eventually(task, attempts=300, interval=0.1)
    return found


async def test_the_tray_shows_the_task_a_contact_opened_with_its_state_in_words_its_due_date_and_basis(
    console: Console, page: Page
) -> None:
    task = await _contact_task(console)
    await page.goto("/console/tray")
    await sign_in(page, console.ids.team_manager_id, console.password)

    row = page.get_by_role("row").filter(has_text=task.title)

    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(task.case_reference)
    await expect(row).to_contain_text(f"{words(Process.FRONT_DOOR)}: {label(FrontDoorStage.SCREENING)}")
    await expect(row.locator(".govuk-tag")).to_have_text(RAG_WORDS[task.rag])
    assert task.due_date is not None and task.deadline is not None
    await expect(row).to_contain_text(f"{task.due_date:%a} {task.due_date.day} {task.due_date:%b %Y}")
    await expect(row).to_contain_text(task.deadline.basis)
    await expect(page.get_by_role("navigation", name="Menu")).to_contain_text(re.compile(r"Work tray \(\d+ overdue"))
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "tray.png"), full_page=True)

    await page.get_by_role("link", name="My team's tasks").click()
    await expect(page.get_by_role("heading", name="My team's tasks")).to_be_visible()
    await expect(page.get_by_role("row").filter(has_text=task.title)).to_have_count(1)
    await page.get_by_label("Process").select_option(str(Process.LADO))
    await page.get_by_role("button", name="Apply filters").click()
    await expect(page.get_by_text("There are no open tasks matching these filters.")).to_be_visible()
    await assert_accessible(page)


async def test_the_tray_pages_through_its_tasks_soonest_due_first_keeping_the_filters(
    console: Console, page: Page
) -> None:
    today = datetime.now(LONDON).date()
    keys = [f"task_{number:02d}" for number in range(PAGE_SIZE + 1)]
    await record(
        console.services.sessions,
        workflow_id="assessment-paged",
        case_id=console.ids.school_age.case_id,
        team_id=console.ids.team_id,
        tasks=[task(key, today + timedelta(days=30 + number)) for number, key in enumerate(reversed(keys))],
    )
    await page.goto(f"/console/tray?process={Process.ASSESSMENT}")
    await sign_in(page, console.ids.team_manager_id, console.password)
    rows = page.locator("tbody tr")

    await expect(rows).to_have_count(PAGE_SIZE)
    await expect(rows.first).to_contain_text(f"Decide {keys[-1]}")
    await page.get_by_role("link", name="Next page").click()

    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(f"Decide {keys[0]}")
    await expect(page.get_by_label("Process")).to_have_value(str(Process.ASSESSMENT))
    await assert_accessible(page)
    await page.get_by_role("link", name="First page").click()
    await expect(rows).to_have_count(PAGE_SIZE)


async def test_a_filter_the_tray_refuses_is_shown_in_an_error_summary_beside_its_field(
    console: Console, page: Page
) -> None:
    await page.goto("/console/tray?window=next_working_days")
    await sign_in(page, console.ids.team_manager_id, console.password)

    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("working_days goes with window next_working_days")
    await expect(page.locator("#working_days-error")).to_be_visible()
    await expect(page).to_have_title(re.compile(r"^Error: "))
    await assert_accessible(page)


async def test_a_practitioner_signs_in_and_reaches_their_teams_tray_by_keyboard_alone(
    console: Console, page: Page
) -> None:
    await page.goto("/console/sign-in")

    await tab_to(page, "Skip to main content")
    await page.keyboard.press("Enter")
    await tab_to(page, "User ID")
    await page.keyboard.type(console.ids.team_manager_id)
    await tab_to(page, "Password")
    await page.keyboard.type(console.password)
    await tab_to(page, "Sign in")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Work tray")).to_be_visible()
    await tab_to(page, "My team's tasks")
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("heading", name="My team's tasks")).to_be_visible()
    await assert_accessible(page)
