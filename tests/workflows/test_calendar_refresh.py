"""CalendarRefresh where the server cannot list workflows: it says so once and stops (statutory-rules.md §1).

The time-skipping test server has no visibility: listing workflows is unimplemented there, so offering
the calendar can never succeed and must not be retried for ever.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ActivityError, ApplicationError, RetryState

from safeguarding.housekeeping import CalendarDistribution
from tests.fixtures.temporal import Harness

GIVE_UP = 60.0
"""A guard for the test itself: today's failure is a refresh that never ends."""


async def test_the_refresh_on_a_server_that_cannot_list_workflows_fails_once_and_says_why(skipping: Harness) -> None:
    handle = await skipping.client.start_workflow(
        "CalendarRefresh",
        id=f"calendar-refresh-{uuid.uuid4().hex[:8]}",
        task_queue=skipping.task_queue,
        result_type=CalendarDistribution,
    )

    with pytest.raises(WorkflowFailureError) as failed:
        await asyncio.wait_for(handle.result(), GIVE_UP)

    activity_error = failed.value.cause
    assert isinstance(activity_error, ActivityError)
    assert (activity_error.activity_type, activity_error.retry_state) == (
        "distribute_calendar",
        RetryState.NON_RETRYABLE_FAILURE,
    )
    cause = activity_error.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "VisibilityUnavailable"
    assert "cannot list workflows" in cause.message
    attempts = [
        event.activity_task_started_event_attributes.attempt
        async for event in handle.fetch_history_events()
        if event.HasField("activity_task_started_event_attributes")
    ]
    assert attempts == [1, 1]  # load_calendar once, distribute_calendar once
