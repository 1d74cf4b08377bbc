"""A case's page in a real browser: its running processes on their paths, its deadlines' timeline, its chronology.

One case is taken through the real front door: a contact decided by the team manager starts an assessment,
so the page shows a finished process, a running one waiting for its allocation, a met deadline and one ahead,
and the decision with who made it, in what role, when and why. Deadlines in every state and a chronology of
more than one page are written through the case store's own write (`tests.service.records`), with the dates
the test wants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from playwright.async_api import Page, expect

from safeguarding.codes import ContactOutcome, DeadlineState, Process, Role
from safeguarding.console.routes.cases import CHRONOLOGY_PAGE, deadline_timeline
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import label, words
from safeguarding.models import ChronologyEntry
from safeguarding.service.cases import read_case
from safeguarding.service.chronology import list_case_chronology
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.deadlines import DeadlineItem, list_case_deadlines
from safeguarding.service.decisions import make_decision
from safeguarding.service.principals import principal_for
from safeguarding.service.status import process_status
from safeguarding.stages import AssessmentStage, FrontDoorStage, SharedStage
from safeguarding.working_days import local_date
from tests.console.conftest import SCREENSHOTS, Console, assert_accessible, sign_in
from tests.service.records import deadline, record
from tests.workflows.time_control import eventually, last_working_day_at

RATIONALE = "Bruising seen twice this term; the family agrees to an assessment."


async def _decided_case(console: Console) -> tuple[str, str]:
    """Take a contact through the front door to an assessment; return the case id and the assessment's workflow id."""
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

    async def deciding() -> bool | None:
        """the front door waits for the manager's decision"""
        status = await process_status(console.services, manager, recorded.workflow_id)
        return True if any(t.decision == "decide_contact" for t in status.open_tasks) else None

    await eventually(deciding, attempts=300, interval=0.1)
    body = {"outcome": str(ContactOutcome.ASSESSMENT), "rationale": RATIONALE}
    await make_decision(console.services, manager, recorded.workflow_id, "decide_contact", body, None)

    async def assessment() -> str | None:
        """the assessment the decision started is on the case, waiting for its allocation"""
        case = await read_case(console.services, manager, console.ids.school_age.case_id)
        running = [p for p in case.processes if p.process is Process.ASSESSMENT and p.closed_at is None]
        front_door_closed = any(p.process is Process.FRONT_DOOR and p.closed_at for p in case.processes)
        return running[0].workflow_id if running and front_door_closed else None

    return console.ids.school_age.case_id, await eventually(assessment, attempts=300, interval=0.1)


async def test_the_case_shows_each_running_process_on_its_path_the_deadlines_and_who_decided_what_and_why(
    console: Console, page: Page
) -> None:
    case_id, assessment_id = await _decided_case(console)
    manager = await principal_for(console.services, console.ids.team_manager_id)
    case = await read_case(console.services, manager, case_id)
    assert case.child is not None

    await page.goto(f"/console/cases/{case_id}")
    await sign_in(page, console.ids.team_manager_id, console.password)

    await expect(page.get_by_role("heading", name=f"Case {case.reference}")).to_be_visible()
    await expect(page.locator(".govuk-summary-list")).to_contain_text(
        f"{case.child.given_name} {case.child.family_name}"
    )

    # The assessment on its path: every stage of its description in order, the first now, waiting to be allocated.
    path = page.locator(".app-process").filter(has_text=words(Process.ASSESSMENT)).locator(".app-path__step")
    stages = DESCRIPTIONS[Process.ASSESSMENT].stages
    await expect(path).to_have_count(len(stages))
    for step, stage in zip(await path.all(), stages, strict=True):
        await expect(step).to_contain_text(label(stage))
    now = path.filter(has_text=label(AssessmentStage.ALLOCATION))
    await expect(now).to_have_attribute("aria-current", "step")
    await expect(now).to_contain_text("Now")
    allocate = DESCRIPTIONS[Process.ASSESSMENT].decision("allocate")
    assert allocate.title is not None
    await expect(now).to_contain_text(f"Waiting for: {allocate.title} (by {words(Role.TEAM_MANAGER)}")
    await expect(path.last).to_contain_text("Ahead")

    # The front door has finished, with its outcome in words.
    finished = page.get_by_role("row").filter(has_text=words(Process.FRONT_DOOR))
    await expect(finished).to_contain_text(label(ContactOutcome.ASSESSMENT))

    # Every deadline of the case on the timeline, each state in words; today marked among them.
    deadlines = (await list_case_deadlines(console.services, manager, case_id)).deadlines
    assert {d.state for d in deadlines} >= {DeadlineState.MET, DeadlineState.PENDING}, deadlines
    marks = page.locator(".app-timeline__item")
    await expect(marks).to_have_count(len(deadlines) + 1)
    for each in deadlines:
        mark = marks.filter(has_text=each.title).filter(has_text=each.basis)
        await expect(mark.locator(".govuk-tag")).to_have_text(label(each.state))
    await expect(page.locator(".app-timeline__item--today")).to_contain_text("Today")

    # The decision in the chronology: what, who (name, role, id), when, why; newest first.
    decided = page.locator(".moj-timeline__item").filter(
        has_text=DESCRIPTIONS[Process.FRONT_DOOR].decision("decide_contact").called
    )
    await expect(decided).to_contain_text("Terry Example-Teammanager")
    await expect(decided).to_contain_text(f"{words(Role.TEAM_MANAGER)} ({console.ids.team_manager_id})")
    await expect(decided).to_contain_text(f"Decided: {label(ContactOutcome.ASSESSMENT)}")
    await expect(decided).to_contain_text(f"Why: {RATIONALE}")
    moved = f"Moved from ‘{label(FrontDoorStage.SCREENING)}’ to ‘{label(SharedStage.CLOSED)}’"
    await expect(page.locator(".moj-timeline__title").filter(has_text=moved)).to_have_count(1)
    chronology = await list_case_chronology(console.services, manager, case_id, limit=CHRONOLOGY_PAGE)
    await expect(page.locator(".moj-timeline__item")).to_have_count(len(chronology.entries))
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / "case.png"), full_page=True)

    await page.locator(".app-process").get_by_role("link", name=words(Process.ASSESSMENT)).click()
    await expect(page.get_by_role("heading", name=words(Process.ASSESSMENT))).to_be_visible()
    assert assessment_id in page.url


