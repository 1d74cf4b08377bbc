"""`python -m tests.bench [--iterations N]` (`make bench`): run every benchmark in one process, print `name=value`.

Starts the dev server, a case store and an SMTP sink, then measures, each against its baseline:

- `bare_workflow`: the trivial workflow (`tests.bench.bare`) with the default converter: bare Temporal.
- `codec_workflow`: the same workflow through our pydantic converter and AES-GCM codec: what they cost.
- `front_door_e2e`: a FrontDoor contact from start through consent and a no-further-action decision to its
  result, with the real activities, case store and SMTP (against `bare_workflow`).
- `due_compute`: one `compute_due` (a working-day count across Christmas) against `bare_date_add`.
- `status_query`: a FrontDoor `status` query against `bare_query`, the trivial workflow's.
- `api_decision`: `decide_contact` over HTTP through the real API, 20 clients at once, against
  `bare_api_update`, a bare FastAPI route's Update on the trivial workflow (`tests.bench.api_scenarios`).
- `api_worktray`: a team's work tray over HTTP, among thousands of open tasks across teams, against
  `bare_api_select`, a bare route's plain select of the same page of tasks.
- `lifecycle`: full assessment lifecycles per second (contact, front door, assessment with its joint visit,
  authorisation) against bare processes of the same shape, many at once (`tests.bench.lifecycle`).
- `step_costs`: the processor time of one search-attribute upsert and of one `workflow.patched`, the dev
  server's and the worker's, over a plain activity step (`tests.bench.step_costs`).
- `decision_latency`: a manager's decision while hundreds of cases run, against a bare Update
  (`tests.bench.running_cases`).
- `worker_rss`: a worker's resident memory holding thousands of open plans, and a smaller cache's memory with
  the price of reading a plan it evicted (`tests.bench.open_plans`).
- `histories`: the largest workflow history, recorded, of this run or of the simulated year (so reported after
  it), against Temporal's limit.
- `worktray`: a team's tray query in a case store of a national year's volume (`tests.bench.national`).
- `year_simulation_s`: `python -m starter simulate` over a year of 2,000 referrals (`--simulation-referrals`),
  with the referrals per second it reached and the worker's peak memory (`tests.bench.simulation`).

The workflows run interleaved, one of each per round, so that a slower moment of the machine falls on all
of them alike. `BENCH_ITERATIONS` sets the default for `--iterations`; `tests.bench.sizes` how big the
others run (`BENCH_QUICK=1`: tiny).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.mail import SmtpChannel
from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.database import create_activity_engine, create_engine
from safeguarding.decision_proof import ProofSigner
from safeguarding.procedure_profile import load_profile
from safeguarding.temporal import data_converter
from safeguarding.working_days import LONDON
from tests.bench import (
    api_scenarios,
    histories,
    lifecycle,
    national,
    open_plans,
    running_cases,
    scenarios,
    simulation,
    step_costs,
)
from tests.bench.bare import BareProcess, StepsWorkflow, TrivialWorkflow, step
from tests.bench.parts import SMTP_HOST, case_store, dev_server, smtp_sink
from tests.bench.report import lines, tail_lines
from tests.bench.sizes import Sizes, sizes
from tests.factories import seed_team
from worker import build_activities, worker_interceptors
from workflows.registry import ALL_WORKFLOWS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ITERATIONS = 20
WARM_UP = 2
"""Untimed rounds first: the sandbox loads each workflow's imports on its first run."""
QUERIES_PER_ITERATION = 5
DUE_SAMPLES_PER_ITERATION = 5
DUE_BATCH = 200
API_ROUND_EVERY = 4
"""One round of HTTP load per four iterations: each round is many requests, 20 at a time."""
DECISIONS_PER_ROUND = 20
TRAY_READS_PER_ROUND = 40
API_WARM_UP = 2
"""Untimed requests of each kind first: the app's first use of a route and of its models."""


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print their figures on stdout (progress and logs go to stderr)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--iterations",
        type=int,
        default=int(os.environ.get("BENCH_ITERATIONS", DEFAULT_ITERATIONS)),
        help=f"timed workflow runs per benchmark (default {DEFAULT_ITERATIONS})",
    )
    parser.add_argument(
        "--simulation-referrals",
        type=int,
        default=int(os.environ.get("BENCH_SIMULATION_REFERRALS", simulation.DEFAULT_REFERRALS)),
        help=f"referrals in the simulated year (default {simulation.DEFAULT_REFERRALS})",
    )
    args = parser.parse_args(argv)
    if args.iterations < 1:
        parser.error("--iterations must be at least 1")
    if args.simulation_referrals < 1:
        parser.error("--simulation-referrals must be at least 1")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # The figures keep standard output to themselves: print writes them to a copy of it, and whatever else
    # reaches file descriptor 1 (the Temporal core logs its warnings there) goes to stderr.
    sys.stdout = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    asyncio.run(_bench(args.iterations, sizes(), args.simulation_referrals))
    return 0


