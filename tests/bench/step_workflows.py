"""The probe of what one search-attribute upsert and one patch cost: a workflow of plain steps, with either.

Loaded into the workflow sandbox: it imports nothing but temporalio (the attribute is the product's
`CaseStage`, named here rather than imported, so the bare worker's sandbox loads nothing of ours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import SearchAttributeKey

STAGE = SearchAttributeKey.for_keyword("CaseStage")


@dataclass(frozen=True)
class Steps:
    """How many steps (an activity each) to take, and what to do before each: upsert a stage, meet a patch."""

    count: int
    upsert: bool = False
    patch: bool = False


@activity.defn(name="bench_plain_step")
async def plain_step(index: int) -> int:
    """Return the step's index: the smallest activity, so that what comes before it is what differs."""
    return index


@workflow.defn(name="BenchSteps")
class StepsWorkflow:
    """Take `count` steps; before each, upsert the stage or meet a new patch if told to."""

    @workflow.run
    async def run(self, steps: Steps) -> int:
        for index in range(steps.count):
            if steps.upsert:
                workflow.upsert_search_attributes([STAGE.value_set(f"stage-{index}")])
            if steps.patch:
                workflow.patched(f"bench-step-{index}")
            await workflow.execute_activity(plain_step, index, start_to_close_timeout=timedelta(seconds=30))
        return steps.count
