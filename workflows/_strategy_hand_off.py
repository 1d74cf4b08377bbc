"""Starting a strategy discussion from another process (statutory-rules.md §4).

Kept apart from the shared components so that none of them imports a specific process: the processes
that start a discussion (the front door, the assessment, a disagreement's resolution) import this.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from temporalio import workflow

from safeguarding.codes import Process, StrategyReason
from safeguarding.commands.strategy_discussion import StrategyDiscussionInput, strategy_discussion_id
from safeguarding.models import HandOff, ProcessContext

if TYPE_CHECKING:
    from workflows._process import ProcessWorkflow


async def start_strategy_discussion(
    process: ProcessWorkflow, reason: StrategyReason, concerns_at: datetime, *, context: ProcessContext | None = None
) -> HandOff:
    """Start a strategy discussion about `process`'s child (or, with `context`, another child's).

    One already started for the same concerns is joined, not duplicated. The discussion counts its days on
    the calendar the starting process has (a bank holiday announced since it began included).
    """
    about = (context or process.context).model_copy(update={"calendar": process.core.calendar})
    discussion_id = strategy_discussion_id(about.case_reference, concerns_at)
    discussion = StrategyDiscussionInput(
        context=about, concerns_at=concerns_at, reason=reason, source_workflow_id=workflow.info().workflow_id
    )
    return await process.hand_offs.hand_off(
        Process.STRATEGY_DISCUSSION,
        str(reason),
        "StrategyDiscussion",
        discussion,
        discussion_id,
        what="strategy discussion",
    )
