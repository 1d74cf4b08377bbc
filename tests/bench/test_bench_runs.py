"""`make bench` runs end to end and prints what it promises: the shape of its output, never its times."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

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
OVER_HTTP = {"bare_api_update": 99, "api_decision": 99, "bare_api_select": 95, "api_worktray": 95}
"""Each HTTP figure and the tail percentile it reports beside its p50."""
COMPARED = ("codec_workflow", "front_door_e2e", "due_compute", "status_query", "api_decision", "api_worktray")
SIMULATED = (
    "simulation_referrals",
    "year_simulation_s",
    "simulation_referrals_per_s",
    "simulation_cpu_s",
    "simulation_worker_peak_rss_mb",
)
EXPECTED = {
    *SIMULATED,
    "bench_iterations",
    "bench_total_s",
    "front_door_e2e_messages_per_run",
    *(f"{name}_{figure}" for name in TIMED for figure in ("median_ms", "p90_ms")),
    *(f"{name}_{figure}" for name, tail in OVER_HTTP.items() for figure in ("p50_ms", f"p{tail}_ms")),
    *(f"{name}_ratio_to_bare" for name in COMPARED),
}


def test_the_bench_prints_every_figure_as_a_name_value_line() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--iterations", "2", "--simulation-referrals", "4"],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed check
    )
    assert finished.returncode == 0, finished.stderr

    figures = {}
    for line in finished.stdout.splitlines():
        parsed = LINE.fullmatch(line)
        assert parsed is not None, f"not a name=value line: {line!r}"
        figures[parsed["name"]] = float(parsed["value"])

    assert set(figures) == EXPECTED
    assert all(math.isfinite(value) and value >= 0 for value in figures.values()), figures
    assert figures["bench_iterations"] == 2
    assert figures["simulation_referrals"] == 4
    assert figures["simulation_referrals_per_s"] > 0 and figures["simulation_worker_peak_rss_mb"] > 0
    assert figures["front_door_e2e_messages_per_run"] >= 2  # the acknowledgement and the outcome, at least
