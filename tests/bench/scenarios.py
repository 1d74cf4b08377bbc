"""What is measured, each beside its baseline: one function per benchmark, returning samples in milliseconds.

The workflows run against the real servers of `tests.bench.parts`. A workflow sample is the wall time from
start to result as a client sees it; a query sample is one round trip; a function sample is the mean of a
batch of calls, since a single call is too short for the clock.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle

from safeguarding.codes import ConsentState, ContactOutcome, Role
from safeguarding.commands.front_door import (
    DecideContact,
    FrontDoorInput,
    FrontDoorResult,
    RecordConsent,
    front_door_id,
)
from safeguarding.deadlines import compute_due
from safeguarding.models import Actor, ProcessContext, ProcessStatus
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.working_days import LONDON, WorkingCalendar
from tests.bench.bare import Approval, TrivialInput, TrivialWorkflow
from tests.bench.report import timed_ms
from tests.factories import SeededTeam, create_case, create_contact
from tests.workflows.time_control import last_working_day_at

ACTIVITIES = 6
"""Activities in the trivial workflow: as many as a front door runs (four records, two letters to the referrer)."""

DUE_RULE = "icpc"
DUE_TRIGGER = datetime(2026, 12, 22, 10, 0, tzinfo=LONDON)
"""15 working days across Christmas and New Year: a count that has bank holidays to skip."""


@dataclass(frozen=True)
class Rig:
    """The clients, task queues and case store the workflow benchmarks share."""

    bare: Client
    ours: Client
    bare_queue: str
    ours_queue: str
    front_door_queue: str
    sessionmaker: async_sessionmaker[AsyncSession]
    team: SeededTeam
    profile: ProcedureProfile
    calendar: WorkingCalendar

    def actor(self, role: Role, practitioner_id: str) -> Actor:
        return Actor(practitioner_id=practitioner_id, role=role, team_id=self.team.team_id)


async def trivial_workflow(client: Client, task_queue: str) -> float:
    """Time the trivial workflow from start, through its update, to its result."""

    async def run() -> None:
        handle = await client.start_workflow(
            TrivialWorkflow.run, TrivialInput(activities=ACTIVITIES), id=f"bench-{uuid.uuid4()}", task_queue=task_queue
        )
        await handle.execute_update("approve", Approval(approved_by="bench"))
        await handle.result()

    return await timed_ms(run)


async def front_door(rig: Rig) -> float:
    """Time a contact from start, through consent and a no-further-action decision, to the result.

    The case and the contact are written to the case store before the clock starts.
    """
    handle_input, workflow_id = await new_contact(rig)

    async def run() -> None:
        handle = await rig.ours.start_workflow(
            "FrontDoor", handle_input, id=workflow_id, task_queue=rig.front_door_queue, result_type=FrontDoorResult
        )
        await handle.execute_update(
            "record_consent",
            RecordConsent(actor=rig.actor(Role.SOCIAL_WORKER, rig.team.social_worker_id), consent=ConsentState.GIVEN),
        )
        await handle.execute_update(
            "decide_contact",
            DecideContact(
                actor=rig.actor(Role.TEAM_MANAGER, rig.team.team_manager_id),
                outcome=ContactOutcome.NFA_ADVICE,
                rationale="Advice given to the referrer; no further action.",
            ),
        )
        await handle.result()

    return await timed_ms(run)


async def status_queries(rig: Rig, count: int) -> tuple[list[float], list[float]]:
    """Time `count` status queries of a waiting trivial workflow (bare) and of a waiting front door (ours).

    Interleaved, so both see the same conditions; each workflow answers one query first, untimed, so the
    samples are queries of a workflow already in the worker's cache.
    """
    bare = await rig.bare.start_workflow(
        TrivialWorkflow.run, TrivialInput(activities=0), id=f"bench-{uuid.uuid4()}", task_queue=rig.bare_queue
    )
    front_door_input, workflow_id = await new_contact(rig)
    ours = await rig.ours.start_workflow(
        "FrontDoor", front_door_input, id=workflow_id, task_queue=rig.front_door_queue, result_type=FrontDoorResult
    )
    handles: list[WorkflowHandle] = [bare, ours]
    try:
        await bare.query(TrivialWorkflow.status)
        await ours.query("status", result_type=ProcessStatus)
        bare_ms, ours_ms = [], []
        for _ in range(count):
            bare_ms.append(await timed_ms(lambda: bare.query(TrivialWorkflow.status)))
            ours_ms.append(await timed_ms(lambda: ours.query("status", result_type=ProcessStatus)))
        return bare_ms, ours_ms
    finally:
        for handle in handles:
            await handle.terminate(reason="benchmark finished")


def due_calls(
    profile: ProcedureProfile, calendar: WorkingCalendar, samples: int, batch: int
) -> tuple[list[float], list[float]]:
    """Time `compute_due` per call against a bare `date + timedelta`, each as the mean of `batch` calls."""
    trigger_day = DUE_TRIGGER.date()
    bare_ms, ours_ms = [], []
    for _ in range(samples):
        bare_ms.append(_per_call_ms(lambda: trigger_day + timedelta(days=21), batch))
        ours_ms.append(_per_call_ms(lambda: compute_due(profile, DUE_RULE, DUE_TRIGGER, calendar), batch))
    return bare_ms, ours_ms


def _per_call_ms(call: Callable[[], object], batch: int) -> float:
    started = time.perf_counter()
    for _ in range(batch):
        call()
    return (time.perf_counter() - started) * 1000 / batch


async def new_contact(rig: Rig, date_of_birth: date = date(2015, 3, 1)) -> tuple[FrontDoorInput, str]:
    """Write a case and a contact received in office hours on the last working day; return the process input."""
    received = last_working_day_at(datetime.now(LONDON), rig.calendar)
    async with rig.sessionmaker.begin() as session:
        case = await create_case(session, team_id=rig.team.team_id, date_of_birth=date_of_birth)
        contact = await create_contact(session, case_id=case.case_id, received_at=received)
    context = ProcessContext(
        case_id=case.case_id,
        case_reference=case.reference,
        team_id=case.team_id,
        profile=rig.profile,
        calendar=rig.calendar,
    )
    return FrontDoorInput(context=context, contact_id=contact, received_at=received), front_door_id(case.reference)
