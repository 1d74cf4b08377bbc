"""A decision made in the browser: from a contact recorded in the console to the tray, the form it opens, refused
for the wrong role, then made, and the case page that shows it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import unquote

from playwright.async_api import Browser, Page, expect

from safeguarding.codes import ContactOutcome, Process, Role
from safeguarding.console.templating import templates
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import label, words
from safeguarding.service import tray
from safeguarding.service.cases import read_case
from safeguarding.service.chronology import ChronologyItem, list_case_chronology
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.principals import principal_for
from safeguarding.service.status import process_status
from safeguarding.service.tray_models import TrayItem
from safeguarding.store.practitioners import list_practitioners
from tests.console.conftest import AXE, SCREENSHOTS, Console, assert_accessible, sign_in, tab_to
from tests.console.filling import fill_child, fill_contact, fill_parent
from tests.workflows.time_control import eventually, last_working_day_at

DECISION = "decide_contact"
OUTCOME = ContactOutcome.NFA_ADVICE
DECIDED = DESCRIPTIONS[Process.FRONT_DOOR].decision(DECISION).called
long_date = templates.env.filters["long_date"]


async def _decide_contact_task(console: Console) -> TrayItem:
    """Record a contact as a practitioner through the service layer; return the team manager's task to decide it."""
    manager = await principal_for(console.services, console.ids.team_manager_id)
    recorded = await record_contact(
        console.services,
        manager,
        ContactRequest(
            case_reference=console.ids.school_age.reference,
            received_at=last_working_day_at(datetime.now(UTC), console.worker.calendar),
            source="school",
            summary="The designated safeguarding lead is worried about bruising.",
        ),
    )

    async def task() -> TrayItem | None:
        """the contact's decision is in the team manager's tray"""
        page = await tray.list_my_tasks(console.services, manager)
        return next((i for i in page.items if i.workflow_id == recorded.workflow_id and i.decision == DECISION), None)

    found: TrayItem = await eventually(task, attempts=300, interval=0.1)
    return found


async def _fill_decision(page: Page, rationale: str) -> None:
    await page.get_by_role("radio", name=label(OUTCOME), exact=True).check()
    await page.get_by_label("Rationale").fill(rationale)


async def _record_contact_about_a_new_child(page: Page, console: Console) -> str:
    """Record a contact about a new child in the console, signed in on `page`; return its front door's workflow id."""
    await page.get_by_role("link", name="Start work").click()
    await page.get_by_role("link", name="Record a contact about a new child").click()
    await assert_accessible(page)
    received_at = last_working_day_at(datetime.now(UTC), console.worker.calendar)
    await fill_contact(page, received_at, "The designated safeguarding lead is worried about bruising.")
    await fill_child(page, "registration-", "Robin", "Fictional-Newchild", date(2020, 5, 17))
    await fill_parent(page, "registration-", "Rowan", "Fictional-Newchild")
    await page.get_by_role("button", name="Record the contact").click()
    await expect(page.locator(".govuk-panel")).to_contain_text("Contact recorded")
    return unquote(page.url.rsplit("/", 1)[1])


