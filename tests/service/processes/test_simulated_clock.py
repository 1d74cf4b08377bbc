"""The use cases on a time-skipping server, as the demo runs them: "now" is the server's simulated clock.

The simulated clock runs ahead of the wall clock once it has skipped, so a moment the demo acts at is in
the wall clock's future; the services' clock says what the present is. The test server cannot describe a
task queue, so the wait for the worker rests on its bound alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from safeguarding.service.contacts import ContactRequest, record_contact
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services
from safeguarding.service.status import process_status
from tests.fixtures.temporal import Harness
from tests.service.processes.conftest import acting, services_over
from tests.workflows.time_control import last_working_day_at


@pytest.fixture
def simulated(skipping: Harness) -> Services:
    """The services over a time-skipping server of the test's own, on its simulated clock."""
    services = services_over(skipping)
    services.clock = skipping.env.get_current_time
    return services


async def test_a_contact_received_on_the_simulated_clock_is_recorded_and_decided(
    simulated: Services, skipping: Harness
) -> None:
    await skipping.env.sleep(timedelta(days=10))
    now = await skipping.env.get_current_time()
    case = await skipping.new_case()
    manager = await acting(simulated, skipping.team.team_manager_id)
    received_at = last_working_day_at(now, skipping.calendar)  # in office hours, and ahead of the wall clock
    request = ContactRequest(
        case_reference=case.reference, received_at=received_at, source="school", summary="Fictional."
    )

    recorded = await record_contact(simulated, manager, request)
    decided = await make_decision(
        simulated, manager, recorded.workflow_id, "decide_contact", {"outcome": "nfa_advice", "rationale": "x"}, None
    )
    with pytest.raises(Invalid) as ahead:
        await record_contact(simulated, manager, request.model_copy(update={"received_at": now + timedelta(hours=1)}))

    assert received_at > datetime.now(UTC)
    assert decided.outcome == "nfa_advice"
    assert (await process_status(simulated, manager, recorded.workflow_id)).decisions == (decided,)
    assert ahead.value.field == "received_at"
