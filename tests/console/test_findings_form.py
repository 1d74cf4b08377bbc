"""The assessment's findings asked for in the browser: the primary need as radios, the factors as checkboxes (§9).

A census code is shown with its meaning; the boxes checked reach the decision as a list of codes; a list the
census would not take (21, none identified, beside a factor) is refused beside the field with the boxes kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.async_api import Page, expect
from sqlalchemy import select

from safeguarding.codes import AssessmentFactor, AssessmentOutcome, ContactOutcome, PrimaryNeed, Process
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import label
from safeguarding.schema import assessment_findings
from safeguarding.service.cases import read_case
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.decisions import make_decision
from safeguarding.service.principals import principal_for
from safeguarding.service.status import process_status
from tests.console.conftest import Console, assert_accessible, sign_in
from tests.workflows.time_control import eventually, last_working_day_at


async def _assessment_awaiting_authorisation(console: Console) -> str:
    """A contact decided for an assessment, allocated, the child seen and the assessment submitted (service layer)."""
    manager = await principal_for(console.services, console.ids.team_manager_id)
    worker = await principal_for(console.services, console.ids.social_worker_id)
    recorded = await record_contact(
        console.services,
        manager,
        ContactRequest(
            case_reference=console.ids.school_age.reference,
            received_at=last_working_day_at(datetime.now(UTC), console.worker.calendar),
            source="school",
            summary="The designated safeguarding lead is worried about the child's home.",
        ),
    )

    async def decide(principal, workflow_id: str, decision: str, body: dict) -> None:
        async def awaited() -> bool:
            """the process awaits the decision"""
            status = await process_status(console.services, principal, workflow_id)
            return decision in {t.decision for t in status.open_tasks}

        await eventually(awaited, attempts=300, interval=0.1)
        await make_decision(console.services, principal, workflow_id, decision, body, None)

    outcome = {"outcome": str(ContactOutcome.ASSESSMENT), "rationale": "Needs an assessment"}
    await decide(manager, recorded.workflow_id, "decide_contact", outcome)

    async def assessment() -> str | None:
        """the assessment the contact handed to is on the case"""
        case = await read_case(console.services, manager, console.ids.school_age.case_id)
        return next((p.workflow_id for p in case.processes if p.process is Process.ASSESSMENT), None)

    workflow_id: str = await eventually(assessment, attempts=300, interval=0.1)
    await decide(manager, workflow_id, "allocate", {"social_worker_id": console.ids.social_worker_id})
    await decide(worker, workflow_id, "record_child_seen", {})
    await decide(worker, workflow_id, "submit_assessment", {"recommended_outcome": str(AssessmentOutcome.NFA)})
    return workflow_id


async def test_the_manager_authorises_with_a_primary_need_and_the_factors_checked(console: Console, page: Page) -> None:
    workflow_id = await _assessment_awaiting_authorisation(console)
    await page.goto(f"/console/processes/{workflow_id}/decisions/authorise")
    await sign_in(page, console.ids.team_manager_id, console.password)
    await page.get_by_role("radio", name=label(AssessmentOutcome.NFA), exact=True).check()
    await page.get_by_role("radio", name=label(PrimaryNeed.NOT_IN_NEED), exact=True).check()
    factors = page.get_by_role("group", name="Factors")
    await factors.get_by_role("checkbox", name=label(AssessmentFactor.NO_FACTORS_IDENTIFIED), exact=True).check()
    await factors.get_by_role("checkbox", name=label(AssessmentFactor.YOUNG_CARER), exact=True).check()
    await page.get_by_label("Rationale").fill("No needs beyond universal services.")
    await assert_accessible(page)
    await page.get_by_role("button", name="Make the decision").click()

    await expect(page.locator(".govuk-error-summary")).to_contain_text("21 (no factors identified) is given alone")
    young_carer = page.get_by_role("checkbox", name=label(AssessmentFactor.YOUNG_CARER), exact=True)
    await expect(young_carer).to_be_checked()
    await assert_accessible(page)
    await young_carer.uncheck()
    await page.get_by_role("button", name="Make the decision").click()

    authorised = DESCRIPTIONS[Process.ASSESSMENT].decision("authorise").called
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Decision made: {authorised}.")

    async def recorded() -> list[tuple[str, list[str]]] | None:
        """the assessment wrote its findings"""
        async with console.services.sessions() as session:
            query = select(assessment_findings.c.primary_need, assessment_findings.c.factors)
            rows = (await session.execute(query.where(assessment_findings.c.workflow_id == workflow_id))).all()
        return [(need, list(factors)) for need, factors in rows] or None

    assert await eventually(recorded, attempts=300, interval=0.1) == [("N9", ["21"])]
