"""Reading a process's status, or a case's processes: for those entitled to read the case, and no one else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from safeguarding.codes import Process
from safeguarding.service.case_processes import case_processes
from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.errors import NotFound, Refused
from safeguarding.service.root import Services
from safeguarding.service.status import process_status
from tests.factories import CaseIds, SeededTeam
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting
from tests.workflows.time_control import eventually, last_working_day_at


async def _front_door(services: Services, worker: Harness, case: CaseIds) -> str:
    request = ContactRequest(
        case_reference=case.reference,
        received_at=last_working_day_at(datetime.now(UTC), worker.calendar),
        source="school",
        summary="Fictional concern for testing.",
    )
    return (await record_contact(services, await acting(services, worker.team.team_manager_id), request)).workflow_id


async def test_the_teams_social_worker_and_a_service_manager_of_any_team_read_a_new_contacts_status(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case = await worker.new_case()
    workflow_id = await _front_door(services, worker, case)

    own = await process_status(services, await acting(services, worker.team.social_worker_id), workflow_id)
    spanning = await process_status(services, await acting(services, other_team.service_manager_id), workflow_id)

    assert (own.process, own.workflow_id, own.case_reference, own.stage) == (
        Process.FRONT_DOOR,
        workflow_id,
        case.reference,
        "screening",
    )
    assert spanning.workflow_id == workflow_id


async def test_another_teams_social_worker_and_a_health_visitor_may_not_read_it(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    workflow_id = await _front_door(services, worker, await worker.new_case())

    with pytest.raises(Refused) as outsider:
        await process_status(services, await acting(services, other_team.social_worker_id), workflow_id)
    with pytest.raises(Refused) as partner:
        await process_status(services, await acting(services, worker.team.health_visitor_id), workflow_id)

    assert outsider.value.reason.startswith(f"this is team {worker.team.team_id}'s work")
    assert partner.value.reason.startswith("a health_visitor may not read case")


async def test_an_unknown_workflow_has_no_status(services: Services, worker: Harness) -> None:
    with pytest.raises(NotFound) as unknown:
        await process_status(services, await acting(services, worker.team.team_manager_id), "front-door-contact-nosuch")

    assert unknown.value.reason == "no workflow 'front-door-contact-nosuch'"


async def test_a_cases_processes_are_listed_for_its_team_and_refused_to_another(
    services: Services, worker: Harness, other_team: SeededTeam
) -> None:
    case = await worker.new_case()
    workflow_id = await _front_door(services, worker, case)
    manager = await acting(services, worker.team.team_manager_id)

    async def listed() -> bool:
        """the front door has written its record"""
        return bool((await case_processes(services, manager, case.reference)).processes)

    await eventually(listed)
    shown = await case_processes(services, manager, case.reference)
    with pytest.raises(Refused):
        await case_processes(services, await acting(services, other_team.team_manager_id), case.reference)
    with pytest.raises(NotFound) as unknown:
        await case_processes(services, manager, "EX-NOSUCH")

    assert (shown.case, shown.closed) == (case.reference, False)
    assert [(p.workflow_id, p.process, p.running) for p in shown.processes] == [(workflow_id, Process.FRONT_DOOR, True)]
    assert unknown.value.reason == "no case with reference 'EX-NOSUCH'"
