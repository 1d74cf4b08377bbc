"""A child's case run through the real processes, closed, and returned in the Children in Need census (§9).

The front door refers the child for an assessment; the manager authorises it (through the service layer, as the
API and the console do) with the child's primary need and the factors identified; a child protection plan's
first review changes its category and the second ends it; the manager closes the case with its census reason.
The census then reads from the case store what the processes wrote: nothing here is written by hand but the
contact's census source. The histories of the assessment and the plan, which took the new patched paths,
replay against today's code. On the time-skipping server, whose clock the test moves by weeks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from temporalio.client import WorkflowHandle
from temporalio.worker import Replayer

from safeguarding.census.episodes import la_child_id
from safeguarding.census.period import CensusSpec
from safeguarding.codes import AssessmentOutcome, CpCategory, ReviewOutcome, Role
from safeguarding.commands.assessment import Allocate, RecordChildSeen, SubmitAssessment, assessment_id
from safeguarding.commands.cp_plan import DecideReview
from safeguarding.service.access import Principal
from safeguarding.service.case_closure import CaseClosure, close_case
from safeguarding.service.census import export_census
from safeguarding.service.decisions import make_decision
from safeguarding.working_days import local_date
from tests.factories import CaseIds
from tests.fixtures.temporal import CONVERTER, Harness
from tests.workflows.child_protection_steps import running
from tests.workflows.cp_plan_steps import chair, start_plan, status
from tests.workflows.front_door_steps import referred_for_assessment, services_over
from tests.workflows.time_control import early_in_a_census_year, eventually
from workflows.registry import ALL_WORKFLOWS


async def _in_register(plan: WorkflowHandle) -> bool:
    """The plan has started in the plans register."""
    return (await status(plan)).facts.previous_plans is not None


async def _closed(handle: WorkflowHandle) -> bool:
    """The process has closed."""
    return (await status(handle)).stage == "closed"


async def _run(plan: WorkflowHandle, run: int) -> bool:
    """The plan has continued as new into run `run`."""
    return (await status(plan)).facts.runs == run


def _principal(harness: Harness, role: Role) -> Principal:
    actor = harness.actor(role)
    return Principal(practitioner_id=actor.practitioner_id, role=role, team_id=actor.team_id)


async def _referred_for_assessment(harness: Harness) -> CaseIds:
    """A new case referred for an assessment through the front door: return the case."""
    case = await harness.new_case()
    await referred_for_assessment(harness, case)
    return case


async def test_a_case_run_through_the_processes_returns_its_findings_latest_category_and_closure(
    skipping: Harness,
) -> None:
    harness, services = skipping, services_over(skipping)
    census_year = await early_in_a_census_year(harness.env)
    case = await _referred_for_assessment(harness)
    assessment = await running(harness, assessment_id(case.reference))
    manager, worker = harness.actor(Role.TEAM_MANAGER), harness.actor(Role.SOCIAL_WORKER)
    await assessment.execute_update("allocate", Allocate(actor=manager, social_worker_id=worker.practitioner_id))
    await assessment.execute_update("record_child_seen", RecordChildSeen(actor=worker))
    await assessment.execute_update(
        "submit_assessment", SubmitAssessment(actor=worker, recommended_outcome=AssessmentOutcome.CIN_PLAN)
    )
    authorisation = {
        "outcome": "cin_plan",
        "primary_need": "N5",
        "factors": ["3B", "16A"],
        "rationale": "Domestic abuse and neglect call for a Child in Need plan",
    }
    authorised = await make_decision(
        services, _principal(harness, Role.TEAM_MANAGER), assessment.id, "authorise", authorisation, "authorise-1"
    )
    await eventually(lambda: _closed(assessment))

    plan = await start_plan(harness, case, await harness.env.get_current_time(), category=CpCategory.NEGLECT)
    await eventually(lambda: _in_register(plan))
    await harness.env.sleep(timedelta(days=30))
    await plan.execute_update(
        "decide_review",
        DecideReview(actor=chair(), outcome=ReviewOutcome.CONTINUE, category=CpCategory.EMOTIONAL, rationale="Agreed"),
    )
    first_review = local_date(await harness.env.get_current_time())
    await eventually(lambda: _run(plan, 2))
    await harness.env.sleep(timedelta(days=30))
    await plan.execute_update("decide_review", DecideReview(actor=chair(), outcome=ReviewOutcome.END, rationale="Safe"))
    ended_on = local_date(await harness.env.get_current_time())
    await eventually(lambda: _closed(plan))  # not the result: waiting on it would skip the clock through every timer
    closed = await close_case(
        services,
        _principal(harness, Role.TEAM_MANAGER),
        case.case_id,
        CaseClosure.model_validate({"closure_reason": "RC7", "reason": "The Child in Need plan's aims are met"}),
    )

    head = Principal(practitioner_id=harness.team.service_manager_id, role=Role.SERVICE_MANAGER, team_id=case.team_id)
    root = ET.fromstring((await export_census(services, head, year=census_year.year, spec=CensusSpec.CIN_2026_27)).xml)
    [child] = [c for c in root.iter("Child") if c.findtext("ChildIdentifiers/LAchildID") == la_child_id(case.child_id)]
    [episode] = child.findall("CINdetails")
    assert [
        episode.findtext(item) for item in ("ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure")
    ] == [
        "2A",
        "N5",
        local_date(closed.closed_at).isoformat(),
        "RC7",
    ]
    assert [f.text for f in episode.iterfind("Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors")] == [
        "3B",
        "16A",
    ]
    assert (
        episode.findtext("Assessments/AssessmentAuthorisationDate") == local_date(authorised.effective_at).isoformat()
    )
    [cp_plan] = episode.findall("ChildProtectionPlans")
    assert [cp_plan.findtext(i) for i in ("InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "CPPendDate")] == [
        "NEG",
        "EMO",
        ended_on.isoformat(),
    ]
    assert [r.text for r in cp_plan.iterfind("Reviews/CPPreviewDate")] == [
        first_review.isoformat(),
        ended_on.isoformat(),
    ]

    replayer = Replayer(workflows=ALL_WORKFLOWS, data_converter=CONVERTER)
    for handle in (assessment, plan):
        await replayer.replay_workflow(await handle.fetch_history())