async def test_deadlines_in_every_state_are_a_timeline_with_today_in_place_and_the_chronology_pages_back(
    console: Console, page: Page
) -> None:
    case = console.ids.school_age
    today = local_date(datetime.now(UTC))
    workflow_id = f"assessment-written-by-hand-{case.case_id}"
    marks = {
        "missed": (today - timedelta(days=20), DeadlineState.MISSED),
        "met": (today - timedelta(days=10), DeadlineState.MET),
        "extended": (today + timedelta(days=5), DeadlineState.EXTENDED),
        "ahead": (today + timedelta(days=30), DeadlineState.PENDING),
    }
    entries = CHRONOLOGY_PAGE + 3
    first = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    await record(
        console.worker.sessionmaker,
        workflow_id=workflow_id,
        case_id=case.case_id,
        team_id=console.ids.team_id,
        stage=str(AssessmentStage.IN_PROGRESS),
        deadlines=[deadline(key, due, state=state) for key, (due, state) in marks.items()],
        chronology=[
            ChronologyEntry(key=f"{n:05d}", event="note", occurred_at=first + timedelta(hours=n), summary=f"entry {n}")
            for n in range(entries)
        ],
    )
    await page.goto(f"/console/cases/{case.case_id}")
    await sign_in(page, console.ids.social_worker_id, console.password)

    # Oldest due first, today between the last passed and the first ahead; each state in words.
    shown = page.locator(".app-timeline__item")
    await expect(shown).to_have_count(len(marks) + 1)
    expected = ["Deadline missed", "Deadline met", "Today", "Deadline extended", "Deadline ahead"]
    for item, text in zip(await shown.all(), expected, strict=True):
        await expect(item).to_contain_text(text)
    for key, (_, state) in marks.items():
        await expect(shown.filter(has_text=f"Deadline {key}").locator(".govuk-tag")).to_have_text(label(state))

    # A process that cannot say where it stands is drawn where the case record last saw it, and says so.
    process = page.locator(".app-process").filter(has_text=words(Process.ASSESSMENT))
    await expect(process).to_contain_text("where the case record last saw it")
    await expect(process.locator("[aria-current=step]")).to_contain_text(label(AssessmentStage.IN_PROGRESS))

    # Newest first, a page at a time, and back to the newest.
    timeline = page.locator(".moj-timeline__item")
    await expect(timeline).to_have_count(CHRONOLOGY_PAGE)
    await expect(timeline.first).to_contain_text(f"Entry {entries - 1}")
    await expect(timeline.first).to_contain_text("by the process")
    await assert_accessible(page)
    await page.get_by_role("link", name="Older entries").click()
    await expect(timeline).to_have_count(entries - CHRONOLOGY_PAGE)
    await expect(timeline.first).to_contain_text(f"Entry {entries - CHRONOLOGY_PAGE - 1}")
    await expect(timeline.last).to_contain_text("Entry 0")
    await expect(page.get_by_role("link", name="Older entries")).to_have_count(0)
    await page.get_by_role("link", name="Newest entries").click()
    await expect(timeline.first).to_contain_text(f"Entry {entries - 1}")


async def test_a_chronology_cursor_that_is_no_cursor_is_a_page_saying_so(console: Console, page: Page) -> None:
    await page.goto(f"/console/cases/{console.ids.school_age.case_id}?cursor=not-a-cursor")
    await sign_in(page, console.ids.social_worker_id, console.password)
    await expect(page.get_by_role("heading", name="There is a problem with the request")).to_be_visible()
    await assert_accessible(page)


def test_today_stands_before_the_first_deadline_due_from_today_on() -> None:
    today = date(2026, 11, 30)
    listed = [
        DeadlineItem(workflow_id="w", process=Process.ASSESSMENT, **deadline(key, today + timedelta(days)).model_dump())
        for key, days in (("b", 0), ("a", -1), ("c", 3))
    ]
    order = [entry.deadline.key if entry.deadline else "today" for entry in deadline_timeline(listed, today)]
    assert order == ["a", "today", "b", "c"]
    assert [(entry.day, entry.deadline) for entry in deadline_timeline([], today)] == [(today, None)]
