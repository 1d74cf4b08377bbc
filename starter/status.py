"""`python -m starter status WORKFLOW_ID`: where a process stands, as JSON.

The process's own `status` query: process, case reference, stage, open human tasks, every deadline with
its rule id, due date, basis, state and the day it was met, the decisions made, and the facts of its kind
(`safeguarding.facts`: `facts.process` names the kind, a fact not known yet is null). Ids and codes only;
names stay in the case store. Dates and times are ISO 8601. With no worker polling the task queue it says so
at once and exits 1; it waits for an answer at most `SAFEGUARDING_WORKER_WAIT_SECONDS` (`starter.worker_wait`).
"""

from __future__ import annotations

import argparse

from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.config import Settings
from safeguarding.models import ProcessStatus
from safeguarding.temporal import connect
from starter.exits import Refused, finish
from starter.worker_wait import answered, require_worker


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `status` command."""
    parser = subparsers.add_parser("status", help="show where a process stands, as JSON", description=__doc__)
    parser.add_argument("workflow_id", metavar="WORKFLOW_ID", help="e.g. front-door-contact-1a2b3c4d5e6f")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the process's status."""
    return finish("status", status(args.workflow_id))


async def status(workflow_id: str) -> ProcessStatus:
    """Return the answer of the process's `status` query; refuse an unknown workflow or one that is no process."""
    settings = Settings()
    client = await connect(settings)
    await require_worker(client, settings.task_queue)
    handle = client.get_workflow_handle(workflow_id)
    query = handle.query("status", result_type=ProcessStatus)
    try:
        return await answered(query, client, settings.task_queue, settings.worker_wait_seconds)
    except WorkflowQueryFailedError as exc:
        raise Refused(f"{workflow_id} did not answer the status query: {exc.message}") from None
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise Refused(f"no workflow {workflow_id!r}") from None
        raise
