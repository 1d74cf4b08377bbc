"""`python -m starter list --case REF`: a case's processes and their workflow ids, from the case store."""

from __future__ import annotations

import json

from safeguarding.store.examples import ExampleIds
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.starter.test_start import received_in_office_hours, start_front_door
from tests.workflows.time_control import eventually

EARLY_HELP = json.dumps({"outcome": "early_help", "rationale": "Needs met by the family hub"})


async def test_list_shows_a_cases_finished_and_running_processes_with_their_workflow_ids(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    reference = examples.school_age.reference
    first = (await start_front_door(cli, reference, received_in_office_hours(worker))).json()["workflow_id"]
    decided = await cli("decide", first, "decide_contact", "--actor", examples.team_manager_id, "--json", EARLY_HELP)
    assert decided.code == 0, decided.stderr
    await worker.client.get_workflow_handle(first).result()
    second = (await start_front_door(cli, reference, received_in_office_hours(worker))).json()["workflow_id"]

    async def both_listed() -> dict | None:
        """the case store lists both contacts, the first one closed"""
        listed = (await cli("list", "--case", reference, "--actor", examples.team_manager_id)).json()
        shown = {p["workflow_id"]: (p["process"], p["outcome"], p["running"]) for p in listed["processes"]}
        return listed if shown.get(first, (None, None, True))[2] is False and second in shown else None

    listed = await eventually(both_listed, attempts=30, interval=0.5)
    assert (listed["case"], listed["closed"]) == (reference, False)
    assert [(p["workflow_id"], p["process"], p["outcome"], p["running"]) for p in listed["processes"]] == [
        (first, "front_door", "early_help", False),
        (second, "front_door", None, True),
    ]


async def test_list_refuses_an_unknown_case(cli: Cli, examples: ExampleIds) -> None:
    ran = await cli("list", "--case", "EX-9999", "--actor", examples.team_manager_id)

    assert (ran.code, ran.error) == (2, "list: no case with reference 'EX-9999'")
