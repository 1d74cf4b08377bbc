"""A simulated year as a head of service runs it: `python -m starter simulate` over N referrals, in its own process.

The command starts its own time-skipping server, worker, case store and mail sink, so it runs as a
subprocess: its peak memory is then the worker's (the worker runs in the command's process; the servers
are processes of their own) and nothing of the other benchmarks is shared. Reported: the whole command's
wall time (`year_simulation_s`, start-up and reports included), the referrals per second while the caseload
was driven, the processor time the command used, and its peak resident memory. There is no bare baseline to
divide by: the cost is the real workflows' and activities', which `front_door_e2e` already compares with
bare Temporal.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REFERRALS = 2000
TIMEOUT = 4 * 3600
"""A hang guard for the largest caseload on a busy machine, not a speed check."""


def year_simulation(referrals: int, seed: int = 1) -> tuple[list[str], int]:
    """Simulate `referrals` over the year from next week; return the figures as `name=value` lines, and the
    most events of one run of the year's workflows (`tests.bench.histories` reports it with the others)."""
    first = date.today() + timedelta(days=7)
    last = first + timedelta(days=364)
    with tempfile.TemporaryDirectory(prefix="bench-simulation-") as folder:
        out = Path(folder)
        command = [
            sys.executable,
            "-m",
            "starter",
            "simulate",
            *("--referrals", str(referrals), "--seed", str(seed)),
            *("--from", first.isoformat(), "--to", last.isoformat(), "--out", str(out)),
        ]
        started = time.perf_counter()
        finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        elapsed = time.perf_counter() - started
        if finished.returncode != 0:
            raise RuntimeError(f"the simulation failed ({finished.returncode}): {finished.stderr[-2000:]}")
        run = json.loads((out / "simulation.json").read_text())["run"]
    return [
        f"simulation_referrals={referrals}",
        f"year_simulation_s={elapsed:.1f}",
        f"simulation_referrals_per_s={run['referrals_per_s']:.3g}",
        f"simulation_cpu_s={run['cpu_s']:.1f}",
        f"simulation_worker_peak_rss_mb={run['peak_rss_mb']:.0f}",
    ], int(run["largest_history_events"])
