"""Who may do what over HTTP: every route refuses the roles and teams it does not serve with a 403 problem.

Every decision route refuses every role its process does not allow, and another team's practitioner.

The matrix is generated from the processes' descriptions (`safeguarding.descriptions.registry.DESCRIPTIONS`)
and each decision's body from its command model (`tests.api.bodies`), so a decision described tomorrow is
refused to the wrong roles here without a test written for it. Each request is aimed at a real running
process of the decision's own kind (the service finds the process and its kind before it weighs the role),
and after each refusal nothing has reached the workflow: its `status` shows no such decision and the case
store has no decision row.

The other routes that act for a role are refused likewise: administration to all but the administrator,
the reports to all but their readers, another team's tray, a case (its processes, its child's record) to
another team or a partner agency, a case's reassignment to all but its managers.

One process of each kind serves the whole module (starting ten processes per request would take minutes),
on the API the module shares (`shared_api`), whose tables are emptied when the module ends.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.api.routes import admin
from safeguarding.codes import CpCategory, Process, Role
from safeguarding.commands.assessment import JointVisitInput, joint_visit_id
from safeguarding.commands.conference import InitialConferenceInput, initial_conference_id
from safeguarding.commands.cp_plan import CpPlanInput, cp_plan_id
from safeguarding.commands.strategy_discussion import S47Input, s47_enquiry_id
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.models import ProcessContext, ProcessStatus
from safeguarding.schema import cases, change_log, decisions, practitioners, teams
from safeguarding.service.access import TEAM_BOUND
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.store.examples import EXAMPLE_IDS, PRACTITIONERS, ExampleCase
from tests.api.bodies import valid_body
from tests.api.conftest import Api
from tests.factories import create_practitioner, create_team
from tests.fixtures.temporal import PROFILE, Harness
from tests.workflows.time_control import eventually, last_working_day_at

PROBLEM = "application/problem+json"

REFUSED = [
    pytest.param(process, decision.name, role, id=f"{process}-{decision.name}-{role}")
    for process, description in DESCRIPTIONS.items()
    for decision in description.decisions
    for role in Role
    if role not in decision.roles
]
"""Every (process, decision, role) where the role may not make the decision in that process."""

OTHER_TEAM = [
    pytest.param(process, decision.name, role, id=f"{process}-{decision.name}-{role}")
    for process, description in DESCRIPTIONS.items()
    for decision in description.decisions
    for role in decision.roles
    if role in TEAM_BOUND
]
"""Every (process, decision, team-bound role) where the role may make it, but only on its own team's work."""


@dataclass
class World:
    """The shared API, a practitioner of every role here and in another team, a running process of each kind."""

    api: Api
    ours: dict[Role, str]
    theirs: dict[Role, str]
    processes: dict[Process, str]

    @property
    def http(self) -> httpx.AsyncClient:
        return self.api.http

    @property
    def services(self) -> Services:
        return self.api.services

    @property
    def worker(self) -> Harness:
        return self.api.worker

    async def headers(self, practitioner_id: str) -> dict[str, str]:
        """Return the headers of a request made by `practitioner_id`."""
        return {"Authorization": f"Bearer {await self.api.token(practitioner_id)}"}

    async def started(self, path: str, body: dict[str, Any], role: Role) -> str:
        """Start a process over HTTP as our practitioner in `role`; return its workflow id."""
        response = await self.http.post(path, json=body, headers=await self.headers(self.ours[role]))
        assert response.status_code == 201, response.text
        return str(response.json()["workflow_id"])


@pytest.fixture(scope="module")
async def world(shared_api: Api) -> World:
    """The module's API with a practitioner of every role, and one running process of each kind."""
    ours, theirs = await _practitioners(shared_api.services.sessions, shared_api.worker)
    world = World(shared_api, ours, theirs, {})
    world.processes = await _one_process_of_each_kind(world)
    return world


async def _practitioners(
    sessionmaker: async_sessionmaker[AsyncSession], worker: Harness
) -> tuple[dict[Role, str], dict[Role, str]]:
    """Return a practitioner of every role (the examples' where there is one), and of every team-bound role
    in another team (the harness's)."""
    ours: dict[Role, str] = {role: ids[0] for role, ids in PRACTITIONERS.items()}
    theirs = {Role.SOCIAL_WORKER: worker.team.social_worker_id, Role.TEAM_MANAGER: worker.team.team_manager_id}
    async with sessionmaker.begin() as session:
        partners = await create_team(session, name="Fictional partner agencies")
        for role in Role:
            if role not in ours:
                team = EXAMPLE_IDS.team_id if role in TEAM_BOUND else partners
                ours[role] = await create_practitioner(session, team_id=team, role=role)
        for role in TEAM_BOUND - set(theirs):
            theirs[role] = await create_practitioner(session, team_id=worker.team.team_id, role=role)
    return ours, theirs


