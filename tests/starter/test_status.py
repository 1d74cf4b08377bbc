"""`python -m starter status`: where a process stands, as the managers and automation read it."""

from __future__ import annotations

from safeguarding.store.examples import ExampleIds
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.starter.test_start import received_in_office_hours, start_front_door


async def test_a_new_contact_is_in_screening_with_its_referral_deadline_and_open_tasks(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    started = (await start_front_door(cli, examples.school_age.reference, received_in_office_hours(worker))).json()

    ran = await cli("status", started["workflow_id"], "--actor", examples.team_manager_id)

    assert ran.code == 0, ran.stderr
    status = ran.json()
    assert status["process"] == "front_door"
    assert status["workflow_id"] == started["workflow_id"]
    assert status["case_reference"] == examples.school_age.reference
    assert status["stage"] == "screening"
    assert sorted(task["decision"] for task in status["open_tasks"]) == ["decide_contact", "record_consent"]
    [deadline] = status["deadlines"]
    assert deadline["rule_id"] == "referral_decision"
    assert deadline["due_date"] == started["deadline"]["due_date"]
    assert deadline["basis"] == started["deadline"]["basis"]
    assert deadline["state"] == "pending"
    assert deadline["met_on"] is None
    assert status["decisions"] == []


async def test_an_unknown_workflow_is_refused_with_a_clear_line(cli: Cli, examples: ExampleIds) -> None:
    ran = await cli("status", "front-door-contact-nosuch", "--actor", examples.team_manager_id)

    assert ran.code == 2
    assert ran.error == "status: no workflow 'front-door-contact-nosuch'"
    assert "Traceback" not in ran.stderr
