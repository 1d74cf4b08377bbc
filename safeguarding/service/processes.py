"""Which process a workflow id names, whose team's work it is, and where it stands.

A process writes its record to the case store as it runs (`process_records`), so who may act on it or read
it is settled there, without asking Temporal. A process started a moment ago may not have written it yet:
then the process's own `status` query says which case it is about, and the case says whose team's it is.
The query goes to the worker, which is never waited on for ever (`safeguarding.service.worker_wait`).
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import Process
from safeguarding.models import ProcessStatus
from safeguarding.service.errors import NotFound
from safeguarding.service.root import Services
from safeguarding.service.temporal_outages import read_or_unavailable
from safeguarding.service.worker_wait import answered, require_worker
from safeguarding.store.cases import get_case
from safeguarding.store.process_records import get_process_record


@dataclass(frozen=True)
class ProcessOfCase:
    """A process by its workflow id: what it is, and the team whose work it is."""

    workflow_id: str
    process: Process
    team_id: str


async def process_on_record(services: Services, workflow_id: str) -> ProcessOfCase | None:
    """Return the process as the case store records it, or None when it has written no record (yet)."""
    async with services.sessions() as session:
        record = await get_process_record(workflow_id, session=session)
    if record is None:
        return None
    return ProcessOfCase(
        workflow_id=workflow_id,
        process=Process(record["process"]),
        team_id=record["team_id"],
    )


async def find_process(services: Services, workflow_id: str, *, unsent: str = "") -> ProcessOfCase:
    """Return the process `workflow_id`, from its record, else from its `status` query and its case.

    `unsent` says what did not happen when no worker answers the query (a decision: "Nothing was sent.").
    """
    found = await process_on_record(services, workflow_id)
    if found is not None:
        return found
    status = await query_status(services, workflow_id, unsent=unsent)
    return await process_of_status(services, status)


async def process_of_status(services: Services, status: ProcessStatus) -> ProcessOfCase:
    """Return the process a `status` answer describes: its team is its case's."""
    async with services.sessions() as session:
        case = await get_case(status.case_id, session=session)
    if case is None:
        raise NotFound(f"{status.workflow_id} concerns no case the case store holds")
    return ProcessOfCase(
        workflow_id=status.workflow_id,
        process=status.process,
        team_id=case["team_id"],
    )


async def query_status(services: Services, workflow_id: str, *, unsent: str = "") -> ProcessStatus:
    """Return the answer of the process's `status` query; refuse an unknown workflow or one that is no process.

    Says at once when no worker polls the task queue, and gives up after `worker_wait_seconds`; Temporal not
    answering is asked again briefly, then `Unavailable`.
    """
    client = await services.temporal()

    async def ask() -> ProcessStatus:
        await _require_workflow(client, workflow_id)
        await require_worker(client, services.task_queue, unsent=unsent)
        query = client.get_workflow_handle(workflow_id).query("status", result_type=ProcessStatus)
        try:
            return await answered(
                query, client, services.task_queue, services.settings.worker_wait_seconds, unanswered=unsent
            )
        except WorkflowQueryFailedError as exc:
            raise NotFound(f"{workflow_id} did not answer the status query: {exc.message}") from None
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND:
                raise NotFound(f"no workflow {workflow_id!r}") from None
            raise

    return await read_or_unavailable(f"asking {workflow_id} for its status", ask)


async def _require_workflow(client: Client, workflow_id: str) -> None:
    """Refuse an id Temporal has no workflow for: unknown whether or not a worker is polling.

    Described raw: the SDK's `describe()` cannot decode the time-skipping server's datetime search attributes.
    """
    request = DescribeWorkflowExecutionRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
    )
    try:
        await client.workflow_service.describe_workflow_execution(request)
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            raise NotFound(f"no workflow {workflow_id!r}") from None
        raise