async def _one_process_of_each_kind(world: World) -> dict[Process, str]:
    """Start one process of each kind on the example cases: over HTTP where the API starts it, else as the
    process that hands off to it would (the joint visit, the enquiry, the conference and the plan)."""
    calendar = world.worker.calendar
    received = last_working_day_at(datetime.now(UTC), calendar)
    school_age, under_five, unborn = EXAMPLE_IDS.school_age, EXAMPLE_IDS.under_five, EXAMPLE_IDS.unborn
    processes = {
        Process.FRONT_DOOR: await world.started(
            "/contacts",
            {
                "case_reference": school_age.reference,
                "received_at": received.isoformat(),
                "source": "school",
                "summary": "Fictional concern for testing.",
                "referrer_email": "referrer@example.invalid",
            },
            Role.TEAM_MANAGER,
        ),
        Process.ASSESSMENT: await world.started(
            "/assessments",
            {"case_reference": school_age.reference, "referral_at": received.isoformat(), "referral_source": "2A"},
            Role.TEAM_MANAGER,
        ),
        Process.STRATEGY_DISCUSSION: await world.started(
            "/strategy-discussions",
            {"case_reference": school_age.reference, "concerns_at": received.isoformat()},
            Role.TEAM_MANAGER,
        ),
        Process.LADO: await world.started("/lado-allegations", _allegation(received), Role.LADO),
    }
    processes[Process.FGC] = await world.started(
        "/fgc-referrals",
        {
            "case_reference": school_age.reference,
            "proposed_at": received.isoformat(),
            "reason": "assessment",
            "source_workflow_id": processes[Process.ASSESSMENT],
        },
        Role.SOCIAL_WORKER,
    )
    processes[Process.DISAGREEMENT] = await world.started(
        "/disagreements",
        {
            "about_workflow_id": processes[Process.ASSESSMENT],
            "about_key": "allocate",
            "raised_at": (datetime.now(UTC) - timedelta(minutes=5)).replace(microsecond=0).isoformat(),
            "disagrees_with": "Nobody has been allocated.",
            "proposes": "Allocate a social worker today.",
        },
        Role.SOCIAL_WORKER,
    )
    worker = world.worker
    await worker.start(
        "JointVisit",
        JointVisitInput(
            context=_context(worker, under_five),
            assessment_workflow_id="assessment-EX-0002-by-hand",
            social_worker_id=EXAMPLE_IDS.social_worker_id,
            age_band=under_five.age_band,
        ),
        joint_visit_id(under_five.reference),
    )
    processes[Process.JOINT_VISIT] = joint_visit_id(under_five.reference)
    await worker.start(
        "S47Enquiry",
        S47Input(
            context=_context(worker, under_five),
            discussion_workflow_id="strategy-discussion-EX-0002-by-hand",
            discussion_at=received,
            started_at=received,
            joint_with_police=False,
        ),
        s47_enquiry_id(under_five.reference),
    )
    processes[Process.S47_ENQUIRY] = s47_enquiry_id(under_five.reference)
    await worker.start(
        "InitialConference",
        InitialConferenceInput(
            context=_context(worker, unborn),
            s47_workflow_id="s47-enquiry-EX-0000-by-hand",
            first_discussion_at=received,
            last_discussion_at=received,
            s47_started_at=received,
        ),
        initial_conference_id(unborn.reference),
    )
    processes[Process.INITIAL_CONFERENCE] = initial_conference_id(unborn.reference)
    await worker.start(
        "ChildProtectionPlan",
        CpPlanInput(
            context=_context(worker, unborn),
            conference_workflow_id="initial-conference-EX-0000-by-hand",
            icpc_held_at=received,
            category=CpCategory.NEGLECT,
            lead_social_worker_id=EXAMPLE_IDS.social_worker_id,
            core_group_member_ids=(EXAMPLE_IDS.social_worker_id,),
            prebirth=True,
        ),
        cp_plan_id(unborn.reference, received),
    )
    processes[Process.CP_PLAN] = cp_plan_id(unborn.reference, received)
    assert set(processes) == set(DESCRIPTIONS), "a process kind has no running process to aim at"
    for workflow_id in processes.values():
        await eventually(lambda workflow_id=workflow_id: _answers(world, workflow_id))
    return processes


