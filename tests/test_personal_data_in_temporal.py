"""No personal data reaches Temporal or the logs: after the demo, a simulated caseload and a failing write.

The demo's six stories and a small simulated caseload run as `python -m starter demo` and `simulate` run
them (the same parts, stories and runner), and an activity writes a person's row that the case store
refuses. Before each time-skipping server stops, the Temporal CLI reads, without the codec, the raw history
of every process the case store knows (and of every child those started), with its search attributes and
memo. Every log record of the run is kept, traceback included (at INFO, as the worker logs, and DEBUG for
our modules). Nothing of it may hold a name, date of birth, address or postcode of anyone in the case
store's people table. (The dev server's own store, a file, is read in `test_personal_data_in_temporal_store.py`.)
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.worker import Worker

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.config import Settings
from safeguarding.embedded import temporal_binary
from safeguarding.procedure_profile import load_profile
from safeguarding.schema import people, process_records
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import generate
from safeguarding.simulation.lado_fgc import draw_allegations, draw_conferences
from safeguarding.simulation.national_rates import DFE_2024
from safeguarding.store.examples import seed_examples
from safeguarding.working_days import LONDON, at_local_time, next_working_day
from starter import demo, demo_parts
from starter.demo_walkthrough import Walkthrough, address_book
from starter.simulation_clock import SharedClock
from starter.simulation_run import drive
from tests.personal_data import found, personal_terms, readable_texts
from worker import worker_interceptors

ROOT = Path(__file__).resolve().parents[1]
FAILING_ROW = {
    "given_name": None,
    "family_name": "Pemberton-Quaile",
    "date_of_birth": date(2015, 6, 14),
    "address": "77 Lantern Close, Exampletown EX9 9ZZ",
}
FAILING_TERMS = {"Pemberton-Quaile", "2015-06-14", "77 Lantern Close", "EX9 9ZZ"}
"""The refused row never reaches the case store, so its values are looked for by name."""


@dataclass
class Seen:
    """What the run left for the reader: the CLI's raw reads of Temporal, every log line, and the terms."""

    temporal: list[str] = field(default_factory=list)
    workflows: set[str] = field(default_factory=set)
    logs: list[str] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)


class Keep(logging.Handler):
    """Keeps every record as the worker's log would print it, traceback included."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines = lines
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def _cli(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        str(temporal_binary()),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TEMPORAL_CONFIG_FILE": os.devnull},
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def read_everything_raw(clock: demo_parts.Clock, parts: demo_parts.Parts, seen: Seen) -> None:
    """Read, with the CLI and no codec, the history, search attributes and memo of every process on the server."""
    address = clock.env.client.service_client.config.target_host
    async with parts.sessionmaker() as session:
        pending = set(await session.scalars(select(process_records.c.workflow_id))) - seen.workflows
    while pending:
        workflow_id = pending.pop()
        seen.workflows.add(workflow_id)
        common = ("--workflow-id", workflow_id, "--address", address, "--output", "json")
        try:
            history = await _cli("workflow", "show", *common)
        except AssertionError as exc:
            if "not found" in str(exc).lower():
                continue  # a process of an earlier story, on an earlier server
            raise
        described = await _cli("workflow", "describe", *common)
        seen.temporal += [history, described]
        for event in json.loads(history)["events"]:
            child = event.get("startChildWorkflowExecutionInitiatedEventAttributes", {}).get("workflowId")
            if child and child not in seen.workflows:
                pending.add(child)


@dataclass
class RowWriter:
    """An activity over the run's case store, as the worker's activity classes are."""

    sessions: async_sessionmaker[AsyncSession]

    @activity.defn(name="write_a_refused_row")
    async def write_a_refused_row(self) -> None:
        """Write a person's row the case store refuses (no given name), as a faulty activity might."""
        async with self.sessions.begin() as session:
            await session.execute(insert(people).values(id=f"person-{uuid.uuid4().hex[:12]}", **FAILING_ROW))


@workflow.defn(sandboxed=False)
class WritesARow:
    """Runs `write_a_refused_row`: it fails, and is retried once."""

    @workflow.run
    async def run(self) -> None:
        await workflow.execute_activity(
            "write_a_refused_row",
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_attempts=2, initial_interval=timedelta(seconds=1)),
        )


