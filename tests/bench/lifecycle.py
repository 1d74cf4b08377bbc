"""Full assessment lifecycles per second, ours against bare Temporal doing the same amount of Temporal work.

Ours: a contact through the front door (consent, then the manager's decision to assess), the assessment the
front door hands off to (allocation, the child seen), its joint visit with the health visitor (five steps),
then submission and the manager's authorisation, with the real activities, case store, notices and
reminders. The child is two, so the assessment starts its joint visit (statutory-rules.md §3).

Bare: `tests.bench.bare.BareProcess`, one per process of ours, each of the shape that process had — the
activities it ran, the Updates it took and the timers it started, counted from its history in this run —
driven the same way, one process after the other. So what the ratio shows is what our code costs over the
Temporal work a lifecycle needs, not the work itself.

Each phase runs `count` lifecycles, `concurrency` at a time, bare and ours taking turns; a rate is lifecycles
finished per second of the phases' wall time. Cases and contacts are written before a phase's clock starts.

Each phase also counts the processor time it took, by process (`tests.bench.cpu`): this one (the drivers and
the workers, as `make bench` runs them in one process), the Temporal dev server, and PostgreSQL. Where the
machine is not saturated, or other work shares it, the rates say less than this: per lifecycle, which process
does how much more for ours than for bare.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import AssessmentOutcome, ConsentState, ContactOutcome, Role
from safeguarding.commands.assessment import (
    Allocate,
    Authorise,
    DebriefAction,
    JointVisitStage,
    RecordBackgroundReview,
    RecordChildSeen,
    RecordDebrief,
    RecordFamilyTold,
    RecordPreMeet,
    RecordVisit,
    SubmitAssessment,
    assessment_id,
    joint_visit_id,
)
from safeguarding.commands.front_door import DecideContact, FrontDoorInput, FrontDoorResult, RecordConsent
from safeguarding.models import DecisionRecord, ProcessStatus
from tests.bench.bare import BareProcess, Nudge, ProcessShape
from tests.bench.cpu import NO_CPU, Cpu, cpu_by_process
from tests.bench.scenarios import Rig, new_contact

TODDLER = timedelta(days=2 * 365)
"""The child's age: under five, so the assessment visits jointly with the health visitor."""
POLL_SECONDS = 0.1
"""How often a driver looks whether the next process has started: a person would not be quicker."""
SETTLE_SECONDS = 120
"""How long a lifecycle may wait for a process to start or a step to land: a hang guard only."""
COUNTED = {
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: "activities",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: "updates",
    EventType.EVENT_TYPE_TIMER_STARTED: "timers",
}


@dataclass(frozen=True)
class Rates:
    """Lifecycles per second, bare and ours, the processor time each kind took, and the bare shape."""

    bare_per_s: float
    ours_per_s: float
    shapes: list[ProcessShape]
    lifecycles: int
    """How many of each kind the rates and processor times are over."""
    bare_cpu: Cpu
    ours_cpu: Cpu

    @property
    def ratio(self) -> float:
        """How many times slower ours is than bare: the bare rate divided by ours."""
        return self.bare_per_s / self.ours_per_s

    def lines(self) -> list[str]:
        total = ProcessShape(*(sum(getattr(s, f) for s in self.shapes) for f in ("activities", "updates", "timers")))
        return [
            f"bare_lifecycle_per_s={self.bare_per_s:.3g}",
            f"lifecycle_per_s={self.ours_per_s:.3g}",
            f"lifecycle_ratio={self.ratio:.2f}",
            f"lifecycle_processes={len(self.shapes)}",
            f"lifecycle_activities={total.activities}",
            f"lifecycle_updates={total.updates}",
            f"lifecycle_timers={total.timers}",
            *(
                f"{prefix}lifecycle_cpu_ms_{f.name}={1000 * getattr(cpu, f.name) / self.lifecycles:.4g}"
                for prefix, cpu in (("bare_", self.bare_cpu), ("", self.ours_cpu))
                for f in fields(cpu)
            ),
            f"lifecycle_cpu_ratio={self.ours_cpu.total / self.bare_cpu.total:.2f}",
        ]


async def rates(rig: Rig, bare_queue: str, *, rounds: int, count: int, concurrency: int) -> Rates:
    """Run one untimed lifecycle to learn its shape, then `rounds` phases of each; return the rates."""
    shapes = await _shape(rig, await our_lifecycle(rig, await _contact(rig)))
    bare_s = ours_s = 0.0
    bare_cpu = ours_cpu = NO_CPU
    for _ in range(rounds):
        before = cpu_by_process()
        bare_s += await _phase([lambda: bare_lifecycle(rig, bare_queue, shapes) for _ in range(count)], concurrency)
        bare_cpu += Cpu.since(before)
        contacts = [await _contact(rig) for _ in range(count)]
        before = cpu_by_process()
        ours_s += await _phase([_ours(rig, contact) for contact in contacts], concurrency)
        ours_cpu += Cpu.since(before)
    lifecycles = rounds * count
    return Rates(
        bare_per_s=lifecycles / bare_s,
        ours_per_s=lifecycles / ours_s,
        shapes=shapes,
        lifecycles=lifecycles,
        bare_cpu=bare_cpu,
        ours_cpu=ours_cpu,
    )


