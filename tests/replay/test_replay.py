"""Replay the recorded histories of every process path against today's workflow code.

A change to a workflow that would break a running case (a command in a different order, a removed
timer, an activity renamed) makes its recorded history fail to replay here. Such a change goes behind
`workflow.patched`; the histories recorded before it move to `histories/released/<patch id>/`, where
they keep proving the old path, and `make histories` records the new one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from safeguarding.temporal import data_converter
from tests.fixtures.temporal import HISTORIES, TEST_KEYS
from workflows.registry import ALL_WORKFLOWS

RECORDED = sorted(HISTORIES.rglob("*.json"))
"""Today's recordings, plus those under `released/<patch id>/` kept for cases started before a patch."""
PROCESSES = {
    "front-door",
    "assessment",
    "joint-visit",
    "strategy-discussion",
    "s47-enquiry",
    "initial-conference",
    "cp-plan",
    "disagreement",
    "lado",
    "fgc",
}


def test_every_process_has_recorded_histories() -> None:
    recorded = {path.stem.split("__")[1] for path in HISTORIES.glob("*.json")}
    assert recorded >= PROCESSES, f"no recorded history for {sorted(PROCESSES - recorded)}: run `make histories`"


@pytest.mark.parametrize("path", RECORDED, ids=[str(p.relative_to(HISTORIES)) for p in RECORDED])
async def test_recorded_history_replays(path: Path) -> None:
    # A realistic workflow id (the workflows pass their id on, and ids are short): `<process>-REF-REPLAY`.
    workflow_id = f"{path.stem.split('__')[1]}-REF-REPLAY"
    history = WorkflowHistory.from_json(workflow_id, await asyncio.to_thread(path.read_text))
    replayer = Replayer(workflows=ALL_WORKFLOWS, data_converter=data_converter(TEST_KEYS))
    await replayer.replay_workflow(history)
