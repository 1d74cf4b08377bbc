"""Notices a process sends: each once, keyed by workflow, with a count of those still on their way.

The count is what the run loop checks before continuing as new: an alarm is marked sent before its notice
goes, so a run must not end while such a notice is still in flight (statutory-rules.md §1: a reminder is
sent once).
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow
from temporalio.exceptions import ActivityError

from safeguarding.activity_names import ActivityName
from safeguarding.models import Notice, NoticeResult, ProcessContext, Recipient
from workflows._activity_options import ACTIVITY_TIMEOUT, NOTICE_GIVE_UP, NOTICE_RETRY


class Notices:
    """Send a process's notices through the `send_notice` activity; a permanent failure is noted, not fatal."""

    def __init__(self, context: ProcessContext, note: Callable[[str, str], None]) -> None:
        self.context = context
        self._note = note
        self.in_flight = 0

    async def send(self, key: str, template: str, recipient: Recipient, **fields: str) -> bool:
        """Send a notice once (keyed by workflow and `key`); return whether it was delivered."""
        workflow_id = workflow.info().workflow_id
        notice = Notice(
            key=f"{workflow_id}:{key}",
            template=template,
            recipient=recipient,
            case_id=self.context.case_id,
            workflow_id=workflow_id,
            fields={"case_reference": self.context.case_reference, "workflow_id": workflow_id, **fields},
        )
        self.in_flight += 1
        try:
            await workflow.execute_activity(
                ActivityName.SEND_NOTICE,
                notice,
                result_type=NoticeResult,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                schedule_to_close_timeout=NOTICE_GIVE_UP,
                retry_policy=NOTICE_RETRY,
            )
        except ActivityError as err:
            self._note(
                "notice.failed",
                f"{template} to {recipient.kind} {recipient.id} could not be sent: "
                f"{getattr(err.cause, 'message', err.message)}",
            )
            return False
        finally:
            self.in_flight -= 1
        return True
