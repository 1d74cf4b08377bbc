"""`make bench` runs end to end and prints what it promises: the shape of its output, never its times.

It runs at the tiny sizes of `BENCH_QUICK=1`: every figure is produced and is a number, whatever it is.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.bench.open_plans import WARM_UP_PLANS
from tests.bench.sizes import QUICK

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"(?P<name>[a-z][a-z0-9_]*)=(?P<value>\S+)")
TIMED = (
    "bare_workflow",
    "codec_workflow",
    "front_door_e2e",
    "bare_date_add",
    "due_compute",
    "bare_query",
    "status_query",
)
TAILED = {
    "bare_api_update": 99,
    "api_decision": 99,
    "bare_api_select": 95,
    "api_worktray": 95,
    "decision_latency": 99,
    "bare_update_latency": 99,
    "worktray_query": 95,
    "worktray_counts": 95,
    "worktray_bare_select": 95,
    "worker_query_cached": 95,
    "worker_query_evicted": 95,
}
"""Each figure reported by its p50 and a tail percentile, and that percentile."""
COMPARED = (
    "codec_workflow",
    "front_door_e2e",
    "due_compute",
    "status_query",
    "api_decision",
    "api_worktray",
    "decision_latency",
    "worktray_query",
    "worktray_counts",
)
QUICK_PLANS = QUICK.worker_plans
SIMULATED = (
    "simulation_referrals",
    "year_simulation_s",
    "simulation_referrals_per_s",
    "simulation_cpu_s",
    "simulation_worker_peak_rss_mb",
)
STEP_COSTS = {f"{kind}_{part}_cpu_ms" for kind in ("upsert", "patch") for part in ("server", "worker")}
"""Each a difference of two kinds' processor times (`tests.bench.step_costs`)."""
COUNTED = {
    *SIMULATED,
    "bench_iterations",
    "bench_total_s",
    "front_door_e2e_messages_per_run",
    "front_door_e2e_sql_statements_per_run",
    "bare_lifecycle_per_s",
    "lifecycle_per_s",
    "lifecycle_ratio",
    "lifecycle_processes",
    "lifecycle_activities",
    "lifecycle_updates",
    "lifecycle_timers",
    *(f"{kind}lifecycle_cpu_ms_{part}" for kind in ("bare_", "") for part in ("bench", "server", "postgres")),
    "lifecycle_cpu_ratio",
    *STEP_COSTS,
    "decision_latency_running_cases",
    "worker_max_cached_workflows",
    "worker_rss_mb_base",
    *(f"worker_rss_mb_at_{size}_open_plans" for size in QUICK_PLANS),
    "worker_rss_mb_per_1000_open_plans",
    "worker_cached_workflows",
    "worker_plans_opened_per_s",
    "worker_small_cache_max_cached_workflows",
    "worker_small_cache_plans_read",
    "worker_small_cache_cached_workflows",
    "worker_small_cache_rss_mb",
    "worker_small_cache_failed_reads",
    "worker_gc_longest_pause_ms",
    "worker_small_cache_gc_longest_pause_ms",
    "worker_query_evicted_ratio_to_cached",
    "histories_max_events_recorded",
    "histories_max_events_bench_run",
    "histories_max_events_simulation",
    "histories_max_events",
    "histories_event_limit",
    "histories_share_of_limit",
    "worktray_referrals",
    "worktray_open_plans",
    "worktray_teams",
    "worktray_volume_written_s",
    "worktray_plan_sequential_scans",
}
EXPECTED = {
    *COUNTED,
    *(f"{name}_{figure}" for name in TIMED for figure in ("median_ms", "p90_ms")),
    *(f"{name}_{figure}" for name, tail in TAILED.items() for figure in ("p50_ms", f"p{tail}_ms")),
    *(f"{name}_ratio_to_bare" for name in COMPARED),
}


def test_the_bench_prints_every_figure_as_a_name_value_line() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--iterations", "2", "--simulation-referrals", "4"],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "BENCH_QUICK": "1"},
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard, not a speed check
    )
    assert finished.returncode == 0, finished.stderr

    figures = {}
    for line in finished.stdout.splitlines():
        parsed = LINE.fullmatch(line)
        assert parsed is not None, f"not a name=value line: {line!r}"
        figures[parsed["name"]] = float(parsed["value"])

    assert set(figures) == EXPECTED
    assert all(math.isfinite(value) for value in figures.values()), figures
    # A step cost is a difference of two kinds' processor times: at the tiny sizes, noise may make it negative.
    assert all(value >= 0 for name, value in figures.items() if name not in STEP_COSTS), figures
    assert figures["bench_iterations"] == 2
    assert figures["simulation_referrals"] == 4
    assert figures["simulation_referrals_per_s"] > 0 and figures["simulation_worker_peak_rss_mb"] > 0
    assert figures["front_door_e2e_messages_per_run"] >= 2  # the acknowledgement and the outcome, at least
    assert figures["front_door_e2e_sql_statements_per_run"] > 0
    # The lifecycle ran three processes, each with its Updates; the bare shape copied them.
    assert figures["lifecycle_processes"] == 3 and figures["lifecycle_updates"] >= 3
    assert figures["decision_latency_running_cases"] == QUICK.running_cases
    assert (
        figures["worktray_referrals"] == QUICK.referrals and figures["worktray_open_plans"] == QUICK.national_open_plans
    )
    # The tray is read by index at any volume: a sequential scan would grow with the nation's.
    assert figures["worktray_plan_sequential_scans"] == 0
    # The worker held every plan opened in its cache; the smaller cache, read twice over, held as many as it may.
    assert (
        figures["worker_cached_workflows"] == figures["worker_max_cached_workflows"] == max(QUICK_PLANS) + WARM_UP_PLANS
    )
    assert figures["worker_small_cache_plans_read"] == 2 * QUICK.worker_small_cache
    assert figures["worker_small_cache_cached_workflows"] == QUICK.worker_small_cache
    # The recorded histories include the five-year plan's; each run's largest is far from the limit.
    assert 0 < figures["histories_max_events"] < figures["histories_event_limit"]
    assert figures["histories_max_events"] == max(
        figures["histories_max_events_recorded"],
        figures["histories_max_events_bench_run"],
        figures["histories_max_events_simulation"],
    )
    # The simulated year's processes were read run by run on its own server: each has a history.
    assert figures["histories_max_events_simulation"] > 0
