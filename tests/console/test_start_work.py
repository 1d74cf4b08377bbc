"""Starting work in the browser: registering a child, a contact, a LADO notification, a family group conference and a
disagreement, each through its form; each refusal beside its field, what was typed kept, and nothing recorded."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import unquote

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import DeadlineState, Process
from safeguarding.commands.disagreement import disagreement_id
from safeguarding.commands.fgc import fgc_workflow_id
from safeguarding.console.templating import templates
from safeguarding.labels import words
from safeguarding.models import DeadlineView, ProcessStatus
from safeguarding.schema import people
from safeguarding.service.cases import read_case
from safeguarding.service.errors import Unavailable
from safeguarding.service.principals import principal_for
from safeguarding.service.sign_in import set_password
from safeguarding.service.status import process_status
from safeguarding.store.cases import get_case_by_reference
from safeguarding.working_days import LONDON
from tests.console.conftest import (
    SCREENSHOTS,
    Console,
    assert_accessible,
    earlier,
    front_door_awaiting_decision,
    sign_in,
    tab_to,
)
from tests.console.filling import choose, fill_child, fill_contact, fill_date, fill_moment, fill_parent
from tests.workflows.time_control import eventually

long_date = templates.env.filters["long_date"]
BAD_UPN = "B80120000500X"
BELL = "\x07"


async def _signed_in(page: Page, console: Console, practitioner_id: str, path: str = "/console/start") -> None:
    await set_password(console.services, practitioner_id, console.password)
    await page.goto(path)
    await sign_in(page, practitioner_id, console.password)


async def _people_named(console: Console, family_name: str) -> int:
    """How many people the case store holds with this family name."""
    async with console.services.sessions() as session:
        query = select(func.count()).select_from(people).where(people.c.family_name == family_name)
        return int((await session.execute(query)).scalar_one())


async def _started_status(page: Page, console: Console, heading: str) -> ProcessStatus:
    """Return the status of the process the confirmation page shows, once it says `heading`."""
    await expect(page.locator(".govuk-panel")).to_contain_text(heading)
    await assert_accessible(page)
    manager = await principal_for(console.services, console.ids.service_manager_id)
    return await process_status(console.services, manager, unquote(page.url.rsplit("/", 1)[1]))


async def _never_started(console: Console, workflow_id: str) -> None:
    """Fail unless Temporal has never heard of `workflow_id`."""
    client = await console.services.temporal()
    with pytest.raises(RPCError) as raised:
        await client.get_workflow_handle(workflow_id).describe()
    assert raised.value.status is RPCStatusCode.NOT_FOUND


async def test_start_work_lists_what_the_signed_in_role_can_start(console: Console, page: Page) -> None:
    await _signed_in(page, console, console.ids.social_worker_id, "/console/tray")
    await page.get_by_role("link", name="Start work").click()
    await expect(page.get_by_role("heading", name="Start work")).to_be_visible()
    main = page.locator("main")
    for offered in ("Record a contact about a child already known", "Register a child", "Refer to a family group"):
        await expect(main.get_by_role("link", name=offered)).to_be_visible()
    await expect(main.get_by_role("link", name="Notify an allegation to the LADO")).to_have_count(0)
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "start-work.png"), full_page=True)

    await page.get_by_role("button", name="Sign out").click()
    await _signed_in(page, console, console.ids.lado_id)
    await expect(main.get_by_role("link", name="Notify an allegation to the LADO")).to_be_visible()
    await expect(main.get_by_role("link", name="Register a child")).to_have_count(0)


async def test_a_refused_registration_keeps_what_was_typed_and_says_why_beside_each_field(
    console: Console, page: Page
) -> None:
    await _signed_in(page, console, console.ids.social_worker_id, "/console/start/child")
    await assert_accessible(page)
    await fill_child(page, "", f"Pip{BELL}", "Fictional-Refused", date(2019, 3, 14))
    await page.locator("#child-upn").fill(BAD_UPN)
    await page.get_by_role("button", name="Register the child").click()

    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("control character U+0007")
    await expect(page.locator("#child-given_name-error")).to_contain_text("control character U+0007")
    await expect(page.locator("#child-upn-error")).to_contain_text("check letter")
    await expect(page.locator("#child-upn")).to_have_value(BAD_UPN)
    await expect(page.locator("#child-given_name")).to_have_value(f"Pip{BELL}")
    await expect(page.locator("#child-family_name")).to_have_value("Fictional-Refused")
    await expect(page.locator("input[name='child-sex'][value='F']")).to_be_checked()
    await assert_accessible(page)

    await page.locator("#child-given_name").fill("Pip")
    await page.locator("#child-upn").fill("")
    future = datetime.now(LONDON).date() + timedelta(days=30)
    await fill_date(page, "child-date_of_birth", future)
    await page.get_by_role("button", name="Register the child").click()

    await expect(page.locator("#child-date_of_birth-error")).to_contain_text("cannot be in the future")
    await expect(page.locator(".govuk-error-summary a")).to_have_attribute("href", "#child-date_of_birth-day")
    await expect(page.locator("#child-date_of_birth-year")).to_have_value(str(future.year))
    await expect(page.locator("#child-address")).to_have_value("1 Nowhere Lane, Exampletown (fictional)")
    await assert_accessible(page)
    assert await _people_named(console, "Fictional-Refused") == 0


async def test_a_likely_duplicate_child_is_shown_and_registered_only_once_confirmed(
    console: Console, page: Page
) -> None:
    manager = await principal_for(console.services, console.ids.team_manager_id)
    known = (await read_case(console.services, manager, console.ids.school_age.case_id)).child
    assert known is not None and known.date_of_birth is not None
    before = await _people_named(console, known.family_name)
    await _signed_in(page, console, console.ids.social_worker_id, "/console/start/child")
    await fill_child(page, "", known.given_name, known.family_name, known.date_of_birth)
    await fill_parent(page, "", "Rowan", known.family_name)
    await page.get_by_role("button", name="Register the child").click()

    await expect(page.locator(".govuk-error-summary")).to_contain_text("recorded already")
    table = page.get_by_role("table", name="Children recorded already")
    await expect(table.get_by_role("link", name=console.ids.school_age.reference)).to_be_visible()
    await expect(page.locator("#child-given_name")).to_have_value(known.given_name)
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "register-duplicate.png"), full_page=True)
    assert await _people_named(console, known.family_name) == before

    await page.get_by_label("This is a different child: register anyway").check()
    await page.get_by_role("button", name="Register the child").click()

    await expect(page.get_by_role("heading", name="Case ")).to_be_visible()
    await expect(page.get_by_role("heading", name=f"Case {console.ids.school_age.reference}")).to_have_count(0)
    await expect(page.get_by_role("row").filter(has_text="Rowan")).to_contain_text("Mother")
    assert await _people_named(console, known.family_name) == before + 2


async def _fill_allegation(page: Page, console: Console, reference: str) -> None:
    await page.locator("#reference").fill(reference)
    await page.locator("#subject-given_name").fill("Jordan")
    await page.locator("#subject-family_name").fill("Fictional-Subject")
    await page.locator("#subject-role").fill("Teaching assistant")
    await choose(page, "subject-is_teacher", "false")
    await page.locator("#employer").fill("Example Primary School (fictional)")
    await page.locator("#setting").fill("Primary school")
    await page.locator("#what_happened").fill("A child said the assistant grabbed their arm.")
    await fill_moment(page, "came_to_attention_at", earlier(console))
    await page.locator("#action_taken").fill("Moved to other duties.")
    await page.locator("#children").fill(console.ids.school_age.reference)
    await choose(page, "notifier_kind", "employer")
    await page.locator("#notifier_name").fill("Head teacher (fictional)")
    await choose(page, "method", "phone")
    await fill_moment(page, "notified_at", earlier(console) + timedelta(hours=1))


async def test_the_lado_records_an_allegation_which_starts_the_lados_process(console: Console, page: Page) -> None:
    await _signed_in(page, console, console.ids.lado_id)
    await page.get_by_role("link", name="Notify an allegation to the LADO").click()
    await expect(page.locator("#reference-hint")).to_contain_text("LADO-[0-9]{4,8}")
    await assert_accessible(page)
    await _fill_allegation(page, console, "LADO-0042")
    await page.get_by_role("button", name="Record the allegation").click()

    status = await _started_status(page, console, "Allegation recorded")
    assert status.process is Process.LADO and status.case_reference == "LADO-0042"
    response = next(d for d in status.deadlines if d.rule_id == "lado_response")
    await expect(page.locator("main")).to_contain_text(f"{response.title}: by {long_date(response.due_date)}")
    async with console.services.sessions() as session:
        assert await get_case_by_reference("LADO-0042", session=session) is not None


async def test_an_allegation_whose_reference_is_a_name_is_refused_and_nothing_is_recorded(
    console: Console, page: Page
) -> None:
    await _signed_in(page, console, console.ids.lado_id, "/console/start/allegation")
    await _fill_allegation(page, console, "Jordan-Fictional")
    await page.get_by_role("button", name="Record the allegation").click()

    await expect(page.locator("#reference-error")).to_be_visible()
    await expect(page.locator("#reference")).to_have_value("Jordan-Fictional")
    await expect(page.locator("#what_happened")).to_have_value("A child said the assistant grabbed their arm.")
    await assert_accessible(page)
    async with console.services.sessions() as session:
        assert await get_case_by_reference("Jordan-Fictional", session=session) is None
    assert await _people_named(console, "Fictional-Subject") == 0


async def _fill_conference(page: Page, proposed_at: datetime) -> None:
    await fill_moment(page, "proposed_at", proposed_at)
    await choose(page, "reason", "pre_proceedings")
    await fill_moment(page, "offer_letter_at", proposed_at - timedelta(hours=1))


async def test_a_social_worker_refers_an_open_case_to_a_family_group_conference(console: Console, page: Page) -> None:
    reference = console.ids.school_age.reference
    await _signed_in(page, console, console.ids.social_worker_id)
    await page.get_by_role("link", name="Refer to a family group conference").click()
    await page.locator("#case_reference").fill(reference)
    await _fill_conference(page, earlier(console))
    await assert_accessible(page)
    await page.get_by_role("button", name="Make the referral").click()

    status = await _started_status(page, console, "Family group conference proposed")
    assert status.process is Process.FGC and status.case_reference == reference
    await expect(page.locator("main")).to_contain_text("No deadline runs yet")


async def test_a_team_manager_may_not_refer_to_a_conference_and_nothing_starts(console: Console, page: Page) -> None:
    reference = console.ids.under_five.reference  # not the case the other test refers: one conference a day
    proposed_at = earlier(console)
    await _signed_in(
        page, console, console.ids.team_manager_id, f"/console/start/conference?case_reference={reference}"
    )
    await expect(page.locator("#case_reference")).to_have_value(reference)
    await _fill_conference(page, proposed_at)
    await page.get_by_role("button", name="Make the referral").click()

    await expect(page.locator(".govuk-error-summary")).to_contain_text("a family group conference is proposed by")
    await expect(page).to_have_title(re.compile(r"^Error: "))
    await expect(page.locator("input[name='reason'][value='pre_proceedings']")).to_be_checked()
    await assert_accessible(page)
    await _never_started(console, fgc_workflow_id(reference, proposed_at))
    manager = await principal_for(console.services, console.ids.team_manager_id)
    case = await read_case(console.services, manager, console.ids.under_five.case_id)
    assert [p for p in case.processes if p.process is Process.FGC] == []


async def _disagree(page: Page, raised_at: datetime) -> None:
    await page.get_by_role("link", name="Disagree with this decision").first.click()
    await expect(page.locator(".govuk-summary-list")).to_contain_text("not decided yet")
    await fill_moment(page, "raised_at", raised_at)
    await page.locator("#disagrees_with").fill("The contact needs an assessment, not advice.")
    await page.locator("#proposes").fill("A child and family assessment.")
    await choose(page, "immediate_risk", "false")
    await page.get_by_role("button", name="Raise the disagreement").click()


async def test_a_social_worker_disagrees_with_an_open_decision_from_the_process_page(
    console: Console, page: Page
) -> None:
    workflow_id = await front_door_awaiting_decision(console, console.ids.school_age.reference)
    await _signed_in(page, console, console.ids.social_worker_id, f"/console/processes/{workflow_id}")
    await _disagree(page, earlier(console))

    status = await _started_status(page, console, "Disagreement raised")
    assert status.process is Process.DISAGREEMENT
    reader = await principal_for(console.services, console.ids.social_worker_id)

    async def first_stage() -> DeadlineView | None:
        """the disagreement has marked the decision disputed and opened its first stage's deadline"""
        try:
            now = await process_status(console.services, reader, status.workflow_id)
        except Unavailable:  # a loaded dev server cancels a call now and then: ask again, as a person would
            return None
        return next((d for d in now.deadlines if d.state == DeadlineState.PENDING), None)

    deadline: DeadlineView = await eventually(first_stage, attempts=300, interval=0.1)
    await page.get_by_role("link", name=words(Process.DISAGREEMENT), exact=True).click()
    await expect(page.get_by_role("row").filter(has_text=deadline.title)).to_contain_text(long_date(deadline.due_date))