async def failing_write(clock: demo_parts.Clock, parts: demo_parts.Parts) -> None:
    """Run the failing write on the clock's server, with the worker's interceptors, and wait for it to fail."""
    task_queue = f"failing-write-{uuid.uuid4().hex[:8]}"
    async with Worker(
        clock.env.client,
        task_queue=task_queue,
        workflows=[WritesARow],
        activities=[RowWriter(parts.sessionmaker).write_a_refused_row],
        interceptors=worker_interceptors([("no-update-is-sent", bytes(32))]),
    ):
        handle = await clock.env.client.start_workflow(WritesARow.run, id=task_queue, task_queue=task_queue)
        with pytest.raises(Exception, match="Workflow execution failed"):
            await handle.result()


@pytest.fixture(scope="module")
async def seen(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Seen]:
    """Run the demo's stories, a simulated caseload and a failing write; read Temporal raw and keep every log."""
    seen = Seen()
    handler = Keep(seen.logs)
    # As the worker logs (INFO), and our own modules at DEBUG too. The SDK's DEBUG lines print raw task
    # completions, whose escaped ciphertext would spell a short name now and then.
    root, ours = logging.getLogger(), logging.getLogger("safeguarding")
    levels = root.level, ours.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    ours.setLevel(logging.DEBUG)
    settings = Settings(environment="test", data_dir=tmp_path_factory.mktemp("data"))
    profile = load_profile(ROOT / "profiles" / "example.toml")
    try:
        async with demo_parts.running(settings, profile) as parts:
            today = datetime.now(LONDON).date()
            async with parts.sessionmaker.begin() as session:
                ids = await seed_examples(session, today=today, partnership_id=profile.partnership_id)
            calendar = england_and_wales_calendar(today=today, local_closures=profile.local_closures)
            addresses = await address_book(parts, ids)
            resume_at = None
            for story in demo._stories():
                async with demo_parts.fresh_clock(parts) as clock:
                    walk = Walkthrough(parts=parts, clock=clock, ids=ids, calendar=calendar, addresses=addresses)
                    if resume_at is not None:
                        await walk.at(resume_at)
                    await story(walk)
                    resume_at = await walk.now()
                    await read_everything_raw(clock, parts, seen)
            first = next_working_day(date.today() + timedelta(days=7), calendar)
            last = first + timedelta(days=42)
            # With the LADO's allegations and family group conferences: a subject's and a parent's names too.
            behaviour = Behaviour(lado_allegations=20, lado_outcome_days=5, fgc_share=1.0, fgc_days=2)
            referrals = generate(6, first, last, calendar, DFE_2024, behaviour, seed=3)
            allegations = draw_allegations(first, last, calendar, behaviour, seed=3)
            conferences = draw_conferences(referrals, calendar, behaviour, seed=3)
            async with demo_parts.fresh_clock(parts) as clock:
                walk = Walkthrough(parts=parts, clock=clock, ids=ids, calendar=calendar, addresses=addresses)
                until = at_local_time(last, time(23, 0))
                await drive(walk, referrals, until, lambda _: None, SharedClock(walk), allegations, conferences)
                await failing_write(clock, parts)
                await read_everything_raw(clock, parts, seen)
            seen.terms = await personal_terms(parts.sessionmaker) | FAILING_TERMS
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        ours.setLevel(levels[1])
    yield seen


def test_the_run_read_every_process_and_logged_the_failing_write(seen: Seen) -> None:
    assert len(seen.workflows) >= 20, seen.workflows
    assert any(workflow_id.startswith("assessment-") for workflow_id in seen.workflows)
    assert "Pemberton-Quaile" in seen.terms and "EX9 9ZZ" in seen.terms and "Simulated" in seen.terms
    assert [line for line in seen.logs if "write_a_refused_row" in line and "CaseStoreError" in line]
    texts = [text for document in seen.temporal for text in readable_texts(json.loads(document))]
    assert set(found({"EX-0002", "CaseStage", "Assessment"}, texts)) == {"EX-0002", "CaseStage", "Assessment"}


def test_no_history_search_attribute_or_memo_holds_a_name_date_of_birth_address_or_postcode(seen: Seen) -> None:
    texts = [text for document in seen.temporal for text in readable_texts(json.loads(document))]
    assert found(seen.terms, texts) == {}


def test_no_log_line_holds_a_name_date_of_birth_address_or_postcode(seen: Seen) -> None:
    assert found(seen.terms, seen.logs) == {}