async def test_a_contact_about_a_new_child_recorded_in_the_console_is_decided_by_the_manager_not_a_social_worker(
    console: Console, page: Page, browser: Browser
) -> None:
    social_worker = await browser.new_context(base_url=console.base_url)
    await social_worker.add_init_script(path=str(AXE))
    try:
        other = await social_worker.new_page()
        await other.goto("/console/tray")
        await sign_in(other, console.ids.social_worker_id, console.password)
        workflow_id = await _record_contact_about_a_new_child(other, console)

        manager = await principal_for(console.services, console.ids.team_manager_id)
        started = await process_status(console.services, manager, workflow_id)
        deadline = next(d for d in started.deadlines if d.rule_id == "referral_decision")
        await expect(other.locator("main")).to_contain_text(f"{deadline.title}: by {long_date(deadline.due_date)}")
        await expect(other.locator("main")).to_contain_text(f"Case {started.case_reference}")
        await assert_accessible(other)

        async def task() -> TrayItem | None:
            """the contact's decision is in the team manager's tray"""
            tasks = await tray.list_my_tasks(console.services, manager)
            return next((i for i in tasks.items if i.workflow_id == workflow_id and i.decision == DECISION), None)

        found: TrayItem = await eventually(task, attempts=300, interval=0.1)
        await page.goto("/console/tray")
        await sign_in(page, console.ids.team_manager_id, console.password)
        row = page.get_by_role("row").filter(has_text=found.case_reference)
        await row.get_by_role("link", name=found.title).click()

        await expect(page.get_by_role("heading", name=found.title)).to_be_visible()
        await expect(page.get_by_text("Required: say why this decision was made.")).to_be_visible()
        await assert_accessible(page)

        await other.goto(page.url)
        await _fill_decision(other, "Advice to the school is enough.")
        await other.get_by_role("button", name="Make the decision").click()
        summary = other.locator(".govuk-error-summary")
        await expect(summary).to_contain_text("a social_worker may not make this decision")
        await expect(other).to_have_title(re.compile(r"^Error: "))
        await expect(other.get_by_label("Rationale")).to_have_value("Advice to the school is enough.")
        await expect(other.get_by_role("radio", name=label(OUTCOME), exact=True)).to_be_checked()
        await assert_accessible(other)
    finally:
        await social_worker.close()

    await _fill_decision(page, "Advice to the school is enough; no assessment needed.")
    await page.get_by_role("button", name="Make the decision").click()

    status = await process_status(console.services, manager, workflow_id)
    assert DECISION in [made.decision for made in status.decisions]
    banner = page.locator(".govuk-notification-banner")
    await expect(banner).to_contain_text(
        f"Decision made: {DECIDED}. The process now stands at: {words(status.stage, status.process)}."
    )
    await expect(page.get_by_role("row").filter(has_text=DECIDED)).to_contain_text(
        "Advice to the school is enough; no assessment needed."
    )
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "process.png"), full_page=True)

    async def decided_on_the_case() -> ChronologyItem | None:
        """the decision's chronology entry and the new stage have reached the case store"""
        case = await read_case(console.services, manager, found.case_id)
        if not any(p.workflow_id == workflow_id and p.stage == status.stage for p in case.processes):
            return None
        chronology = await list_case_chronology(console.services, manager, found.case_id)
        return next((e for e in chronology.entries if e.event == f"decision.{DECISION}"), None)

    entry: ChronologyItem = await eventually(decided_on_the_case, attempts=300, interval=0.1)
    await page.get_by_role("link", name=found.case_reference).click()
    front_door = page.get_by_role("link", name=words(Process.FRONT_DOOR))
    await expect(page.get_by_role("row").filter(has=front_door)).to_contain_text(label(OUTCOME))
    decided = page.locator(".moj-timeline__item").filter(has_text=DECIDED)
    await expect(decided).to_contain_text(f"Decided: {label(OUTCOME)}")
    assert entry.decision is not None and entry.decision.rationale
    await expect(decided).to_contain_text(f"Why: {entry.decision.rationale}")
    await assert_accessible(page)


async def test_a_blank_decision_is_refused_beside_its_fields_and_nothing_is_decided(
    console: Console, page: Page
) -> None:
    task = await _decide_contact_task(console)
    await page.goto(f"/console/processes/{task.workflow_id}/decisions/{DECISION}")
    await sign_in(page, console.ids.team_manager_id, console.password)
    await page.get_by_role("button", name="Make the decision").click()

    await expect(page.locator(".govuk-error-summary")).to_contain_text("Answer ‘Outcome’")
    await expect(page.locator("#outcome-error")).to_be_visible()
    await assert_accessible(page)
    manager = await principal_for(console.services, console.ids.team_manager_id)
    status = await process_status(console.services, manager, task.workflow_id)
    assert DECISION not in [made.decision for made in status.decisions]


async def test_a_manager_makes_the_decision_from_the_tray_by_keyboard_alone(console: Console, page: Page) -> None:
    task = await _decide_contact_task(console)
    await page.goto("/console/tray")
    await sign_in(page, console.ids.team_manager_id, console.password)

    await tab_to(page, task.title, presses=80)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name=task.title)).to_be_visible()
    await tab_to(page, label(OUTCOME))
    await page.keyboard.press("Space")
    await tab_to(page, "Rationale")
    await page.keyboard.type("Advice is enough.")
    await tab_to(page, "Make the decision")
    await page.keyboard.press("Enter")

    await expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Decision made: {DECIDED}.")
    await assert_accessible(page)


