"""The baseline: a trivial workflow with the shape of a process, and nothing of ours in it.

It runs a few small activities, takes one update and answers a `status` query, like a process does, but
with plain dataclasses and no case store, calendar or notices. Run on a client with the default
converter it is bare Temporal; run on a client with our converter and codec it shows what they cost.
This module is loaded into the workflow sandbox: it imports nothing but temporalio.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow


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
