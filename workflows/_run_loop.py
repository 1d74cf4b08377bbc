"""The run loop of a long-running process: run until finished, or continue as new when it is due and safe.

A process that runs for months or years (the assessment, the child protection plan, the LADO process)
continues as new when Temporal suggests it (its history is growing long) or at its own moment (the plan,
at each review). It does so only when nothing is half done, because whatever is under way when a run ends
is cut off, and what the process has already counted as done travels with the next run:
- no notice in flight: an alarm is marked sent before its notice goes (statutory-rules.md §1: each reminder
  is sent once), so a run ending mid-send would lose the reminder, and the next run would not repeat it;
- no hand-off under way and no write to the case store under way;
- every Update handler finished, and nothing the process itself says must finish first (`busy`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel
from temporalio import workflow

if TYPE_CHECKING:
    from workflows._process import ProcessWorkflow


def continue_as_new_suggested() -> bool:
    """Return whether Temporal suggests continuing as new (the history is growing long)."""
    return workflow.info().is_continue_as_new_suggested()


def _never_busy() -> bool:
    return False


async def run_or_continue_as_new(
    process: ProcessWorkflow,
    *,
    finished: Callable[[], bool],
    carry: Callable[[], BaseModel],
    due: Callable[[], bool] = continue_as_new_suggested,
    busy: Callable[[], bool] = _never_busy,
    guarded_since: str | None = None,
) -> None:
    """Return once `finished()`; before that, continue as new with `carry()` when `due()` and it is safe.

    `guarded_since` names the patch from which a process waits for its notices, hand-offs and writes to
    finish before continuing as new; a run recorded before it continued as new without waiting for them.
    """
    guarded = guarded_since is None

    def quiet() -> bool:
        return process.notices.in_flight == 0 and process.hand_offs.under_way == 0 and not process.case_record.writing

    def ready() -> bool:
        return workflow.all_handlers_finished() and not busy() and (quiet() or not guarded)

    while True:
        await workflow.wait_condition(lambda: finished() or (due() and ready()))
        if finished():
            return
        if guarded or quiet():
            workflow.continue_as_new(carry())
        # Something is under way in a process that used not to wait. Asked only now, the patch marks only
        # the runs that meet this moment; a run recorded before it went on regardless, and replays so.
        assert guarded_since is not None
        if not workflow.patched(guarded_since):
            workflow.continue_as_new(carry())
        guarded = True