async def test_a_disagreement_raised_in_the_future_is_refused_and_nothing_starts(console: Console, page: Page) -> None:
    workflow_id = await front_door_awaiting_decision(console, console.ids.school_age.reference)
    await _signed_in(page, console, console.ids.social_worker_id, f"/console/processes/{workflow_id}")
    tomorrow = datetime.combine(datetime.now(LONDON).date() + timedelta(days=1), datetime.min.time(), LONDON)
    raised_at = tomorrow.replace(hour=10)
    await _disagree(page, raised_at)

    await expect(page.locator("#raised_at-error")).to_contain_text("in the future")
    await expect(page.locator("#proposes")).to_have_value("A child and family assessment.")
    await assert_accessible(page)
    await _never_started(console, disagreement_id(console.ids.school_age.reference, raised_at))
    manager = await principal_for(console.services, console.ids.team_manager_id)
    case = await read_case(console.services, manager, console.ids.school_age.case_id)
    assert [p for p in case.processes if p.process is Process.DISAGREEMENT] == []


async def test_a_contact_is_found_and_recorded_by_keyboard_alone(console: Console, page: Page) -> None:
    manager = await principal_for(console.services, console.ids.team_manager_id)
    child = (await read_case(console.services, manager, console.ids.under_five.case_id)).child
    assert child is not None and child.date_of_birth is not None
    await _signed_in(page, console, console.ids.social_worker_id)

    await tab_to(page, "Record a contact about a child already known")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Find the child")).to_be_visible()
    await assert_accessible(page)
    await tab_to(page, "Given name")
    await page.keyboard.type(child.given_name)
    await tab_to(page, "Family name")
    await page.keyboard.type(child.family_name)
    for part, value in (("Day", child.date_of_birth.day), ("Month", child.date_of_birth.month)):
        await tab_to(page, part)
        await page.keyboard.type(str(value))
    await tab_to(page, "Year")
    await page.keyboard.type(str(child.date_of_birth.year))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name=re.compile(r"^[0-9]+ found$"))).to_be_visible()

    reference = console.ids.under_five.reference
    await tab_to(page, f"Case {reference}", presses=60)
    await assert_accessible(page)
    await page.keyboard.press("Enter")
    await expect(page.locator("#case_reference")).to_have_value(reference)
    await assert_accessible(page)
    received_at = earlier(console).astimezone(LONDON)
    for part, value in (("Day", received_at.day), ("Month", received_at.month), ("Year", received_at.year)):
        await tab_to(page, part)
        await page.keyboard.type(str(value))
    await page.keyboard.press("Tab")
    await page.keyboard.type(received_at.strftime("%H:%M"))
    await tab_to(page, "Who made contact")
    await page.keyboard.type("health visitor")
    await tab_to(page, "What the referrer said")
    await page.keyboard.type("Missed appointments and weight loss.")
    await tab_to(page, "Record the contact", presses=80)
    await page.keyboard.press("Enter")

    status = await _started_status(page, console, "Contact recorded")
    assert status.process is Process.FRONT_DOOR and status.case_reference == reference


async def test_a_contact_is_recorded_with_javascript_off(console: Console, browser: Browser) -> None:
    reference = console.ids.school_age.reference
    no_script = await browser.new_context(base_url=console.base_url, java_script_enabled=False)
    try:
        page = await no_script.new_page()
        form = f"/console/start/contact?case_reference={reference}"
        await _signed_in(page, console, console.ids.social_worker_id, form)
        await fill_contact(page, earlier(console), "The school nurse is worried about weight loss.")
        await page.get_by_role("button", name="Record the contact").click()

        await expect(page.locator(".govuk-panel")).to_contain_text("Contact recorded")
        await expect(page.locator(".govuk-panel")).to_contain_text(f"Case {reference}")
        reader = await principal_for(console.services, console.ids.social_worker_id)
        status = await process_status(console.services, reader, unquote(page.url.rsplit("/", 1)[1]))
        deadline = next(d for d in status.deadlines if d.rule_id == "referral_decision")
        await expect(page.locator("main")).to_contain_text(f"{deadline.title}: by {long_date(deadline.due_date)}")
    finally:
        await no_script.close()