async def _bench(iterations: int, size: Sizes, simulation_referrals: int) -> None:
    started = time.perf_counter()
    _emit([f"bench_iterations={iterations}"])
    profile_path = ROOT / "profiles" / "example.toml"
    profile = load_profile(profile_path)
    calendar = england_and_wales_calendar(today=datetime.now(LONDON).date(), local_closures=profile.local_closures)

    bare_due, our_due = scenarios.due_calls(profile, calendar, iterations * DUE_SAMPLES_PER_ITERATION, DUE_BATCH)
    _emit(lines("bare_date_add", bare_due) + lines("due_compute", our_due, bare_due))

    with smtp_sink() as (smtp_port, sink):
        async with dev_server() as env, case_store() as url:
            engine = create_engine(url)
            activity_engine = create_activity_engine(url)
            statements = _statement_counter(activity_engine)
            try:
                sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
                config = env.client.config()
                key = os.urandom(32)
                config["data_converter"] = data_converter([("bench", key)])
                proof_key = os.urandom(32)
                proof_keys = [("bench-proof", proof_key)]
                config["interceptors"] = [ProofSigner(proof_keys)]
                ours = Client(**config)
                rig = scenarios.Rig(
                    bare=env.client,
                    ours=ours,
                    bare_queue=f"bench-bare-{uuid.uuid4()}",
                    ours_queue=f"bench-ours-{uuid.uuid4()}",
                    front_door_queue=f"bench-front-door-{uuid.uuid4()}",
                    sessionmaker=sessionmaker,
                    team=await seed_team(sessionmaker),
                    profile=profile,
                    calendar=calendar,
                )
                activities = build_activities(
                    sessionmaker=async_sessionmaker(activity_engine, expire_on_commit=False),
                    channel=SmtpChannel(SMTP_HOST, smtp_port, "safeguarding-bench@example.invalid"),
                    profile=profile,
                    client=ours,
                    task_queue=rig.front_door_queue,
                )
                async with (
                    Worker(
                        env.client,
                        task_queue=rig.bare_queue,
                        workflows=[TrivialWorkflow, BareProcess, StepsWorkflow],
                        activities=[step],
                    ),
                    Worker(ours, task_queue=rig.ours_queue, workflows=[TrivialWorkflow], activities=[step]),
                    Worker(
                        ours,
                        task_queue=rig.front_door_queue,
                        workflows=ALL_WORKFLOWS,
                        activities=activities,
                        interceptors=worker_interceptors(proof_keys),
                    ),
                ):
                    await _workflows(rig, iterations, lambda: sink.accepted, lambda: statements[0])
                    bare_query, status_query = await scenarios.status_queries(rig, iterations * QUERIES_PER_ITERATION)
                    _emit(lines("bare_query", bare_query) + lines("status_query", status_query, bare_query))
                    async with api_scenarios.api_rig(rig, url) as api:
                        await _api(api, iterations)
                    rates = await lifecycle.rates(
                        rig,
                        rig.bare_queue,
                        rounds=size.lifecycle_rounds,
                        count=size.lifecycles,
                        concurrency=size.lifecycle_concurrency,
                    )
                    _emit(rates.lines())
                    _emit(
                        await step_costs.lines(
                            env.client,
                            rig.bare_queue,
                            workflows=size.step_workflows,
                            concurrency=size.lifecycle_concurrency,
                        )
                    )
                    _emit(
                        await running_cases.decision_latency(
                            rig, rig.bare_queue, running=size.running_cases, samples=size.decisions
                        )
                    )
                _emit(
                    await open_plans.worker_rss(
                        rig,
                        target_host=env.client.service_client.config.target_host,
                        namespace=env.client.namespace,
                        database_url=url,
                        smtp_port=smtp_port,
                        key=key,
                        proof_key=proof_key,
                        profile=profile_path,
                        sizes=size.worker_plans,
                        small_cache=size.worker_small_cache,
                        queries=size.worker_queries,
                    )
                )
                bench_run_events = await histories.run_max_events(env.client)
            finally:
                await activity_engine.dispose()
                await engine.dispose()
    await _worktray(size)
    # Last, with the other benchmarks' servers stopped: the simulation starts its own.
    year, simulation_events = await asyncio.to_thread(simulation.year_simulation, simulation_referrals)
    _emit(year)
    _emit(histories.lines(bench_run_events, simulation_events))
    _emit([f"bench_total_s={time.perf_counter() - started:.1f}"])