async def test_the_tray_links_to_the_case_which_shows_the_child_its_processes_deadlines_and_chronology(
    console: Console, page: Page
) -> None:
    task = await _decide_contact_task(console)
    manager = await principal_for(console.services, console.ids.team_manager_id)
    case = await read_case(console.services, manager, task.case_id)
    assert case.child is not None
    chronology = await list_case_chronology(console.services, manager, task.case_id)
    await page.goto("/console/tray")
    await sign_in(page, console.ids.team_manager_id, console.password)
    await page.get_by_role("row").filter(has_text=task.title).get_by_role("link", name=task.case_reference).click()

    await expect(page.get_by_role("heading", name=f"Case {task.case_reference}")).to_be_visible()
    await expect(page.locator(".govuk-summary-list")).to_contain_text(
        f"{case.child.given_name} {case.child.family_name}"
    )
    await expect(page.locator(".moj-timeline__item")).to_have_count(len(chronology.entries))
    assert chronology.entries, "recording a contact writes the case's chronology"
    await expect(page.locator(".moj-timeline__item").first).to_contain_text(chronology.entries[0].summary)
    await assert_accessible(page)

    await page.get_by_role("link", name=words(Process.FRONT_DOOR)).first.click()
    await expect(page.get_by_role("heading", name=words(Process.FRONT_DOOR))).to_be_visible()
    await expect(page.get_by_role("link", name=task.title)).to_be_visible()
    await assert_accessible(page)


async def test_a_decision_made_already_is_refused_in_the_processs_words_keeping_what_was_typed(
    console: Console, page: Page
) -> None:
    task = await _decide_contact_task(console)
    form_url = f"/console/processes/{task.workflow_id}/decisions/{DECISION}"
    await page.goto(form_url)
    await sign_in(page, console.ids.team_manager_id, console.password)
    await _fill_decision(page, "Advice is enough.")
    await page.get_by_role("button", name="Make the decision").click()
    await expect(page.locator(".govuk-notification-banner")).to_be_visible()

    await page.goto(form_url)
    await _fill_decision(page, "Sent a second time.")
    await page.get_by_role("button", name="Make the decision").click()

    await expect(page.locator(".govuk-error-summary")).to_contain_text(f"{DECISION} refused by {task.workflow_id}")
    await expect(page.get_by_label("Rationale")).to_have_value("Sent a second time.")
    await assert_accessible(page)


async def test_an_assessment_is_allocated_to_a_social_worker_chosen_from_those_of_that_role(
    console: Console, page: Page
) -> None:
    task = await _decide_contact_task(console)
    await page.goto(f"/console/processes/{task.workflow_id}/decisions/{DECISION}")
    await sign_in(page, console.ids.team_manager_id, console.password)
    await page.get_by_role("radio", name=label(ContactOutcome.ASSESSMENT), exact=True).check()
    await page.get_by_label("Rationale").fill("Needs an assessment.")
    await page.get_by_role("button", name="Make the decision").click()
    await expect(page.locator(".govuk-notification-banner")).to_be_visible()
    manager = await principal_for(console.services, console.ids.team_manager_id)

    async def assessment() -> str | None:
        """the assessment the contact handed to is on the case"""
        case = await read_case(console.services, manager, task.case_id)
        return next((p.workflow_id for p in case.processes if p.process is Process.ASSESSMENT), None)

    workflow_id: str = await eventually(assessment, attempts=300, interval=0.1)
    await page.goto(f"/console/processes/{workflow_id}")
    await page.get_by_role("link", name=re.compile("allocate", re.IGNORECASE)).first.click()

    select = page.get_by_label("Social worker id")
    async with console.services.sessions() as session:
        everyone = await list_practitioners(session=session)
    social_workers = [row["id"] for row in everyone if row["role"] == Role.SOCIAL_WORKER]
    assert social_workers
    options = await select.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["", *social_workers]
    await assert_accessible(page)
    await select.select_option(console.ids.social_worker_id)
    await page.get_by_role("button", name="Make the decision").click()

    allocated = DESCRIPTIONS[Process.ASSESSMENT].decision("allocate").called
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Decision made: {allocated}.")
    status = await process_status(console.services, manager, workflow_id)
    await expect(page.locator(".govuk-summary-list")).to_contain_text(words(status.stage, status.process))