def _allegation(received: datetime) -> dict[str, Any]:
    """Return a fictional notification to the LADO by a school about one of its staff."""
    return {
        "reference": "LADO-00000001",
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


def _context(worker: Harness, case: ExampleCase) -> ProcessContext:
    return ProcessContext(
        case_id=case.case_id,
        case_reference=case.reference,
        team_id=EXAMPLE_IDS.team_id,
        profile=PROFILE,
        calendar=worker.calendar,
    )


async def _answers(world: World, workflow_id: str) -> ProcessStatus | None:
    """the process answers its status query"""
    with contextlib.suppress(Exception):
        return await _status(world, workflow_id)
    return None


async def _status(world: World, workflow_id: str) -> ProcessStatus:
    handle = world.worker.client.get_workflow_handle(workflow_id)
    return await handle.query("status", result_type=ProcessStatus)


async def _refused_and_nothing_sent(world: World, process: Process, decision: str, practitioner_id: str) -> str:
    """Send `decision` to the module's process of kind `process` as `practitioner_id`; assert it is refused
    with 403 and nothing reached the workflow; return the refusal's detail."""
    workflow_id = world.processes[process]
    model = DESCRIPTIONS[process].decision(decision).command
    principal = await principal_for(world.services, practitioner_id)
    body = valid_body(model, id_value=EXAMPLE_IDS.social_worker_id, given={"actor": principal.actor})

    response = await world.http.post(
        f"/processes/{workflow_id}/decisions/{decision}", json=body, headers=await world.headers(practitioner_id)
    )

    assert (response.status_code, response.headers["content-type"]) == (403, PROBLEM), response.text
    assert response.json()["status"] == 403
    assert decision not in {made.decision for made in (await _status(world, workflow_id)).decisions}
    query = select(func.count()).where(decisions.c.workflow_id == workflow_id, decisions.c.decision == decision)
    async with world.services.sessions() as session:
        assert (await session.execute(query)).scalar_one() == 0
    return str(response.json()["detail"])


@pytest.mark.parametrize(("process", "decision", "role"), REFUSED)
async def test_a_role_the_process_does_not_allow_is_refused_and_nothing_is_sent(
    world: World, process: Process, decision: str, role: Role
) -> None:
    detail = await _refused_and_nothing_sent(world, process, decision, world.ours[role])

    assert f"a {role} may not" in detail


@pytest.mark.parametrize(("process", "decision", "role"), OTHER_TEAM)
async def test_an_allowed_role_of_another_team_is_refused_and_nothing_is_sent(
    world: World, process: Process, decision: str, role: Role
) -> None:
    detail = await _refused_and_nothing_sent(world, process, decision, world.theirs[role])

    assert f"is in team {world.worker.team.team_id}" in detail


SPANS_TEAMS = {Role.SERVICE_MANAGER, Role.EDT_WORKER, Role.CONFERENCE_CHAIR, Role.LADO, Role.LADO_MANAGER}
"""The roles whose work spans teams (`access.SPANS_TEAMS`), written out so that a change there shows here."""

CASE_READERS = {Role.SOCIAL_WORKER, Role.SUPPORT_WORKER, Role.BUSINESS_SUPPORT, Role.TEAM_MANAGER} | SPANS_TEAMS
"""Who reads a child's case: its team's practitioners, and the roles that span teams (`access` docstring)."""

ADMIN_ROUTES = [
    pytest.param(method, route.path, route.dependant, id=f"{method} {route.path}")
    for route in admin.router.routes
    if isinstance(route, APIRoute)
    for method in sorted(route.methods)
]
"""Every administration route, from its router: a route added there is refused here without a test."""


def _by_role(allowed: set[Role]) -> list[Any]:
    return [pytest.param(role, role in allowed, id=str(role)) for role in Role]


async def _rows(world: World, *tables: Table) -> list[list[Any]]:
    async with world.services.sessions() as session:
        return [sorted(map(tuple, (await session.execute(select(table))).all()), key=repr) for table in tables]


@pytest.mark.parametrize(("method", "path", "dependant"), ADMIN_ROUTES)
@pytest.mark.parametrize("role", [role for role in Role if role is not Role.ADMINISTRATOR])
async def test_administration_is_refused_to_every_role_but_the_administrators_and_changes_nothing(
    world: World, method: str, path: str, dependant: Dependant, role: Role
) -> None:
    body = (
        valid_body(dependant.body_params[0].field_info.annotation, id_value=EXAMPLE_IDS.social_worker_id)
        if dependant.body_params
        else None
    )
    url = path.format(team_id=EXAMPLE_IDS.team_id, practitioner_id=EXAMPLE_IDS.social_worker_id)
    before = await _rows(world, teams, practitioners, change_log)

    response = await world.http.request(method, url, json=body, headers=await world.headers(world.ours[role]))

    assert (response.status_code, response.headers["content-type"]) == (403, PROBLEM), response.text
    assert await _rows(world, teams, practitioners, change_log) == before


@pytest.mark.parametrize(("role", "allowed"), _by_role({Role.LADO, Role.LADO_MANAGER, Role.SERVICE_MANAGER}))
async def test_the_lado_report_is_the_lados_their_managers_and_the_service_managers(
    world: World, role: Role, allowed: bool
) -> None:
    response = await world.http.get("/reports/lado", headers=await world.headers(world.ours[role]))

    assert response.status_code == (200 if allowed else 403), response.text


@pytest.mark.parametrize(("role", "allowed"), _by_role({Role.SERVICE_MANAGER}))
async def test_the_census_return_is_the_head_of_services_alone(world: World, role: Role, allowed: bool) -> None:
    response = await world.http.get("/reports/census/2025", headers=await world.headers(world.ours[role]))

    assert response.status_code == (200 if allowed else 403), response.text


@pytest.mark.parametrize(("role", "allowed"), _by_role({Role.SERVICE_MANAGER, Role.TEAM_MANAGER}))
async def test_the_timeliness_report_is_the_managers_and_another_teams_is_refused(
    world: World, role: Role, allowed: bool
) -> None:
    ours = await world.http.get("/reports/timeliness", headers=await world.headers(world.ours[role]))
    other_team = await world.http.get(
        "/reports/timeliness",
        params={"team": EXAMPLE_IDS.team_id},
        headers=await world.headers(world.theirs[Role.TEAM_MANAGER]),
    )

    assert ours.status_code == (200 if allowed else 403), ours.text
    assert other_team.status_code == 403, other_team.text


ESCALATION_LOG_READERS = {
    Role.PARTNERSHIP_CHAIR,
    Role.DESIGNATED_PROFESSIONAL,
    Role.SERVICE_MANAGER,
    Role.TEAM_MANAGER,
}
"""Who reads the partnership's escalation log (statutory-rules.md §8); a team manager their own team's lines."""


@pytest.mark.parametrize(("role", "allowed"), _by_role(ESCALATION_LOG_READERS))
async def test_the_escalation_log_is_the_partnerships_and_the_managers(world: World, role: Role, allowed: bool) -> None:
    today = datetime.now(UTC).date()
    params = {
        "partnership_id": PROFILE.disagreement.partnership,
        "from": str(today - timedelta(days=30)),
        "to": str(today),
    }

    response = await world.http.get(
        "/reports/escalations", params=params, headers=await world.headers(world.ours[role])
    )

    assert response.status_code == (200 if allowed else 403), response.text


@pytest.mark.parametrize("suffix", ["", "/counts"])
@pytest.mark.parametrize(("role", "allowed"), _by_role(SPANS_TEAMS))
async def test_another_teams_tray_is_read_only_by_the_roles_that_span_teams(
    world: World, role: Role, allowed: bool, suffix: str
) -> None:
    path = f"/tray/teams/{world.worker.team.team_id}{suffix}"

    response = await world.http.get(path, headers=await world.headers(world.ours[role]))

    assert response.status_code == (200 if allowed else 403), response.text


CASE_READS = [
    "/cases/{case_id}",
    "/cases/{case_id}/deadlines",
    "/cases/{case_id}/chronology",
    "/processes/{workflow_id}",
    "/processes/{workflow_id}/deadlines",
    "/people/{child_id}",
    "/people/{child_id}/changes",
]
"""The reads of a child's case: the case, its processes' status and deadlines, the child's record."""


@pytest.mark.parametrize("path", CASE_READS)
@pytest.mark.parametrize(("role", "allowed"), _by_role(CASE_READERS))
async def test_a_case_is_read_by_its_team_and_the_roles_that_span_teams(
    world: World, role: Role, allowed: bool, path: str
) -> None:
    case = EXAMPLE_IDS.school_age
    url = path.format(case_id=case.case_id, child_id=case.child_id, workflow_id=world.processes[Process.FRONT_DOOR])

    ours = await world.http.get(url, headers=await world.headers(world.ours[role]))

    assert ours.status_code == (200 if allowed else 403), ours.text
    if role in TEAM_BOUND:
        theirs = await world.http.get(url, headers=await world.headers(world.theirs[role]))
        assert (theirs.status_code, theirs.headers["content-type"]) == (403, PROBLEM), theirs.text


@pytest.mark.parametrize("role", [role for role in Role if role not in {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}])
async def test_a_case_is_reassigned_only_by_its_team_manager_or_a_service_manager(world: World, role: Role) -> None:
    path = f"/cases/{EXAMPLE_IDS.school_age.case_id}/responsible-worker"
    body = {"practitioner_id": EXAMPLE_IDS.social_worker_id, "reason": "Fictional reason for testing."}
    before = await _rows(world, cases, change_log)

    refused = await world.http.post(path, json=body, headers=await world.headers(world.ours[role]))
    other_team = await world.http.post(path, json=body, headers=await world.headers(world.theirs[Role.TEAM_MANAGER]))

    assert (refused.status_code, refused.headers["content-type"]) == (403, PROBLEM), refused.text
    assert other_team.status_code == 403, other_team.text
    assert await _rows(world, cases, change_log) == before
