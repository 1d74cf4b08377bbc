"""What each role sees in the console: their tray, a decision's form refusing what was sent, and a case.

For the social worker, the team manager, the service manager (head of service), business support and the
LADO, work is made through the service layer with real workflows (a contact to the front door, its decision,
an assessment allocated, a strategy discussion held, a notification to the LADO), then each signs in and
finds their task in their tray, sends its form wrongly and is told why beside the field, and reads the case.
With `CONSOLE_SCREENSHOTS` set the pages are saved for the README (`make screenshots`): the viewport only,
1280 by 720 (a whole case page is `test_case_page`'s).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Page, expect

from safeguarding.codes import Agency, ContactOutcome, Process, Role, StrategyOutcome
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import words
from safeguarding.service.cases import read_case
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.decisions import make_decision
from safeguarding.service.lado import AllegationRequest, start_lado
from safeguarding.service.principals import principal_for
from safeguarding.service.sign_in import set_password
from safeguarding.service.status import process_status
from safeguarding.store.practitioners import insert_practitioner
from safeguarding.working_days import LONDON
from tests.console.conftest import SCREENSHOTS, Console, assert_accessible, sign_in
from tests.workflows.time_control import eventually, last_working_day_at

BUSINESS_SUPPORT_ID = "prac-example-bs"


@dataclass(frozen=True)
class Seen:
    """What a role is shown: whose tray, the task it finds there, and the case it reads."""

    practitioner_id: str
    task_title: str
    workflow_id: str
    case_id: str
    tray_view: str = "mine"


async def _open_task(console: Console, principal_id: str, workflow_id: str, decision: str) -> None:
    """Wait until the process waits for `decision`."""
    principal = await principal_for(console.services, principal_id)

    async def waiting() -> bool | None:
        """the process waits for the decision"""
        status = await process_status(console.services, principal, workflow_id)
        return True if any(t.decision == decision for t in status.open_tasks) else None

    await eventually(waiting, attempts=300, interval=0.1)


async def _contact(console: Console) -> str:
    """Record a contact on the school-age child's case; return its front door's workflow id."""
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
    await _open_task(console, console.ids.team_manager_id, recorded.workflow_id, "decide_contact")
    return recorded.workflow_id


async def _decide(console: Console, workflow_id: str, decision: str, body: dict[str, Any]) -> None:
    manager = await principal_for(console.services, console.ids.team_manager_id)
    await make_decision(console.services, manager, workflow_id, decision, body, None)


async def _handed_to(console: Console, process: Process, decision: str) -> str:
    """Return the case's running `process` once it waits for `decision`."""
    manager = await principal_for(console.services, console.ids.team_manager_id)

    async def started() -> str | None:
        """the process the decision handed to is running"""
        case = await read_case(console.services, manager, console.ids.school_age.case_id)
        return next((p.workflow_id for p in case.processes if p.process is process and p.closed_at is None), None)

    workflow_id: str = await eventually(started, attempts=300, interval=0.1)
    await _open_task(console, console.ids.team_manager_id, workflow_id, decision)
    return workflow_id


def _title(process: Process, decision: str) -> str:
    return DESCRIPTIONS[process].decision(decision).called


async def _assessment(console: Console) -> str:
    front_door = await _contact(console)
    body = {"outcome": str(ContactOutcome.ASSESSMENT), "rationale": "Bruising seen twice this term."}
    await _decide(console, front_door, "decide_contact", body)
    return await _handed_to(console, Process.ASSESSMENT, "allocate")


async def team_manager(console: Console) -> Seen:
    """The team manager decides the response to a contact."""
    workflow_id = await _contact(console)
    title = _title(Process.FRONT_DOOR, "decide_contact")
    return Seen(console.ids.team_manager_id, title, workflow_id, console.ids.school_age.case_id)


async def social_worker(console: Console) -> Seen:
    """The social worker, allocated the assessment, is to see the child."""
    assessment = await _assessment(console)
    await _decide(console, assessment, "allocate", {"social_worker_id": console.ids.social_worker_id})
    await _open_task(console, console.ids.social_worker_id, assessment, "record_child_seen")
    title = _title(Process.ASSESSMENT, "record_child_seen")
    return Seen(console.ids.social_worker_id, title, assessment, console.ids.school_age.case_id)


async def service_manager(console: Console) -> Seen:
    """The head of service sees the team's tray, and may reassign the assessment waiting for its allocation."""
    assessment = await _assessment(console)
    title = _title(Process.ASSESSMENT, "allocate")
    return Seen(console.ids.service_manager_id, title, assessment, console.ids.school_age.case_id, "team")


