"""Reminders when the mail server is down, and GOV.UK Notify's error answers, from a running process to the inbox.

An assessment's clock runs on the time-skipping server (its reminders fall weeks ahead); its notices go
through the real outbox to a real SMTP server of the test's own, which is stopped before the first
reminder falls due and started again a little later, or to a local HTTP server that answers like GOV.UK
Notify: a rate limit, then a server error, then success; and for a template Notify does not know, its
400. A temporary failure leaves the notice queued in the outbox and retried; it is delivered once when the
server answers again. A permanent one is recorded as failed, never retried, and noted in the chronology;
the process carries on and its next alarm goes out.
"""

from __future__ import annotations

import asyncio
from datetime import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from activities.govuk_notify import GovukNotifyChannel
from safeguarding.schema import chronology, notification_outbox
from safeguarding.working_days import add_working_days, at_local_time, subtract_working_days
from tests.faults.counts import message_ids
from tests.fixtures.notify import API_KEY, FakeNotify, error
from tests.fixtures.smtp import StoppableSmtpServer
from tests.fixtures.temporal import Harness, running_harness
from tests.workflows.assessment_steps import allocate_and_see, start_assessment, status
from tests.workflows.time_control import next_weekday_at, skip_to

pytestmark = pytest.mark.faults

MONDAY = 0
WAIT = 60.0
"""Seconds to wait for a notice's next attempt: the notices' retries start 5 seconds apart (real time)."""
KNOWN = {
    "deadline_reminder": "7d0b1a6e-0000-4000-8000-000000000001",
    "deadline_escalation": "7d0b1a6e-0000-4000-8000-000000000003",
}
UNKNOWN_TO_NOTIFY = {"deadline_overdue": "7d0b1a6e-0000-4000-8000-0000000000ff"}
"""A template id configured here that the Notify service does not have: Notify answers 400."""


async def _assessment_due(harness: Harness) -> tuple[Any, Any]:
    """Start an assessment from a Monday referral, allocated and the child seen; return it and its deadline."""
    case = await harness.new_case()
    referral = next_weekday_at(await harness.env.get_current_time(), MONDAY, time(10, 0))
    await skip_to(harness.env, referral)
    handle = await start_assessment(harness, case, referral)
    await allocate_and_see(harness, handle)
    return handle, (await status(handle)).deadlines[0]


async def _notice(db: async_sessionmaker[AsyncSession], template: str, until: Any) -> dict[str, Any]:
    """Return the outbox row of the first notice of `template` once `until(row)` holds; fail after `WAIT`."""

    async def found() -> dict[str, Any]:
        while True:
            async with db() as session:
                row = (
                    (
                        await session.execute(
                            select(notification_outbox)
                            .where(notification_outbox.c.template == template)
                            .order_by(notification_outbox.c.id)
                            .limit(1)
                        )
                    )
                    .mappings()
                    .one_or_none()
                )
            if row is not None and until(row):
                return dict(row)
            await asyncio.sleep(0.2)

    return await asyncio.wait_for(found(), WAIT)


async def test_a_reminder_due_while_the_mail_server_is_down_waits_in_the_outbox_and_goes_once_when_it_returns(
    own_time_skipping_env: WorkflowEnvironment,
    db: async_sessionmaker[AsyncSession],
    stoppable_smtp: StoppableSmtpServer,
) -> None:
    async with running_harness(own_time_skipping_env, db, stoppable_smtp) as harness:
        _, deadline = await _assessment_due(harness)
        reminder_day = subtract_working_days(deadline.due_date, 5, harness.calendar)
        before = len(stoppable_smtp.messages)
        stoppable_smtp.stop()
        await skip_to(harness.env, at_local_time(reminder_day, time(12)))
        waiting = await _notice(db, "deadline_reminder", lambda row: row["attempts"] >= 2)
        stoppable_smtp.start()
        sent = await _notice(db, "deadline_reminder", lambda row: row["state"] == "sent")

    assert (waiting["state"], waiting["provider_reference"]) == ("queued", None)
    assert "unreachable" in waiting["last_error"]
    assert sent["attempts"] > waiting["attempts"]
    assert len(stoppable_smtp.messages) == before + 1
    assert message_ids(stoppable_smtp)[sent["provider_reference"]] == 1


async def test_notify_throttling_and_server_errors_are_retried_and_a_template_it_lacks_fails_once_and_is_noted(
    own_time_skipping_env: WorkflowEnvironment, db: async_sessionmaker[AsyncSession], smtp: Any, notify: FakeNotify
) -> None:
    notify.templates = set(KNOWN.values())
    channel = GovukNotifyChannel(API_KEY, notify.base_url, {**KNOWN, **UNKNOWN_TO_NOTIFY}, timeout=10)
    async with running_harness(own_time_skipping_env, db, smtp, channel=channel) as harness:
        handle, deadline = await _assessment_due(harness)
        notify.replies = [
            (
                429,
                error(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
            ),
            (500, error(500, "Exception", "Internal server error")),
        ]
        reminder_day = subtract_working_days(deadline.due_date, 5, harness.calendar)
        await skip_to(harness.env, at_local_time(reminder_day, time(12)))
        reminded = await _notice(db, "deadline_reminder", lambda row: row["state"] == "sent")
        escalation_day = add_working_days(deadline.due_date, 2, harness.calendar)
        await skip_to(harness.env, at_local_time(escalation_day, time(12)))
        overdue = await _notice(db, "deadline_overdue", lambda row: row["state"] == "failed")
        escalated = await _notice(db, "deadline_escalation", lambda row: row["state"] == "sent")
        async with db() as session:
            noted = (
                (
                    await session.execute(
                        select(chronology.c.summary).where(
                            chronology.c.workflow_id == handle.id, chronology.c.event == "notice.failed"
                        )
                    )
                )
                .scalars()
                .all()
            )

    statuses = [r["status"] for r in notify.requests if r["body"]["reference"] == reminded["notice_key"]]
    assert statuses == [429, 500, 201]
    assert (reminded["attempts"], notify.accepted(reminded["notice_key"])) == (3, 1)
    assert [r["status"] for r in notify.requests if r["body"]["reference"] == overdue["notice_key"]] == [400]
    assert (overdue["attempts"], "BadRequestError" in overdue["last_error"]) == (1, True)
    assert len(noted) == 1 and "deadline_overdue" in noted[0]
    assert notify.accepted(escalated["notice_key"]) == 1
    assert smtp.messages == []