async def _worktray(size: Sizes) -> None:
    """Write the national volume into a case store of its own, then time the tray and print its plan."""
    volume = national.Volume(referrals=size.referrals, open_plans=size.national_open_plans)
    today = datetime.now(LONDON).date()
    async with case_store() as url:
        engine = create_engine(url)
        try:
            sessions = async_sessionmaker(engine, expire_on_commit=False)
            seconds = await national.write_volume(engine, volume, today=today)
            page, counts, bare = await national.tray_reads(sessions, national.TEAM, size.tray_reads, today=today)
            plan = await national.explain_tray(engine, sessions, national.TEAM, today=today)
        finally:
            await engine.dispose()
    print(f"The tray's query plan at {volume.referrals} referrals, {volume.open_plans} open plans:", file=sys.stderr)
    print(plan, file=sys.stderr)
    _emit(national.lines(volume, seconds, page, counts, bare, plan))


def _statement_counter(engine: AsyncEngine) -> list[int]:
    """Count the SQL statements the engine sends, in the one-item list returned."""
    count = [0]

    def counted(*_: object) -> None:
        count[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", counted)
    return count


async def _workflows(
    rig: scenarios.Rig, iterations: int, messages_sent: Callable[[], int], statements_sent: Callable[[], int]
) -> None:
    """Run the three workflow benchmarks interleaved; print their figures, the messages and SQL per front door."""
    for _ in range(min(WARM_UP, iterations)):
        await scenarios.trivial_workflow(rig.bare, rig.bare_queue)
        await scenarios.trivial_workflow(rig.ours, rig.ours_queue)
        await scenarios.front_door(rig)
    before, statements_before = messages_sent(), statements_sent()
    bare, codec, front_door = [], [], []
    for _ in range(iterations):
        bare.append(await scenarios.trivial_workflow(rig.bare, rig.bare_queue))
        codec.append(await scenarios.trivial_workflow(rig.ours, rig.ours_queue))
        front_door.append(await scenarios.front_door(rig))
    _emit(
        lines("bare_workflow", bare)
        + lines("codec_workflow", codec, bare)
        + lines("front_door_e2e", front_door, bare)
        + [
            f"front_door_e2e_messages_per_run={(messages_sent() - before) / iterations:g}",
            f"front_door_e2e_sql_statements_per_run={(statements_sent() - statements_before) / iterations:g}",
        ]
    )


async def _api(api: api_scenarios.ApiRig, iterations: int) -> None:
    """Run the HTTP benchmarks after one untimed round of each; print their figures."""
    rounds = max(1, iterations // API_ROUND_EVERY)
    await api_scenarios.decisions(api, 1, API_WARM_UP)
    bare, ours = await api_scenarios.decisions(api, rounds, DECISIONS_PER_ROUND)
    _emit(tail_lines("bare_api_update", bare, 99) + tail_lines("api_decision", ours, 99, bare))
    await api_scenarios.write_worktray(api)
    await api_scenarios.worktray(api, 1, API_WARM_UP)
    bare, ours = await api_scenarios.worktray(api, rounds, TRAY_READS_PER_ROUND)
    _emit(tail_lines("bare_api_select", bare, 95) + tail_lines("api_worktray", ours, 95, bare))


def _emit(figures: list[str]) -> None:
    print("\n".join(figures), flush=True)


if __name__ == "__main__":
    sys.exit(main())
