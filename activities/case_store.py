"""The case store as processes use it: record a process's state, read the coded facts about a case, and sweep
the idempotency records past their retention period.

Each method owns its transaction. Writes are keyed (see `safeguarding.store.processes`), so a retried or
replayed activity writes each fact once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from safeguarding.activity_names import ActivityName
from safeguarding.commands.assessment import AssessmentFindings
from safeguarding.housekeeping import IdempotencySweepRequest, IdempotencySweepResult
from safeguarding.models import CaseFacts, CaseFactsRequest, ProcessIdRequest, ProcessSnapshot, Recorded
from safeguarding.schema import cases as cases_table
from safeguarding.schema import chronology, deadlines, decisions, hand_offs, human_tasks, process_records
from safeguarding.store import cases
from safeguarding.store.assessment_findings import record_findings
from safeguarding.store.idempotency import sweep_records
from safeguarding.store.process_ids import process_id_on_case
from safeguarding.store.processes import apply_snapshot

CASE_KEYS = frozenset(
    str(key.name)
    for table in (process_records, human_tasks, deadlines, decisions, chronology, hand_offs)
    for key in table.foreign_key_constraints
    if key.referred_table is cases_table
)
"""The foreign keys to the case of the rows a record writes: one statement writes them all, and whichever
PostgreSQL checks first names an unknown case."""


class CaseStoreActivities:
    """Activities over the case store, built around the session factory the worker creates at start-up."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @activity.defn(name=ActivityName.RECORD_PROCESS)
    async def record_process(self, snapshot: ProcessSnapshot) -> Recorded:
        """Write the process's record, tasks, deadlines, decisions, chronology and hand-offs in one transaction.

        Idempotent: the same snapshot again changes nothing and reports no new chronology entries. An unknown
        case is found by the rows' foreign keys to it rather than by a read first. The write is one statement,
        atomic on its own, so it runs outside a transaction: no BEGIN and COMMIT to wait for.
        """
        try:
            async with self._sessionmaker() as session:
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                written = await apply_snapshot(snapshot, datetime.now(UTC), session=session)
        except IntegrityError as error:
            if _violated_constraint(error) in CASE_KEYS:
                raise unknown_case(snapshot.case_id) from None
            raise
        return Recorded(workflow_id=snapshot.workflow_id, chronology_written=written)

    @activity.defn(name=ActivityName.GET_CASE_FACTS)
    async def get_case_facts(self, request: CaseFactsRequest) -> CaseFacts:
        """Return the coded facts a process needs about a case (its age band on `request.on`, never the DOB)."""
        async with self._sessionmaker.begin() as session:
            try:
                facts = await cases.get_case_facts(request.case_id, request.on, session=session)
            except ValueError as error:
                # Retrying cannot supply a date of birth: someone must record one on the case.
                raise ApplicationError(
                    f"case {request.case_id}: {error}", type="MissingDateOfBirth", non_retryable=True
                ) from error
        if facts is None:
            raise unknown_case(request.case_id)
        return facts

    @activity.defn(name=ActivityName.PROCESS_ID_ON_CASE)
    async def process_id_on_case(self, request: ProcessIdRequest) -> str:
        """Return the id the process handed off to takes: the case's open one's, or a new one never used.

        Idempotent until the process it names is started; a retry after that start returns the same id (the
        started process is open, or not yet recorded).
        """
        async with self._sessionmaker.begin() as session:
            if await cases.get_case(request.case_id, session=session) is None:
                raise unknown_case(request.case_id)
            return await process_id_on_case(request.case_id, request.process, request.first_id, session=session)

    @activity.defn(name=ActivityName.RECORD_ASSESSMENT_FINDINGS)
    async def record_assessment_findings(self, findings: AssessmentFindings) -> None:
        """Record what the authorised assessment found (census, §9); recorded once, so a retry changes nothing."""
        async with self._sessionmaker.begin() as session:
            if await cases.get_case(findings.case_id, session=session) is None:
                raise unknown_case(findings.case_id)
            await record_findings(
                findings.workflow_id,
                case_id=findings.case_id,
                primary_need=str(findings.primary_need),
                factors=[str(factor) for factor in findings.factors],
                session=session,
            )

    @activity.defn(name=ActivityName.SWEEP_IDEMPOTENCY_RECORDS)
    async def sweep_idempotency_records(self, request: IdempotencySweepRequest) -> IdempotencySweepResult:
        """Delete the idempotency records older than the retention period, a committed batch at a time.

        Idempotent: a retry deletes what is still too old, which a first attempt may have left. Each batch
        heartbeats the count so far, so a worker lost mid-sweep is noticed within the heartbeat timeout.
        """
        older_than = timedelta(days=request.retention_days)
        deleted = batches = 0
        while True:
            async with self._sessionmaker.begin() as session:
                swept = await sweep_records(older_than=older_than, batch_size=request.batch_size, session=session)
            deleted, batches = deleted + swept, batches + 1
            activity.heartbeat(deleted)
            if swept < request.batch_size:
                return IdempotencySweepResult(deleted=deleted, batches=batches)


def _violated_constraint(error: IntegrityError) -> str | None:
    """Return the name of the constraint the driver reports violated (asyncpg's error, behind SQLAlchemy's)."""
    driver_error = error.orig.__cause__ if error.orig is not None else None
    return getattr(driver_error, "constraint_name", None)


def unknown_case(case_id: str) -> ApplicationError:
    """Return the error for a case id the store does not hold; retrying would not make it appear."""
    return ApplicationError(f"unknown case {case_id}", type="UnknownCase", non_retryable=True)