async def our_lifecycle(rig: Rig, contact: tuple[FrontDoorInput, str]) -> list[str]:
    """Drive one contact to its authorised assessment; return the workflow ids of its processes."""
    front_door_input, front_door = contact
    reference = front_door_input.context.case_reference
    manager = rig.actor(Role.TEAM_MANAGER, rig.team.team_manager_id)
    worker = rig.actor(Role.SOCIAL_WORKER, rig.team.social_worker_id)
    nurse = rig.actor(Role.HEALTH_VISITOR, rig.team.health_visitor_id)
    handle = await rig.ours.start_workflow(
        "FrontDoor", front_door_input, id=front_door, task_queue=rig.front_door_queue, result_type=FrontDoorResult
    )
    await handle.execute_update("record_consent", RecordConsent(actor=worker, consent=ConsentState.GIVEN))
    await handle.execute_update(
        "decide_contact", DecideContact(actor=manager, outcome=ContactOutcome.ASSESSMENT, rationale="Assess.")
    )
    await handle.result()

    assessment = rig.ours.get_workflow_handle(assessment_id(reference), result_type=DecisionRecord)
    await _when_started(assessment)
    await assessment.execute_update("allocate", Allocate(actor=manager, social_worker_id=worker.practitioner_id))
    await assessment.execute_update("record_child_seen", RecordChildSeen(actor=worker))

    visit = rig.ours.get_workflow_handle(joint_visit_id(reference))
    await _when_started(visit)
    await visit.execute_update("record_family_told", RecordFamilyTold(actor=worker))
    await visit.execute_update("record_background_review", RecordBackgroundReview(actor=nurse))
    await visit.execute_update(
        "record_pre_meet",
        RecordPreMeet(
            actor=worker,
            health_practitioner_id=nurse.practitioner_id,
            social_worker_knows_family=True,
            health_practitioner_knows_family=False,
        ),
    )
    await visit.execute_update(
        "record_visit", RecordVisit(actor=nurse, consent_explained=True, information_sharing_consent=ConsentState.GIVEN)
    )
    await visit.execute_update(
        "record_debrief",
        RecordDebrief(
            actor=worker, actions=(DebriefAction(description="Visit the nursery", owner_id=worker.practitioner_id),)
        ),
    )
    await visit.result()
    await _when(lambda: _joint_visit_done(assessment))
    await assessment.execute_update(
        "submit_assessment", SubmitAssessment(actor=worker, recommended_outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    )
    await assessment.execute_update(
        "authorise",
        Authorise(
            actor=manager,
            outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN,
            rationale="Support the family.",
            family_consents_to_health_lead=False,
        ),
    )
    await assessment.result()
    return [front_door, assessment.id, visit.id]


async def bare_lifecycle(rig: Rig, task_queue: str, shapes: list[ProcessShape]) -> None:
    """Drive one bare process per shape, one after the other, each through its Updates to its result."""
    for shape in shapes:
        handle = await rig.bare.start_workflow(
            BareProcess.run, shape, id=f"bench-bare-{uuid.uuid4()}", task_queue=task_queue
        )
        for index in range(shape.updates):
            await handle.execute_update("step", Nudge(index=index), result_type=int)
        await handle.result()


async def _shape(rig: Rig, workflow_ids: list[str]) -> list[ProcessShape]:
    """Count each process's activities, Updates and timers in its history."""
    shapes = []
    for workflow_id in workflow_ids:
        counts = dict.fromkeys(COUNTED.values(), 0)
        async for event in rig.ours.get_workflow_handle(workflow_id).fetch_history_events():
            if (kind := COUNTED.get(event.event_type)) is not None:
                counts[kind] += 1
        shapes.append(ProcessShape(**counts))
    return shapes


async def _contact(rig: Rig) -> tuple[FrontDoorInput, str]:
    today = date.today()
    return await new_contact(rig, date_of_birth=today - TODDLER)


def _ours(rig: Rig, contact: tuple[FrontDoorInput, str]) -> Callable[[], Awaitable[object]]:
    return lambda: our_lifecycle(rig, contact)


async def _phase(lifecycles: list[Callable[[], Awaitable[object]]], concurrency: int) -> float:
    """Run the lifecycles, `concurrency` at a time; return the seconds from the first start to the last end."""
    gate = asyncio.Semaphore(concurrency)

    async def one(lifecycle: Callable[[], Awaitable[object]]) -> None:
        async with gate:
            await lifecycle()

    started = time.perf_counter()
    await asyncio.gather(*(one(lifecycle) for lifecycle in lifecycles))
    return time.perf_counter() - started


async def _when_started(handle: WorkflowHandle) -> None:
    async def started() -> bool:
        try:
            await handle.describe()
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            return False
        return True

    await _when(started)


async def _joint_visit_done(assessment: WorkflowHandle) -> bool:
    status = await assessment.query("status", result_type=ProcessStatus)
    return getattr(status.facts, "joint_visit", None) == JointVisitStage.DONE


async def _when(check: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(SETTLE_SECONDS):
        while True:
            if await check():
                return
            await asyncio.sleep(POLL_SECONDS)
