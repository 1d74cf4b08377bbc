"""Hand-offs: a process starts the next one (or joins it if it is already under way), or records a plan.

A process started this way is independent of the one that started it, not its child: a plan outlives the
conference that made it by years, and the time-skipping test server stops its clock for good once an
abandoned child outlives its parent (temporalio/sdk-typescript#1101). Runs recorded before this change
started abandoned children, and replay that way. Nothing here knows which process is started: the caller
passes its workflow type, input and id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel
from temporalio import workflow
from temporalio.exceptions import ActivityError, WorkflowAlreadyStartedError

from safeguarding.activity_names import ActivityName
from safeguarding.codes import HandOffState, PlanKind, Process
from safeguarding.models import HandOff, ProcessContext, ProcessIdRequest, ProcessStart, ProcessStarted
from safeguarding.plans import PlanStart, PlanStarted
from safeguarding.process_state import ProcessCore
from safeguarding.working_days import local_date
from workflows._activity_options import ACTIVITY_TIMEOUT, STORE_RETRY

HAND_OFF_BY_ACTIVITY = "hand-off-by-activity"
"""Patch: hand-offs start independent workflows through an activity; runs recorded before it started children."""

FRESH_PROCESS_IDS = "fresh-process-ids"
"""Patch: a process started on a case whose earlier one of its kind has finished takes a new id of its own
(`store.process_ids`), so it never overwrites that one's record; runs recorded before it reused the case's id."""


class HandOffs:
    """Start other processes and plans on behalf of one process, noting each in its chronology."""

    def __init__(self, context: ProcessContext, core: ProcessCore, note: Callable[..., None]) -> None:
        self.context = context
        self.core = core
        self._note = note
        self.under_way = 0
        """Hand-offs whose start has not yet been confirmed: a run never continues as new in the middle of one."""

    async def start_process(self, workflow_type: str, arg: BaseModel, workflow_id: str) -> bool:
        """Start another process under its fixed id; return False if it was already running (joined)."""
        self.under_way += 1
        try:
            return await self._start(workflow_type, arg, workflow_id)
        finally:
            self.under_way -= 1

    async def _start(self, workflow_type: str, arg: BaseModel, workflow_id: str) -> bool:
        if not workflow.patched(HAND_OFF_BY_ACTIVITY):
            try:
                await workflow.start_child_workflow(
                    workflow_type, arg, id=workflow_id, parent_close_policy=workflow.ParentClosePolicy.ABANDON
                )
            except WorkflowAlreadyStartedError:
                return False
            return True
        request = ProcessStart(
            workflow=workflow_type,
            workflow_id=workflow_id,
            input=arg.model_dump(mode="json"),
            started_by=workflow.info().workflow_id,
        )
        started = await workflow.execute_activity(
            ActivityName.START_PROCESS,
            request,
            result_type=ProcessStarted,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )
        return started.started

    async def process_id(self, process: Process, first_id: str) -> str:
        """Return the id the case's `process` runs under: the open one's, or a new one if its last has finished.

        `first_id` is the id the case's first one takes; runs recorded before the patch always used it.
        """
        if not workflow.patched(FRESH_PROCESS_IDS):
            return first_id
        request = ProcessIdRequest(case_id=self.context.case_id, process=process, first_id=first_id)
        return await workflow.execute_activity(
            ActivityName.PROCESS_ID_ON_CASE,
            request,
            result_type=str,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=STORE_RETRY,
        )

    async def hand_off(
        self, to_process: Process, reason: str, workflow_type: str, arg: BaseModel, workflow_id: str, *, what: str
    ) -> HandOff:
        """Start (or join) `to_process` for `reason`, note it as `what`, and keep it among the hand-offs."""
        if await self.start_process(workflow_type, arg, workflow_id):
            self._note("handoff.started", f"{what} started: {workflow_id}")
        else:
            self._note("handoff.joined", f"the {what} is already under way: {workflow_id}")
        hand_off = HandOff(to_process=to_process, reason=reason, state=HandOffState.STARTED, workflow_id=workflow_id)
        self.core.hand_offs.append(hand_off)
        return hand_off

    async def start_cin_plan(self, on: datetime) -> None:
        """Record a Child in Need plan for the child from `on` (§3); refused, and noted, while a CP plan is open."""
        refused = await self.record_cin_plan(on, workflow.info().workflow_id)
        if refused:
            self._note("plan.refused", f"CIN plan not started: {refused}")
            return
        self._note("plan.started", "Child in Need plan started", at=on)

    async def record_cin_plan(self, on: datetime, workflow_id: str) -> str | None:
        """Record a Child in Need plan from `on` under `workflow_id`'s process; return why the register refused it.

        The caller decides what a refusal means: noted by the process that made the plan, a refused
        resolution for a disagreement about a process that has finished.
        """
        request = PlanStart(
            case_id=self.context.case_id, workflow_id=workflow_id, kind=PlanKind.CIN, started_on=local_date(on)
        )
        try:
            await workflow.execute_activity(
                ActivityName.START_PLAN,
                request,
                result_type=PlanStarted,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=STORE_RETRY,
            )
        except ActivityError as err:
            return getattr(err.cause, "message", None) or err.message
        return None
