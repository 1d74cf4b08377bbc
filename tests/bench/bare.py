"""The baseline: a trivial workflow with the shape of a process, and nothing of ours in it.

It runs a few small activities, takes one update and answers a `status` query, like a process does, but
with plain dataclasses and no case store, calendar or notices. Run on a client with the default
converter it is bare Temporal; run on a client with our converter and codec it shows what they cost.
This module is loaded into the workflow sandbox: it imports nothing but temporalio.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import SearchAttributeKey


@dataclass(frozen=True)
class TrivialInput:
    activities: int
    note: str = "bench"


@dataclass(frozen=True)
class Step:
    index: int
    note: str


@dataclass(frozen=True)
class Approval:
    approved_by: str


@dataclass(frozen=True)
class TrivialStatus:
    steps_done: int
    approved_by: str | None


@activity.defn(name="bench_step")
async def step(item: Step) -> Step:
    """Return the step it was given: the smallest activity that still crosses the converter twice."""
    return item


@workflow.defn(name="BenchTrivial")
class TrivialWorkflow:
    """Run `activities` small activities, then wait for one `approve` update and return the status."""

    @workflow.init
    def __init__(self, input: TrivialInput) -> None:
        # Built here, so an update that arrives before run() starts finds its state.
        self.steps_done = 0
        self.approved_by: str | None = None

    @workflow.run
    async def run(self, input: TrivialInput) -> TrivialStatus:
        """Take the steps, wait for the approval, return what happened."""
        for index in range(input.activities):
            await workflow.execute_activity(
                step, Step(index=index, note=input.note), start_to_close_timeout=timedelta(seconds=30)
            )
            self.steps_done += 1
        await workflow.wait_condition(lambda: self.approved_by is not None)
        return self.status()

    @workflow.update(name="approve")
    async def approve(self, approval: Approval) -> TrivialStatus:
        """Record the approval and return the status at that moment."""
        self.approved_by = approval.approved_by
        return self.status()

    @workflow.query(name="status")
    def status(self) -> TrivialStatus:
        """Return the steps taken and who approved."""
        return TrivialStatus(steps_done=self.steps_done, approved_by=self.approved_by)


@dataclass(frozen=True)
class ProcessShape:
    """How much Temporal work one process does: activities run, Updates taken and timers started."""

    activities: int
    updates: int
    timers: int


@dataclass(frozen=True)
class Nudge:
    """One Update to the bare process: a person's step, with nothing to check."""

    index: int


REMINDER = timedelta(days=30)
"""A timer as long as a reminder's: started and cancelled by the end, never fired, as our reminders are."""


@workflow.defn(name="BenchBareProcess")
class BareProcess:
    """A process of a given shape and nothing else: its activities, Updates and timers spread over its steps.

    The run takes the first share of the activities and timers; each `step` Update the next share; the
    run then waits for the last Update and cancels its timers, as a process cancels its reminders.
    """

    @workflow.init
    def __init__(self, shape: ProcessShape) -> None:
        self.shape = shape
        self.steps_taken = 0
        self.timers: list[asyncio.Task[None]] = []

    @workflow.run
    async def run(self, shape: ProcessShape) -> int:
        """Take the first share of the work, wait for every step, cancel the timers; return the steps taken."""
        await self._share(0)
        await workflow.wait_condition(lambda: self.steps_taken == shape.updates)
        for timer in self.timers:
            timer.cancel()
        return self.steps_taken

    @workflow.update(name="step")
    async def step(self, nudge: Nudge) -> int:
        """Take this step's share of the work; return the steps taken so far."""
        await self._share(nudge.index + 1)
        self.steps_taken += 1
        return self.steps_taken

    async def _share(self, part: int) -> None:
        """Start part `part` (of updates + 1) of the timers and run that part of the activities."""
        for _ in range(_part(self.shape.timers, part, self.shape.updates + 1)):
            self.timers.append(asyncio.create_task(asyncio.sleep(REMINDER.total_seconds())))
        for index in range(_part(self.shape.activities, part, self.shape.updates + 1)):
            await workflow.execute_activity(
                step, Step(index=index, note="bench"), start_to_close_timeout=timedelta(seconds=30)
            )


def _part(total: int, part: int, parts: int) -> int:
    """Return part `part` of `total` split into `parts` near-equal parts (the first ones take the remainder)."""
    return total // parts + (1 if part < total % parts else 0)


STAGE = SearchAttributeKey.for_keyword("CaseStage")
"""The product's stage attribute, named here rather than imported, so this module loads nothing of ours."""


@dataclass(frozen=True)
class Steps:
    """How many steps (an activity each) to take, and what to do before each: upsert a stage, meet a patch."""

    count: int
    upsert: bool = False
    patch: bool = False


@workflow.defn(name="BenchSteps")
class StepsWorkflow:
    """Take `count` steps; before each, upsert the stage or meet a new patch if told to (`tests.bench.step_costs`)."""

    @workflow.run
    async def run(self, steps: Steps) -> int:
        for index in range(steps.count):
            if steps.upsert:
                workflow.upsert_search_attributes([STAGE.value_set(f"stage-{index}")])
            if steps.patch:
                workflow.patched(f"bench-step-{index}")
            await workflow.execute_activity(
                step, Step(index=index, note="bench"), start_to_close_timeout=timedelta(seconds=30)
            )
        return steps.count