async def business_support(console: Console) -> Seen:
    """Business support circulates the record of a strategy discussion once the chair has decided."""
    front_door = await _contact(console)
    body = {"outcome": str(ContactOutcome.STRATEGY_DISCUSSION), "rationale": "An unexplained injury."}
    await _decide(console, front_door, "decide_contact", body)
    discussion = await _handed_to(console, Process.STRATEGY_DISCUSSION, "record_discussion")
    agencies = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH)
    await _decide(console, discussion, "record_discussion", {"participants": [{"agency": a} for a in agencies]})
    decided = {
        "outcome": str(StrategyOutcome.CIN_PLAN),
        "rationale": "No evidence of significant harm; needs are met by a plan.",
        "tell_family": "The family is told what was decided and why.",
    }
    await _decide(console, discussion, "decide_strategy", decided)
    await _open_task(console, console.ids.team_manager_id, discussion, "record_circulated")
    async with console.services.sessions.begin() as session:
        await insert_practitioner(
            BUSINESS_SUPPORT_ID,
            {
                "given_name": "Bailey",
                "family_name": "Example-Businesssupport",
                "email": "bailey@example.invalid",
                "role": str(Role.BUSINESS_SUPPORT),
                "team_id": console.ids.team_id,
            },
            session=session,
        )
    title = _title(Process.STRATEGY_DISCUSSION, "record_circulated")
    return Seen(BUSINESS_SUPPORT_ID, title, discussion, console.ids.school_age.case_id)


async def lado(console: Console) -> Seen:
    """The LADO responds to a notification about a member of a school's staff."""
    received = last_working_day_at(datetime.now(UTC), console.worker.calendar)
    lado_principal = await principal_for(console.services, console.ids.lado_id)
    recorded = await start_lado(
        console.services,
        lado_principal,
        AllegationRequest.model_validate(
            {
                "reference": "LADO-00000042",
                "subject": {"given_name": "Alex", "family_name": "Fictional-Subject", "role": "teaching assistant"},
                "employer": "Fictional Academy Trust",
                "setting": "Fictional Primary School",
                "what_happened": "A pupil said the member of staff grabbed their arm.",
                "came_to_attention_at": received.isoformat(),
                "action_taken": "The designated safeguarding lead wrote down what the pupil said.",
                "notifier_kind": "employer",
                "notifier_name": "Fictional Headteacher",
                "method": "phone",
                "notified_at": (received + timedelta(hours=2)).isoformat(),
            }
        ),
    )
    await _open_task(console, console.ids.lado_id, recorded.workflow_id, "respond_to_notification")
    title = _title(Process.LADO, "respond_to_notification")
    return Seen(console.ids.lado_id, title, recorded.workflow_id, recorded.allegation_case_id)


async def _send_wrongly(page: Page) -> None:
    """Send the task's form dated tomorrow, leaving every other field blank: it must be refused, saying why."""
    tomorrow = datetime.now(LONDON) + timedelta(days=1)
    await page.locator("#effective_at-day").fill(str(tomorrow.day))
    await page.locator("#effective_at-month").fill(str(tomorrow.month))
    await page.locator("#effective_at-year").fill(str(tomorrow.year))
    await page.locator("#effective_at-time").fill("10:00")
    await page.get_by_role("button", name="Make the decision").click()


async def _nothing_typed_in_the_text_fields(page: Page) -> None:
    """A field nobody typed in is empty (never the word None), so a form sent as it stands sends nothing there."""
    for field in await page.locator("textarea, input[type=text]:not([id^=effective_at])").all():
        await expect(field).to_have_value("")


ROLES: dict[str, Callable[[Console], Awaitable[Seen]]] = {
    "social_worker": social_worker,
    "team_manager": team_manager,
    "service_manager": service_manager,
    "business_support": business_support,
    "lado": lado,
}


@pytest.mark.parametrize("role", list(ROLES))
async def test_each_role_finds_their_task_is_told_what_is_wrong_with_a_form_and_reads_the_case(
    console: Console, page: Page, role: str
) -> None:
    seen = await ROLES[role](console)
    await set_password(console.services, seen.practitioner_id, console.password)
    await page.goto(f"/console/tray?view={seen.tray_view}")
    await sign_in(page, seen.practitioner_id, console.password)

    await expect(page.locator(".moj-identity-bar")).to_contain_text(words(Role(role)))
    task = page.get_by_role("row").filter(has_text=seen.task_title)
    await expect(task).to_have_count(1)
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / f"{role}-tray.png"))

    await task.get_by_role("link", name=seen.task_title).click()
    await expect(page.get_by_role("heading", name=seen.task_title)).to_be_visible()
    await _nothing_typed_in_the_text_fields(page)
    await _send_wrongly(page)
    await expect(page).to_have_title(re.compile(r"^Error: "))
    await _nothing_typed_in_the_text_fields(page)
    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_be_visible()
    first_error = summary.locator("a").first
    await expect(page.locator(".govuk-error-message").first).to_contain_text(await first_error.inner_text())
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / f"{role}-decision-error.png"))

    await page.goto(f"/console/cases/{seen.case_id}")
    await expect(page.get_by_role("heading", name=re.compile(r"^Case "))).to_be_visible()
    running = page.locator(".app-process").filter(has=page.locator(f'a[href="/console/processes/{seen.workflow_id}"]'))
    await expect(running.locator("[aria-current=step]")).to_contain_text(f"Waiting for: {seen.task_title}")
    await assert_accessible(page)
    if SCREENSHOTS:
        await page.screenshot(path=str(SCREENSHOTS / f"{role}-case.png"))
