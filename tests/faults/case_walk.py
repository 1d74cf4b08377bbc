"""One case walked from the front door through an assessment to child protection: an initial conference.

The people's decisions are Updates sent by the test, each under an Update id of its own, and sent again
with that id when the worker answering it died: Temporal then makes the decision once, as it does for a
person who clicks again (`safeguarding.service.worker_wait`). Each process hands off to the next as in
production (the front door starts the assessment, the assessment the strategy discussion, ...); the walk
only finds the next one and decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError

from safeguarding.cancellation import raise_if_cancelled
from safeguarding.codes import (
    AssessmentOutcome,
    ConferenceOutcome,
    ContactOutcome,
    EnquiryOutcome,
    Process,
    Role,
    StrategyOutcome,
)
from safeguarding.commands.assessment import Allocate, Authorise, RecordChildSeen, SubmitAssessment, assessment_id
from safeguarding.commands.conference import (
    DecideConference,
    RecordReportsShared,
    ScheduleConference,
    initial_conference_id,
)
from safeguarding.commands.front_door import DecideContact, FrontDoorInput, FrontDoorResult, front_door_id
from safeguarding.commands.strategy_discussion import (
    ConcludeEnquiry,
    DecideStrategy,
    RecordCirculated,
    RecordDiscussion,
    s47_enquiry_id,
)
from safeguarding.schema import process_records
from safeguarding.working_days import add_working_days, at_local_time, local_date
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.workflows.child_protection_steps import ALL_THREE, chair
from tests.workflows.time_control import last_working_day_at

T = TypeVar("T")

CONFERENCE_AHEAD = 10
"""Working days from today to the conference: within the 15 of rule `icpc`, and far enough ahead that the
reports' deadline (3 working days before it) and its reminders (5 and 1 working days before that) all fall
after the walk. Nearer, the reports' reminder is due the moment the conference is scheduled, and whether it
is sent before the social worker records the reports shared is a race each case runs differently."""

PATIENCE = timedelta(minutes=15)
"""How long one step may keep failing because the workers answering it die or are busy with hundreds of other
cases: a bound of its own, for a clear message, beyond which each test's own bound fails it anyway."""
PAUSE = 1.0
RETRIED = (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError, LookupError, DBAPIError, OSError)
"""What a call raises while the worker that should answer it is dead, the process it concerns not yet started,
or the case store the walk reads is down (the outage test's own reads meet the outage too)."""


async def persist(call: Callable[[], Awaitable[T]], what: str) -> T:
    """Return `call()`'s result, calling it again while it fails as a dead worker makes it fail."""
    deadline = asyncio.get_running_loop().time() + PATIENCE.total_seconds()
    while True:
        try:
            return await call()
        except RETRIED:
            raise_if_cancelled()  # the walk's bound ran out: the client said so as an Update timeout
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{what} kept failing for {PATIENCE}") from None
            await asyncio.sleep(PAUSE)


def process(harness: Harness, workflow_id: str) -> WorkflowHandle[Any, Any]:
    """Return the handle of a process; a decision sent before its hand-off has started it is sent again."""
    return harness.client.get_workflow_handle(workflow_id)


async def decide(handle: WorkflowHandle[Any, Any], name: str, command: Any) -> None:
    """Make the decision `name`, once, however often it must be sent.

    A decision that ends its process may have been made by a send whose answer was lost: sent again, it finds
    the process closed, which on this walk only that decision does.
    """

    async def send() -> None:
        try:
            await handle.execute_update(name, command, id=f"fault-walk:{name}")
        except RETRIED:
            if (await handle.describe()).status not in (None, WorkflowExecutionStatus.RUNNING):
                return
            raise

    await persist(send, f"{name} on {handle.id}")


async def closed(handle: WorkflowHandle[Any, Any]) -> None:
    """Wait for the process to finish (the server answers; no worker is needed)."""
    await persist(handle.result, f"the result of {handle.id}")


async def handed_to(harness: Harness, case: CaseIds, kind: Process) -> str:
    """Return the workflow id of the case's process of `kind`, once the hand-off has recorded it."""

    async def recorded() -> str:
        async with harness.sessionmaker() as session:
            found = await session.scalar(
                select(process_records.c.workflow_id).where(
                    process_records.c.case_id == case.case_id, process_records.c.process == kind.value
                )
            )
        if found is None:
            raise LookupError(f"no {kind.value} recorded for {case.reference} yet")
        return str(found)

    return await persist(recorded, f"the {kind.value} of {case.reference}")


async def start_front_door(harness: Harness, case: CaseIds, now: datetime) -> WorkflowHandle[Any, Any]:
    """Record a contact received in office hours on the last working day, and start the front door."""
    received = last_working_day_at(now, harness.calendar)
    contact = await harness.new_contact(case, received)
    return await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )


async def walk(harness: Harness, case: CaseIds, now: datetime) -> list[str]:
    """Walk `case` to its initial conference's decision (no plan); return the workflow ids of its processes."""
    manager, worker = harness.actor(Role.TEAM_MANAGER), harness.actor(Role.SOCIAL_WORKER)
    front_door = await start_front_door(harness, case, now)
    await decide(
        front_door,
        "decide_contact",
        DecideContact(actor=manager, outcome=ContactOutcome.ASSESSMENT, rationale="Bruising reported by school"),
    )
    await closed(front_door)

    assessment = process(harness, assessment_id(case.reference))
    await decide(assessment, "allocate", Allocate(actor=manager, social_worker_id=harness.team.social_worker_id))
    await decide(assessment, "record_child_seen", RecordChildSeen(actor=worker))
    await decide(
        assessment,
        "submit_assessment",
        SubmitAssessment(actor=worker, recommended_outcome=AssessmentOutcome.STRATEGY_DISCUSSION),
    )
    await decide(
        assessment,
        "authorise",
        Authorise(actor=manager, outcome=AssessmentOutcome.STRATEGY_DISCUSSION, rationale="Risk of harm"),
    )
    await closed(assessment)

    discussion = process(harness, await handed_to(harness, case, Process.STRATEGY_DISCUSSION))
    await decide(discussion, "record_discussion", RecordDiscussion(actor=manager, participants=ALL_THREE))
    await decide(
        discussion,
        "decide_strategy",
        DecideStrategy(
            actor=manager,
            outcome=StrategyOutcome.S47_SINGLE_AGENCY,
            rationale="Reasonable cause to suspect significant harm",
            tell_family="The family is told enquiries will be made with them",
        ),
    )
    await decide(discussion, "record_circulated", RecordCirculated(actor=manager))
    await closed(discussion)

    enquiry = process(harness, s47_enquiry_id(case.reference))
    await decide(
        enquiry,
        "conclude_enquiry",
        ConcludeEnquiry(actor=manager, outcome=EnquiryOutcome.SUBSTANTIATED, rationale="Joint visit findings"),
    )
    await closed(enquiry)

    conference = process(harness, initial_conference_id(case.reference))
    day = add_working_days(local_date(now), CONFERENCE_AHEAD, harness.calendar)
    conference_at = at_local_time(day, now.time().replace(microsecond=0))
    await decide(conference, "schedule_conference", ScheduleConference(actor=manager, conference_at=conference_at))
    await decide(conference, "record_reports_shared", RecordReportsShared(actor=worker))
    await decide(
        conference,
        "decide_conference",
        DecideConference(actor=chair(), outcome=ConferenceOutcome.NO_PLAN, rationale="Consensus: risk now managed"),
    )
    await closed(conference)
    return [handle.id for handle in (front_door, assessment, discussion, enquiry, conference)]
